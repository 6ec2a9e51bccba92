"""The admin's list of objects with its rows written faster (``ChangeList.result_rows``)."""

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode

register = template.Library()


def result_rows_list(cl):
    """Django's ``result_list``: the same context for the same template, its rows made by
    ``cl.result_rows`` (``mentoring.admin.ChangeList``)."""
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": cl.result_rows(),
    }


@register.tag(name="result_rows_list")
def result_rows_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=result_rows_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
