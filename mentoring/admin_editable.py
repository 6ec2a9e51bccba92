"""Names for the boxes of an admin list's editable columns (``list_editable``).

Django puts each box in its table cell without a label, so a screen reader hears "edit
field" and nothing else, and axe reports it (WCAG 1.3.1, 4.1.2). Each box is named
"<column>: <row>", the column's heading and the row's title, read as the eye reads them.
"""


class LabelledListEditableMixin:
    """A ModelAdmin mixin; ``str()`` of a row must need no query (as in the list itself)."""

    def get_changelist_form(self, request, **kwargs):
        base = super().get_changelist_form(request, **kwargs)

        class LabelledForm(base):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                for field in self.fields.values():
                    if not field.widget.is_hidden:
                        field.widget.attrs["aria-label"] = f"{field.label}: {self.instance}"

        return LabelledForm
