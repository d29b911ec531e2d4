from django import template

register = template.Library()


@register.filter
def phone_for(value: str, pii) -> str:
    """A phone number as this viewer may see it (R2.2): `{{ contact.phone|phone_for:pii }}`."""
    return pii.phone(value) if pii is not None else ""


@register.filter
def identity_for(value: str, pii) -> str:
    return pii.identity(value) if pii is not None else ""


@register.filter
def action_label(code: str) -> str:
    from fuwu.core.audit_labels import action_label as label

    return label(code)
