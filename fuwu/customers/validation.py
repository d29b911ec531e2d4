"""Business validation of customer input, shared by pages, API and Excel import (R2.1)."""

import datetime
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from fuwu.core.validation import Errors, check_text_fields
from fuwu.customers.identifiers import is_valid_credit_code, is_valid_resident_id, normalise_phone
from fuwu.customers.models import Address, Contact, Customer, CustomerClass, CustomerKind, DeliveredProduct
from fuwu.org.models import Region


@dataclass
class CustomerInput:
    kind: str
    name: str
    customer_class: str = CustomerClass.ORDINARY
    industry: str = ""
    region_id: int | None = None
    identity_number: str = ""
    notes: str = ""


@dataclass
class ContactInput:
    name: str
    phone: str = ""
    phone_alt: str = ""
    email: str = ""
    title: str = ""
    is_primary: bool = False


@dataclass
class AddressInput:
    line: str
    label: str = ""
    region_id: int | None = None
    postal_code: str = ""


@dataclass
class ProductInput:
    name: str
    model: str = ""
    serial_number: str = ""
    delivered_on: datetime.date | None = None
    warranty_ends_on: datetime.date | None = None
    notes: str = ""


def clean_customer(data: CustomerInput, errors: Errors) -> CustomerInput:
    data.name = (data.name or "").strip()
    data.industry = (data.industry or "").strip()
    # NFKC: full-width characters typed with a Chinese IME are stored as plain ASCII.
    data.identity_number = unicodedata.normalize("NFKC", data.identity_number or "").strip().upper()
    if not data.name:
        errors.add("name", _("Enter the customer's name."))
    if data.kind not in CustomerKind.values:
        errors.add("kind", _("Choose organisation or person."))
    if data.customer_class not in CustomerClass.values:
        errors.add("customer_class", _("Choose a customer class."))
    if data.identity_number:
        if data.kind == CustomerKind.PERSON and not is_valid_resident_id(data.identity_number):
            errors.add("identity_number", _("This is not a valid 18-character resident ID number."))
        elif data.kind == CustomerKind.ORGANISATION and not is_valid_credit_code(data.identity_number):
            errors.add("identity_number", _("This is not a valid 18-character unified social credit code."))
    check_text_fields(data, Customer, errors)
    return data


def clean_region(region_id: int | None, name: str, errors: Errors) -> Region | None:
    """A region id from outside (API) must exist; returns it. One query, so bulk paths resolve regions themselves."""
    if region_id is None:
        return None
    region = Region.objects.filter(pk=region_id).first()
    if region is None:
        errors.add(name, _("Choose a region from the list."))
    return region


def clean_phone(raw: str, name: str, errors: Errors) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    phone = normalise_phone(raw)
    if phone is None:
        errors.add(
            name,
            _("Enter a mainland mobile number (11 digits, e.g. 13800138000) or a landline with its area code "
              "(e.g. 010-12345678)."),
        )
        return raw
    return phone


def clean_contact(data: ContactInput, errors: Errors) -> ContactInput:
    data.name = (data.name or "").strip()
    data.email = (data.email or "").strip().lower()
    if not data.name:
        errors.add("name", _("Enter the contact's name."))
    data.phone = clean_phone(data.phone, "phone", errors)
    data.phone_alt = clean_phone(data.phone_alt, "phone_alt", errors)
    if data.email:
        try:
            validate_email(data.email)
        except DjangoValidationError:
            errors.add("email", _("Enter a valid e-mail address."))
    if not (data.phone or data.email):
        errors.add("phone", _("Give at least a phone number or an e-mail address, so the customer can be reached."))
    check_text_fields(data, Contact, errors)
    return data


def clean_address(data: AddressInput, errors: Errors) -> AddressInput:
    data.line = (data.line or "").strip()
    data.postal_code = (data.postal_code or "").strip()
    if not data.line:
        errors.add("line", _("Enter the address."))
    if data.postal_code and not (data.postal_code.isdigit() and len(data.postal_code) == 6):
        errors.add("postal_code", _("A postal code has six digits."))
    check_text_fields(data, Address, errors)
    return data


def clean_product(data: ProductInput, errors: Errors) -> ProductInput:
    data.name = (data.name or "").strip()
    if not data.name:
        errors.add("name", _("Enter the product or project name."))
    if data.delivered_on and data.warranty_ends_on and data.warranty_ends_on < data.delivered_on:
        errors.add("warranty_ends_on", _("The warranty cannot end before the delivery date."))
    check_text_fields(data, DeliveredProduct, errors)
    return data
