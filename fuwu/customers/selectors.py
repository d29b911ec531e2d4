"""Reads of the customer archive, scoped to the viewer (R2, R1.2)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from fuwu.core.models import AuditEvent
from fuwu.core.querysets import get_visible
from fuwu.customers.identifiers import mask_identity, mask_phone, normalise_phone
from fuwu.customers.models import Contact, Customer
from fuwu.customers.scopes import work_scopes
from fuwu.org.policy import Perm, can, permission_denied, permissions_of

PAGE_SIZE = 50
COUNT_CAP = 10_000


@dataclass(frozen=True)
class PiiPolicy:
    """How phone and identity numbers are shown to one viewer (R2.2)."""

    phone_clear: bool
    identity_clear: bool
    can_reveal: bool

    @classmethod
    def for_user(cls, user) -> "PiiPolicy":
        perms = permissions_of(user)
        return cls(
            phone_clear=Perm.CUSTOMER_PHONE_CLEAR in perms,
            identity_clear=Perm.CUSTOMER_IDENTITY_CLEAR in perms,
            can_reveal=Perm.CUSTOMER_REVEAL in perms,
        )

    def phone(self, value: str) -> str:
        return value if self.phone_clear else mask_phone(value)

    def identity(self, value: str) -> str:
        return value if self.identity_clear else mask_identity(value)


def customers_visible_to(viewer) -> QuerySet[Customer]:
    if not can(viewer, Perm.CUSTOMER_VIEW):
        return Customer.objects.none()
    if can(viewer, Perm.CUSTOMER_ALL):
        return Customer.objects.all()
    # A customer's portal login sees its own customer; a technician, the customers of their work (R2.2).
    visible = Q(pk__in=Contact.objects.filter(user=viewer, is_active=True).values("customer_id"))
    for scope in work_scopes():
        visible |= Q(pk__in=scope(viewer))
    return Customer.objects.filter(visible)


def access_customer(viewer, customer_id: int, *, for_write: bool = False) -> Customer:
    """Fetch one customer the viewer may see (and, with for_write, edit), or raise."""
    if for_write and not can(viewer, Perm.CUSTOMER_EDIT):
        raise permission_denied(Perm.CUSTOMER_EDIT)
    return get_visible(customers_visible_to(viewer).select_related("region"), customer_id)


def access_contact(viewer, customer: Customer, contact_id: int) -> Contact:
    return get_visible(customer.contacts.all(), contact_id)


def _active_contacts() -> Prefetch:
    return Prefetch("contacts", queryset=Contact.objects.filter(is_active=True), to_attr="active_contacts")


@dataclass
class CustomerFilters:
    q: str = ""
    customer_class: str = ""
    kind: str = ""
    region_id: int | None = None
    industry: str = ""
    incomplete: bool = False
    include_archived: bool = False


def phone_searched(filters: CustomerFilters) -> str:
    """The phone number a search is for (normalised), or "": such a search is a phone lookup (R2.2)."""
    return normalise_phone(filters.q.strip()) if filters.q.strip() else ""


def customer_search(viewer, filters: CustomerFilters) -> QuerySet[Customer]:
    """Customers matching a search by name, contact name or phone, and the filters; newest first."""
    qs = customers_visible_to(viewer)
    if not filters.include_archived:
        qs = qs.filter(is_active=True)
    q = filters.q.strip()
    if q:
        phone = normalise_phone(q)
        if phone:
            qs = qs.filter(pk__in=_customer_ids_by_phone(phone))
        elif q.upper().startswith("KH") and q[2:].isdigit():
            qs = qs.filter(pk=int(q[2:]))
        else:
            by_contact = Contact.objects.filter(name__icontains=q).values("customer_id")
            qs = qs.filter(Q(name__icontains=q) | Q(pk__in=by_contact))
    if filters.customer_class:
        qs = qs.filter(customer_class=filters.customer_class)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.region_id:
        qs = qs.filter(region_id=filters.region_id)
    if filters.industry:
        qs = qs.filter(industry=filters.industry)
    if filters.incomplete:
        qs = qs.filter(completeness__lt=100)
    return qs.order_by("-id")


def customer_page(viewer, filters: CustomerFilters, *, before_id: int | None = None, page: int = 1,
                  size: int = PAGE_SIZE):
    """One page, by keyset (ids below `before_id`, the API) or by number (the list page, at most
    COUNT_CAP rows deep), with contacts and region fetched together."""
    qs = customer_search(viewer, filters)
    if before_id:
        qs = qs.filter(pk__lt=before_id)
    start = 0 if before_id else (min(max(page, 1), COUNT_CAP // size + 1) - 1) * size
    rows = list(qs.select_related("region").prefetch_related(_active_contacts())[start : start + size + 1])
    has_more = len(rows) > size
    return rows[:size], has_more


def _customer_ids_by_phone(phone: str) -> QuerySet:
    return Contact.objects.filter(Q(phone=phone) | Q(phone_alt=phone)).values("customer_id")


@dataclass(frozen=True)
class PhoneMatch:
    customer: Customer
    contact: Contact


def customer_lookup_by_phone(viewer, raw_phone: str, *, limit: int = 20) -> list[PhoneMatch]:
    """Who is calling (R2.3): the contacts with this number and their customers, at once."""
    phone = normalise_phone(raw_phone)
    if not phone or not can(viewer, Perm.CUSTOMER_VIEW):
        return []
    contacts = Contact.objects.filter(Q(phone=phone) | Q(phone_alt=phone), is_active=True).select_related(
        "customer", "customer__region"
    )
    if not can(viewer, Perm.CUSTOMER_ALL):
        contacts = contacts.filter(customer__in=customers_visible_to(viewer))
    return [PhoneMatch(customer=c.customer, contact=c) for c in contacts.order_by("-customer_id")[:limit]]


def find_possible_duplicates(*, name: str, phones: list[str], exclude_id: int | None = None) -> list[Customer]:
    condition = Q(name=name)
    if phones:
        by_phone = Contact.objects.filter(Q(phone__in=phones) | Q(phone_alt__in=phones)).values("customer_id")
        condition |= Q(pk__in=by_phone)
    qs = Customer.objects.filter(condition, is_active=True)
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return list(qs.order_by("-id")[:5])


def customer_detail(viewer, customer: Customer) -> dict[str, Any]:
    """Everything the detail page shows, loaded with a fixed number of queries."""
    return {
        "contacts": list(customer.contacts.filter(is_active=True).select_related("user")),
        "former_contacts": list(customer.contacts.filter(is_active=False)),
        "addresses": list(customer.addresses.filter(is_active=True).select_related("region")),
        "products": list(customer.products.filter(is_active=True)),
    }


def customer_history(viewer, customer: Customer, *, limit: int = 50) -> list[AuditEvent]:
    """The customer's record history, newest first (R2.1 service history, R4.9)."""
    if not can(viewer, Perm.CUSTOMER_ALL):
        return []
    return list(AuditEvent.objects.for_object(customer).order_by("-id")[:limit])
