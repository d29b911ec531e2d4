"""What a complete customer record has (R2.1: incomplete records are visible as such)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from fuwu.customers.models import Customer, CustomerKind


@dataclass(frozen=True)
class CompletenessItem:
    code: str
    label: str
    present: bool


def completeness_checklist(
    *,
    kind: str,
    has_region: bool,
    has_industry: bool,
    has_identity: bool,
    has_contact_phone: bool,
    has_contact_email: bool,
    has_address: bool,
    has_product: bool,
) -> list[CompletenessItem]:
    """The one definition of a complete record; the industry only applies to organisations."""
    items = [CompletenessItem("region", _("Region"), has_region)]
    if kind == CustomerKind.ORGANISATION:
        items.append(CompletenessItem("industry", _("Industry"), has_industry))
    return [
        *items,
        CompletenessItem("identity_number", _("Identity number or credit code"), has_identity),
        CompletenessItem("contact_phone", _("A contact with a phone number"), has_contact_phone),
        CompletenessItem("contact_email", _("A contact with an e-mail address"), has_contact_email),
        CompletenessItem("address", _("An address"), has_address),
        CompletenessItem("product", _("A delivered product or project"), has_product),
    ]


def completeness_items(customer: Customer) -> list[CompletenessItem]:
    contacts = customer.contacts.filter(is_active=True)
    return completeness_checklist(
        kind=customer.kind,
        has_region=customer.region_id is not None,
        has_industry=bool(customer.industry),
        has_identity=bool(customer.identity_number),
        has_contact_phone=contacts.exclude(phone="").exists(),
        has_contact_email=contacts.exclude(email="").exists(),
        has_address=customer.addresses.filter(is_active=True).exists(),
        has_product=customer.products.filter(is_active=True).exists(),
    )


def completeness_score(items: list[CompletenessItem]) -> int:
    # The name is always there, so it counts as one present item.
    return round(100 * (1 + sum(item.present for item in items)) / (1 + len(items)))
