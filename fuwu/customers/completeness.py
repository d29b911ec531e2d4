"""What a complete customer record has (R2.1: incomplete records are visible as such)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from fuwu.customers.models import Customer


@dataclass(frozen=True)
class CompletenessItem:
    code: str
    label: str
    present: bool


def completeness_items(customer: Customer) -> list[CompletenessItem]:
    contacts = customer.contacts.filter(is_active=True)
    return [
        CompletenessItem("region", _("Region"), customer.region_id is not None),
        CompletenessItem("industry", _("Industry"), bool(customer.industry)),
        CompletenessItem("identity_number", _("Identity number or credit code"), bool(customer.identity_number)),
        CompletenessItem("contact_phone", _("A contact with a phone number"), contacts.exclude(phone="").exists()),
        CompletenessItem("contact_email", _("A contact with an e-mail address"), contacts.exclude(email="").exists()),
        CompletenessItem("address", _("An address"), customer.addresses.filter(is_active=True).exists()),
        CompletenessItem(
            "product", _("A delivered product or project"), customer.products.filter(is_active=True).exists()
        ),
    ]


def completeness_score(items: list[CompletenessItem]) -> int:
    # The name is always there, so it counts as one present item.
    return round(100 * (1 + sum(item.present for item in items)) / (1 + len(items)))
