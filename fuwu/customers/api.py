"""Customer archive API: list/search, create, retrieve, update, phone lookup (R2). Masked per viewer."""

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from fuwu.customers import actions
from fuwu.customers.identifiers import normalise_phone
from fuwu.customers.models import Customer
from fuwu.customers.selectors import (
    CustomerFilters,
    PiiPolicy,
    access_customer,
    customer_detail,
    customer_lookup_by_phone,
    customer_page,
    phone_searched,
)
from fuwu.customers.validation import AddressInput, ContactInput, CustomerInput
from fuwu.org.policy import Perm, require

router = Router(tags=["customers"])


class ContactOut(Schema):
    id: int
    name: str
    title: str
    phone: str
    phone_alt: str
    email: str
    is_primary: bool


class AddressOut(Schema):
    id: int
    label: str
    line: str
    region: str | None
    postal_code: str


class ProductOut(Schema):
    id: int
    name: str
    model: str
    serial_number: str
    delivered_on: datetime.date | None
    warranty_ends_on: datetime.date | None


class CustomerOut(Schema):
    id: int
    code: str
    kind: str
    name: str
    customer_class: str
    industry: str
    region: str | None
    identity_number: str
    notes: str
    completeness: int
    is_active: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    contacts: list[ContactOut]


class CustomerDetailOut(CustomerOut):
    addresses: list[AddressOut]
    products: list[ProductOut]


class CustomerPage(Schema):
    items: list[CustomerOut]
    next_before_id: int | None


def _contact_out(contact, pii: PiiPolicy) -> dict:
    return {
        "id": contact.pk,
        "name": contact.name,
        "title": contact.title,
        "phone": pii.phone(contact.phone),
        "phone_alt": pii.phone(contact.phone_alt),
        "email": contact.email,
        "is_primary": contact.is_primary,
    }


def _customer_out(customer: Customer, contacts, pii: PiiPolicy) -> dict:
    return {
        "id": customer.pk,
        "code": customer.code,
        "kind": customer.kind,
        "name": customer.name,
        "customer_class": customer.customer_class,
        "industry": customer.industry,
        "region": customer.region.code if customer.region else None,
        "identity_number": pii.identity(customer.identity_number),
        "notes": customer.notes,
        "completeness": customer.completeness,
        "is_active": customer.is_active,
        "version": customer.version,
        "created_at": customer.created_at,
        "updated_at": customer.updated_at,
        "contacts": [_contact_out(c, pii) for c in contacts],
    }


def _detail_out(request: HttpRequest, customer: Customer) -> dict:
    pii = PiiPolicy.for_user(request.auth)
    detail = customer_detail(request.auth, customer)
    return {
        **_customer_out(customer, detail["contacts"], pii),
        "addresses": [
            {"id": a.pk, "label": a.label, "line": a.line, "region": a.region.code if a.region else None,
             "postal_code": a.postal_code}
            for a in detail["addresses"]
        ],
        "products": detail["products"],
    }


class ListParams(Schema):
    q: str = ""
    customer_class: str = ""
    kind: str = ""
    region_id: int | None = None
    industry: str = ""
    incomplete: bool = False
    include_archived: bool = False
    before_id: int | None = None
    limit: int = 50


@router.get("", response=CustomerPage, summary="List and search customers (keyset pages, newest first)")
def customer_list(request, params: Query[ListParams]):
    require(request.auth, Perm.CUSTOMER_VIEW)
    filters = CustomerFilters(**params.dict(exclude={"before_id", "limit"}))
    if phone := phone_searched(filters):
        actions.phone_lookup_record(actor=request.auth, phone=phone)
    rows, has_more = customer_page(
        request.auth, filters, before_id=params.before_id, size=max(1, min(params.limit, 200))
    )
    pii = PiiPolicy.for_user(request.auth)
    return {
        "items": [_customer_out(c, c.active_contacts, pii) for c in rows],
        "next_before_id": rows[-1].pk if has_more else None,
    }


class LookupMatch(Schema):
    customer: CustomerOut
    contact_id: int


@router.get("/lookup", response=list[LookupMatch], summary="Find customers by an incoming phone number (R2.3)")
def customer_lookup(request, phone: str):
    require(request.auth, Perm.CUSTOMER_VIEW)
    if normalised := normalise_phone(phone):
        actions.phone_lookup_record(actor=request.auth, phone=normalised)
    pii = PiiPolicy.for_user(request.auth)
    return [
        {"customer": _customer_out(m.customer, [m.contact], pii), "contact_id": m.contact.pk}
        for m in customer_lookup_by_phone(request.auth, phone)
    ]


class ContactIn(Schema):
    name: str
    phone: str = ""
    phone_alt: str = ""
    email: str = ""
    title: str = ""


class AddressIn(Schema):
    line: str
    label: str = ""
    region_id: int | None = None
    postal_code: str = ""


class CustomerIn(Schema):
    kind: str
    name: str
    customer_class: str = "ordinary"
    industry: str = ""
    region_id: int | None = None
    identity_number: str = ""
    notes: str = ""


class CustomerCreateIn(CustomerIn):
    contact: ContactIn | None = None
    address: AddressIn | None = None
    confirm_duplicate: bool = False


class CustomerUpdateIn(CustomerIn):
    version: int


@router.post("", response={201: CustomerDetailOut}, summary="Register a customer")
def customer_create(request, body: CustomerCreateIn):
    customer = actions.customer_create(
        actor=request.auth,
        customer=CustomerInput(**body.dict(exclude={"contact", "address", "confirm_duplicate"})),
        contact=ContactInput(**body.contact.dict()) if body.contact else None,
        address=AddressInput(**body.address.dict()) if body.address else None,
        confirm_duplicate=body.confirm_duplicate,
    )
    return _detail_out(request, access_customer(request.auth, customer.pk))


@router.get("/{customer_id}", response=CustomerDetailOut, summary="One customer")
def customer_retrieve(request, customer_id: int):
    return _detail_out(request, access_customer(request.auth, customer_id))


@router.put("/{customer_id}", response=CustomerDetailOut, summary="Update a customer (send the version you read)")
def customer_update(request, customer_id: int, body: CustomerUpdateIn):
    customer = access_customer(request.auth, customer_id, for_write=True)
    actions.customer_update(
        actor=request.auth,
        customer=customer,
        expected_version=body.version,
        data=CustomerInput(**body.dict(exclude={"version"})),
    )
    return _detail_out(request, access_customer(request.auth, customer_id))
