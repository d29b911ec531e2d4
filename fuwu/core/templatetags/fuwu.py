from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fuwu.core import codes

register = template.Library()


@register.filter
def phone_for(value: str, pii) -> str:
    """A phone number as this viewer may see it (R2.2): `{{ contact.phone|phone_for:pii }}`."""
    return pii.phone(value) if pii is not None else ""


@register.filter
def identity_for(value: str, pii) -> str:
    return pii.identity(value) if pii is not None else ""


@register.filter
def join_list(items) -> str:
    """Names in a sentence, separated as the language does: 联系电话、现场地址 / phone, address."""
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return separator.join(str(item) for item in items)


@register.filter
def action_label(code: str) -> str:
    return codes.action_label(code)


@register.filter
def bootstrap(bound_field) -> str:
    """Render a form field's widget with Bootstrap's classes, marked invalid when it has errors."""
    widget = bound_field.field.widget
    input_type = getattr(widget, "input_type", "")
    css = {"checkbox": "form-check-input", "select": "form-select"}.get(input_type, "form-control")
    if bound_field.errors:
        css += " is-invalid"
    return bound_field.as_widget(attrs={"class": css})


@register.filter
def hours_minutes(value) -> str:
    """A duration as hours and minutes ("27 h 05 min"), sign dropped: business time reads this way."""
    if value is None:
        return ""
    minutes = abs(int(value.total_seconds())) // 60
    return _("%(h)d h %(m)02d min") % {"h": minutes // 60, "m": minutes % 60}


@register.filter
def get_item(mapping, key):
    """`mapping[key]` in a template (a dict built by the view), or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def percent(value) -> str:
    """A share (0.934) as a percentage with one decimal ("93.4%"); "—" when there is nothing to share."""
    return "—" if value is None else f"{value * 100:.1f}%"


@register.simple_tag
def page_numbers(current: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows: the first, the last and `around` either side of the current one;
    None where a run is left out (shown as an ellipsis)."""
    shown = sorted({1, pages, *range(max(1, current - around), min(pages, current + around) + 1)} - {0})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers
