"""Shape and rules of ticket input, shared by the intake page, the API and the demo generator."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from fuwu.core.validation import MAX_ID, Errors, check_text_fields
from fuwu.customers.validation import clean_phone, clean_region
from fuwu.org.models import Region
from fuwu.standards.models import REQUIRABLE_FIELDS, Channel, Priority, ServiceType
from fuwu.tickets.models import Ticket


@dataclass
class TicketInput:
    service_type_id: int
    title: str
    contact_name: str
    channel: str = Channel.PHONE
    description: str = ""
    customer_id: int | None = None
    contact_phone: str = ""
    contact_email: str = ""
    site_address: str = ""
    region_id: int | None = None
    occurred_since: str = ""
    priority: str = ""  # empty: the service type's default
    received_at: datetime.datetime | None = None  # empty: now


@dataclass(frozen=True)
class TicketRefs:
    """The records a valid input refers to, fetched while checking it."""

    service_type: ServiceType | None
    region: Region | None


def clean_ticket(data: TicketInput, errors: Errors) -> TicketRefs:
    """Normalise `data` in place; returns the service type (when it exists and is active) and the region."""
    for name in ("title", "contact_name", "contact_email", "site_address", "occurred_since", "description"):
        setattr(data, name, (getattr(data, name) or "").strip())
    in_range = isinstance(data.service_type_id, int) and 0 < data.service_type_id <= MAX_ID
    service_type = ServiceType.objects.filter(pk=data.service_type_id, is_active=True).first() if in_range else None
    if service_type is None:
        errors.add("service_type_id", _("Choose a service type."))
    if not data.title:
        errors.add("title", _("Say in a few words what the request is about."))
    if not data.contact_name:
        errors.add("contact_name", _("Enter who is asking."))
    if data.channel not in Channel.values:
        errors.add("channel", _("Choose how the request came in."))
    if data.priority and data.priority not in Priority.values:
        errors.add("priority", _("Choose a priority."))
    if data.contact_email:
        try:
            validate_email(data.contact_email)
        except DjangoValidationError:
            errors.add("contact_email", _("Enter a valid e-mail address."))
    data.contact_phone = clean_phone(data.contact_phone, "contact_phone", errors)
    region = clean_region(data.region_id, "region_id", errors)
    if service_type is not None:
        for name in service_type.required_fields:
            value = data.customer_id if name == "customer" else getattr(data, name if name != "region" else "region_id")
            if not value:
                errors.add(
                    "customer_id" if name == "customer" else "region_id" if name == "region" else name,
                    _("%(field)s is required for %(type)s.") % {"field": REQUIRABLE_FIELDS[name], "type": service_type},
                )
    check_text_fields(data, Ticket, errors)
    return TicketRefs(service_type, region)
