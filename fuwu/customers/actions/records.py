"""Changes to one customer record: the customer, contacts, addresses, products, reveals, portal login (R2.1, R2.2)."""

import dataclasses
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput
from fuwu.core.validation import Errors
from fuwu.customers.actions._common import CUSTOMER_FIELDS, DuplicateSuspected, _lock, _touch, refresh_completeness
from fuwu.customers.codes import CustomerAction, CustomerError
from fuwu.customers.models import Address, Contact, Customer, DeliveredProduct
from fuwu.customers.selectors import find_possible_duplicates
from fuwu.customers.validation import (
    AddressInput,
    ContactInput,
    CustomerInput,
    ProductInput,
    clean_address,
    clean_contact,
    clean_customer,
    clean_product,
    clean_region,
)
from fuwu.org.policy import Perm, require


@transaction.atomic
def customer_create(
    *,
    actor,
    customer: CustomerInput,
    contact: ContactInput | None = None,
    address: AddressInput | None = None,
    confirm_duplicate: bool = False,
) -> Customer:
    """Register a customer with its first contact and address (R2.1); warn of likely duplicates."""
    require(actor, Perm.CUSTOMER_CREATE)
    errors = Errors()
    clean_customer(customer, errors)
    clean_region(customer.region_id, "region_id", errors)
    if contact is not None:
        clean_contact(contact, Errors("contact_", errors.fields))
    if address is not None:
        clean_address(address, Errors("address_", errors.fields))
        clean_region(address.region_id, "address_region_id", errors)
    errors.raise_if_any()
    if not confirm_duplicate:
        phones = [p for p in (contact.phone, contact.phone_alt) if p] if contact else []
        matches = find_possible_duplicates(name=customer.name, phones=phones)
        if matches:
            raise DuplicateSuspected(
                data={"matches": [{"id": c.pk, "code": c.code, "name": c.name} for c in matches]}
            )
    now = timezone.now()
    obj = Customer.objects.create(
        **dataclasses.asdict(customer), created_at=now, updated_at=now, created_by=actor
    )
    payload: dict[str, Any] = {"new": {f: getattr(obj, f) for f in CUSTOMER_FIELDS}}
    if contact is not None:
        c = Contact.objects.create(customer=obj, **{**dataclasses.asdict(contact), "is_primary": True})
        payload["contact"] = {"id": c.pk, "name": c.name}
    if address is not None:
        a = Address.objects.create(customer=obj, **dataclasses.asdict(address))
        payload["address"] = {"id": a.pk, "line": a.line}
    refresh_completeness(obj)
    audit_record(actor=actor, action=CustomerAction.CREATED, obj=obj, payload=payload)
    return obj


@transaction.atomic
def customer_update(*, actor, customer: Customer, expected_version: int, data: CustomerInput) -> Customer:
    """Change the customer's own fields; a stale `expected_version` is a conflict, never an overwrite."""
    require(actor, Perm.CUSTOMER_EDIT)
    errors = Errors()
    clean_customer(data, errors)
    clean_region(data.region_id, "region_id", errors)
    errors.raise_if_any()
    locked = _lock(customer, expected_version)
    new_values = dataclasses.asdict(data)
    old = {f: getattr(locked, f) for f in CUSTOMER_FIELDS if getattr(locked, f) != new_values[f]}
    if not old:
        return locked
    for name in old:
        setattr(locked, name, new_values[name])
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=[*old, "version", "updated_at"])
    refresh_completeness(locked)
    audit_record(
        actor=actor,
        action=CustomerAction.UPDATED,
        obj=locked,
        payload={"old": old, "new": {f: new_values[f] for f in old}},
    )
    return locked


@transaction.atomic
def customer_set_active(*, actor, customer: Customer, expected_version: int, active: bool, reason: str) -> Customer:
    """Archive or restore a customer. Nothing is ever deleted (R4.9)."""
    require(actor, Perm.CUSTOMER_EDIT)
    if not reason.strip():
        raise InvalidInput(errors={"reason": [_("Give a reason.")]})
    locked = _lock(customer, expected_version)
    if locked.is_active == active:
        return locked
    locked.is_active = active
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=["is_active", "version", "updated_at"])
    audit_record(
        actor=actor,
        action=CustomerAction.RESTORED if active else CustomerAction.ARCHIVED,
        obj=locked,
        payload={"reason": reason.strip()},
    )
    return locked


@transaction.atomic
def contact_add(*, actor, customer: Customer, data: ContactInput) -> Contact:
    require(actor, Perm.CUSTOMER_EDIT)
    errors = Errors()
    clean_contact(data, errors)
    errors.raise_if_any()
    locked = _lock(customer, None)
    if data.is_primary:
        locked.contacts.filter(is_primary=True).update(is_primary=False)
    elif not locked.contacts.filter(is_active=True).exists():
        data.is_primary = True
    contact = Contact.objects.create(customer=locked, **dataclasses.asdict(data))
    _touch(locked)
    refresh_completeness(locked)
    audit_record(
        actor=actor,
        action=CustomerAction.CONTACT_ADDED,
        obj=locked,
        payload={"contact_id": contact.pk, "new": dataclasses.asdict(data)},
    )
    return contact


@transaction.atomic
def contact_deactivate(*, actor, contact: Contact, reason: str) -> Contact:
    """A contact who left is kept on record, marked inactive, with the reason."""
    require(actor, Perm.CUSTOMER_EDIT)
    if not reason.strip():
        raise InvalidInput(errors={"reason": [_("Give a reason.")]})
    locked = _lock(contact.customer, None)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if not contact.is_active:
        return contact
    contact.is_active = False
    contact.is_primary = False
    contact.save(update_fields=["is_active", "is_primary"])
    _touch(locked)
    refresh_completeness(locked)
    audit_record(
        actor=actor,
        action=CustomerAction.CONTACT_DEACTIVATED,
        obj=locked,
        payload={"contact_id": contact.pk, "name": contact.name, "reason": reason.strip()},
    )
    return contact


@transaction.atomic
def address_add(*, actor, customer: Customer, data: AddressInput) -> Address:
    require(actor, Perm.CUSTOMER_EDIT)
    errors = Errors()
    clean_address(data, errors)
    clean_region(data.region_id, "region_id", errors)
    errors.raise_if_any()
    locked = _lock(customer, None)
    address = Address.objects.create(customer=locked, **dataclasses.asdict(data))
    _touch(locked)
    refresh_completeness(locked)
    audit_record(
        actor=actor,
        action=CustomerAction.ADDRESS_ADDED,
        obj=locked,
        payload={"address_id": address.pk, "new": dataclasses.asdict(data)},
    )
    return address


@transaction.atomic
def product_add(*, actor, customer: Customer, data: ProductInput) -> DeliveredProduct:
    """Record a delivered product or project with its warranty (R2.1, R5.5)."""
    require(actor, Perm.CUSTOMER_EDIT)
    errors = Errors()
    clean_product(data, errors)
    errors.raise_if_any()
    locked = _lock(customer, None)
    product = DeliveredProduct.objects.create(customer=locked, **dataclasses.asdict(data))
    _touch(locked)
    refresh_completeness(locked)
    audit_record(
        actor=actor,
        action=CustomerAction.PRODUCT_ADDED,
        obj=locked,
        payload={"product_id": product.pk, "new": dataclasses.asdict(data)},
    )
    return product


@transaction.atomic
def customer_reveal(*, actor, customer: Customer, field: str, contact: Contact | None = None) -> str:
    """Show one masked value in clear (R2.2). Always written to the audit record, with who and what."""
    require(actor, Perm.CUSTOMER_REVEAL)
    if field == "identity_number":
        value = customer.identity_number
    elif field in ("phone", "phone_alt") and contact is not None and contact.customer_id == customer.pk:
        value = getattr(contact, field)
    else:
        raise InvalidInput(code=CustomerError.NOT_REVEALABLE,
                           errors={"field": [_("This value cannot be revealed.")]})
    audit_record(
        actor=actor,
        action=CustomerAction.PII_REVEALED,
        obj=customer,
        payload={"field": field, "contact_id": contact.pk if contact else None},
    )
    return value


@transaction.atomic
def contact_link_portal_user(*, actor, contact: Contact, user) -> Contact:
    """Give a contact a customer-portal login (R1.2): the login then sees this customer only.

    `actor=None` is the system (setup, demo data). A login belongs to at most one contact, and a
    contact has at most one login; relinking the same pair changes nothing.
    """
    if actor is not None:
        require(actor, Perm.CUSTOMER_EDIT)
        require(actor, Perm.STAFF_MANAGE)
    locked = _lock(contact.customer, None)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.user_id == user.pk:
        return contact
    if contact.user_id is not None:
        raise InvalidInput(code=CustomerError.CONTACT_HAS_LOGIN,
                           errors={"user": [_("This contact already has a portal login.")]})
    if not contact.is_active:
        raise InvalidInput(code=CustomerError.CONTACT_INACTIVE,
                           errors={"contact": [_("This contact is no longer active.")]})
    if Contact.objects.filter(user=user).exists():
        raise InvalidInput(code=CustomerError.LOGIN_IN_USE,
                           errors={"user": [_("This login already belongs to another contact.")]})
    contact.user = user
    contact.save(update_fields=["user"])
    _touch(locked)
    audit_record(
        actor=actor,
        action=CustomerAction.PORTAL_LOGIN_LINKED,
        obj=locked,
        payload={"contact_id": contact.pk, "user_id": user.pk, "username": user.get_username()},
    )
    return contact
