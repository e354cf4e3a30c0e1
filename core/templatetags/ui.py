"""Template helpers for the pages: capabilities, money, Bootstrap form widgets, sorting and pagination links.

Templates cannot call methods with arguments, so what they need from ``User.can``, ``Paginator`` and the
query string is exposed here. Nothing here queries the database.
"""

from __future__ import annotations

import copy

from django import forms, template
from django.core.paginator import Page
from django.http import QueryDict
from django.utils.safestring import SafeString

from core.money import format_yuan

register = template.Library()

# Widgets that carry Bootstrap's select and check-box classes rather than ``form-control``.
_SELECTS = (forms.Select, forms.SelectMultiple)
_CHECKS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)
# Browsers accept only ISO dates in <input type="date">, whatever the active locale's input format is
# (zh-hans would render 2026/11/27, which the browser discards as invalid and shows an empty field).
_ISO_DATE = "%Y-%m-%d"


@register.filter
def can(user, capability: str) -> bool:
    """``{% if user|can:"case.file" %}``: the user's role holds the capability (superusers hold them all)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.can(capability)


@register.filter
def yuan(value) -> str:
    """A Decimal amount as ``¥1,234.56``; empty for None."""
    if value in (None, ""):
        return ""
    return format_yuan(value)


@register.filter
def bs(bound_field, options: str = "") -> SafeString:
    """Render a form field's widget with Bootstrap classes: ``{{ form.name|bs }}``, ``{{ form.name|bs:"sm" }}``.

    Options (space-separated): ``sm`` for the small size, ``date`` to render a text input as a date picker.
    A field with errors gets ``is-invalid`` and is described by its error block (id ``<id>-error``).
    """
    flags = set(options.split())
    widget = bound_field.field.widget
    if "date" in flags or getattr(widget, "input_type", "") == "date":
        widget = copy.copy(widget)
        widget.input_type = "date"
        widget.format = _ISO_DATE
    if isinstance(widget, _CHECKS):
        css = "form-check-input"
    elif isinstance(widget, _SELECTS):
        css = "form-select" + (" form-select-sm" if "sm" in flags else "")
    else:
        css = "form-control" + (" form-control-sm" if "sm" in flags else "")
    attrs = {}
    existing = widget.attrs.get("class", "")
    classes = [c for c in (existing, css) if c]
    if bound_field.errors:
        classes.append("is-invalid")
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bound_field.auto_id}-error"
    attrs["class"] = " ".join(classes)
    return bound_field.as_widget(widget=widget, attrs=attrs)


@register.filter
def widget_type(bound_field) -> str:
    """The widget's class name in lower case (``select``, ``textarea``, ``checkboxinput`` …)."""
    return type(bound_field.field.widget).__name__.lower()


@register.simple_tag(takes_context=True)
def sort_state(context, field: str) -> dict:
    """``{% sort_state "amount" as s %}``: ``s.url`` re-sorts the current list by ``field`` (ascending, or
    descending when it is already ascending) keeping the filters; ``s.direction`` is "asc", "desc" or ""."""
    params: QueryDict = context["request"].GET.copy()
    current = params.get("ordering", "")
    if current == field:
        direction, target = "asc", f"-{field}"
    elif current == f"-{field}":
        direction, target = "desc", field
    else:
        direction, target = "", field
    params["ordering"] = target
    params.pop("page", None)
    params.pop("export", None)
    return {"url": f"?{params.urlencode()}", "direction": direction}


@register.simple_tag
def elided_pages(page_obj: Page, on_each_side: int = 2, on_ends: int = 1) -> list:
    """Page numbers around the current one, with ``…`` (``Paginator.ELLIPSIS``) for the gaps."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=on_each_side, on_ends=on_ends))


@register.simple_tag
def with_query(query: str, **params) -> str:
    """``{% with_query query page=3 %}`` → ``?<query>&page=3``: the current filters plus ``params``."""
    merged = QueryDict(query or "", mutable=True)
    for key, value in params.items():
        merged[key] = value
    return f"?{merged.urlencode()}"


@register.filter
def active_filters(form) -> list[str]:
    """The names of a filter form's fields in use, leaving out the sort order (``ordering``)."""
    if not form.is_bound:
        return []
    return [name for name in form.changed_data if name != "ordering"]
