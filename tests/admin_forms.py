"""Build the POST data of an admin add or change form from the page the admin rendered.

`form_data(response)` returns what a browser would submit unchanged: every
field of the main form with its current value, every inline formset with its
management form. A test then changes the values it is about and posts.
"""

from django import forms


def _field_values(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            data[bound.html_name] = [str(item) for item in value or []]
        else:
            data[bound.html_name] = "" if value is None else str(value)
    return data


def _formset_values(formset) -> dict:
    data = _field_values(formset.management_form)
    for form in formset.forms:
        data.update(_field_values(form))
    return data


def form_data(response) -> dict:
    """The submission of the admin form in `response`, values as rendered."""
    data = _field_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        data.update(_formset_values(inline.formset))
    return data


def add_inline_forms(data: dict, prefix: str, rows: list[dict]) -> dict:
    """Append new rows to the inline formset `prefix` (e.g. "milestones")."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{total + offset}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(total + len(rows))
    return data
