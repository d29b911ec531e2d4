"""A result rule's condition as a reader sees it: "Resolution compliance ≥ 98.0%" (R9.5, R11.5)."""

from django import template

from fuwu.quality.indicators import REGISTRY
from fuwu.quality.merit.rules import SYMBOLS
from fuwu.quality.selectors import format_value

register = template.Library()


@register.filter
def rule_condition(rule) -> str:
    ind = REGISTRY.get(rule.indicator)
    if ind is None:
        return f"{rule.indicator} {SYMBOLS.get(rule.comparison, rule.comparison)} {rule.threshold:g}"
    return f"{ind.label} {SYMBOLS.get(rule.comparison, rule.comparison)} {format_value(ind, rule.threshold)}"
