"""Explanations and reasons of the matching in the reader's language (``matching_display``)."""

from django import template

from tandems import matching_display

register = template.Library()

register.filter("explanation_text", matching_display.explanation_text)
register.filter("reason_text", matching_display.reason_text)
