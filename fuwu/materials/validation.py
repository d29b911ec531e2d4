"""The materials ledger's input rules, shared by the actions and the forms (R13.2)."""

import decimal
from dataclasses import dataclass

from django.utils.translation import gettext as _

from fuwu.core.validation import Errors, check_text_fields
from fuwu.materials.models import Item

MAX_QUANTITY = 1_000_000  # one movement; larger is a typing slip
MAX_UNIT_COST = decimal.Decimal("9999999999.99")


@dataclass
class ItemInput:
    code: str
    name: str
    unit: str
    specification: str = ""
    unit_cost: decimal.Decimal = decimal.Decimal(0)
    reorder_level: int = 0
    is_active: bool = True


def clean_item(data: ItemInput, errors: Errors) -> None:
    data.code = (data.code or "").strip().upper()
    data.name = (data.name or "").strip()
    data.unit = (data.unit or "").strip()
    data.specification = (data.specification or "").strip()
    if not data.code:
        errors.add("code", _("Give the item a code."))
    if not data.name:
        errors.add("name", _("Give the item a name."))
    if not data.unit:
        errors.add("unit", _("Give the unit it is counted in (个, 套, 米 …)."))
    check_text_fields(data, Item, errors)
    try:
        cost = decimal.Decimal(data.unit_cost)
    except (decimal.InvalidOperation, TypeError, ValueError):
        cost = None
    if cost is None or not cost.is_finite() or cost < 0 or cost > MAX_UNIT_COST:
        errors.add("unit_cost", _("Give a unit cost of zero or more."))
    else:
        data.unit_cost = cost.quantize(decimal.Decimal("0.01"))
    if not isinstance(data.reorder_level, int) or not 0 <= data.reorder_level <= MAX_QUANTITY:
        errors.add("reorder_level", _("Give a reorder level between 0 and %(max)d.") % {"max": MAX_QUANTITY})


def clean_quantity(quantity, errors: Errors, name: str = "quantity", *, allow_zero: bool = False) -> None:
    low = 0 if allow_zero else 1
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not low <= quantity <= MAX_QUANTITY:
        errors.add(name, _("Give a whole number between %(low)d and %(max)d.") % {"low": low, "max": MAX_QUANTITY})


def clean_text(value: str, errors: Errors, name: str, max_length: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.add(name, _("Give a reason."))
    elif len(value) > max_length or "\x00" in value:
        errors.add(name, _("At most %(n)d characters.") % {"n": max_length})
    return value
