"""The installation's name, for pages, e-mails and the admin alike."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name():
    return settings.SITE_NAME
