"""Every change to the customer archive (R2). Keyword-only, actor first, one transaction, audited."""

import dataclasses
from collections.abc import Callable
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuwu.core.audit import PendingEvent, audit_record, audit_record_many
from fuwu.core.bulk import bulk_insert, insert_rows
from fuwu.core.errors import InvalidInput
from fuwu.core.locking import lock_row
from fuwu.core.validation import Errors
from fuwu.customers.codes import CustomerAction, CustomerError
from fuwu.customers.completeness import completeness_checklist, completeness_items, completeness_score
from fuwu.customers.models import Address, Contact, Customer, DeliveredProduct
from fuwu.customers.selectors import CustomerFilters, PiiPolicy, customer_search, find_possible_duplicates
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


class DuplicateSuspected(InvalidInput):
    code = CustomerError.DUPLICATE_SUSPECTED
    default_message = _(
        "A customer with the same name or phone number already exists. Check the matches, and confirm if "
        "this really is a different customer."
    )


CUSTOMER_FIELDS = ("kind", "name", "customer_class", "industry", "region_id", "identity_number", "notes")


def refresh_completeness(customer: Customer) -> None:
    score = completeness_score(completeness_items(customer))
    if score != customer.completeness:
        customer.completeness = score
        Customer.objects.filter(pk=customer.pk).update(completeness=score)


def _lock(customer: Customer, expected_version: int | None) -> Customer:
    return lock_row(Customer.objects.all(), customer.pk, expected_version=expected_version)


def _touch(customer: Customer) -> None:
    customer.version += 1
    customer.updated_at = timezone.now()
    Customer.objects.filter(pk=customer.pk).update(version=customer.version, updated_at=customer.updated_at)


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


@dataclasses.dataclass
class CustomerRecord:
    """One customer with its first contact, address and product, for bulk registration."""

    customer: CustomerInput
    contact: ContactInput | None = None
    address: AddressInput | None = None
    product: ProductInput | None = None


def validate_records(records: list[CustomerRecord]) -> dict[int, dict[str, list[str]]]:
    """Every problem in every record, by position, without writing anything."""
    problems: dict[int, dict[str, list[str]]] = {}
    for index, record in enumerate(records):
        errors = Errors()
        clean_customer(record.customer, errors)
        if record.contact is not None:
            clean_contact(record.contact, Errors("contact_", errors.fields))
        if record.address is not None:
            clean_address(record.address, Errors("address_", errors.fields))
        if record.product is not None:
            clean_product(record.product, Errors("product_", errors.fields))
        if errors.fields:
            problems[index] = errors.fields
    return problems


@transaction.atomic
def customers_register_many(
    *, actor, records: list[CustomerRecord], source: str, batch_size: int = 2000, progress=None
) -> list[int]:
    """Register many customers at once, all or nothing (Excel import, demo data; R2.1).

    Bulk inserts and one chained audit event per customer keep this at thousands per second.
    Any invalid record refuses the whole batch with every problem listed by position.
    """
    if actor is not None:
        require(actor, Perm.CUSTOMER_IMPORT)
    problems = validate_records(records)
    if problems:
        raise InvalidInput(code=CustomerError.INVALID_ROWS, data={"rows": problems})
    now = timezone.now()
    created_ids: list[int] = []
    for start in range(0, len(records), batch_size):
        chunk = records[start : start + batch_size]
        # The completeness is known from the record, so it is written with the insert, not after it.
        customers = bulk_insert(
            Customer,
            [
                Customer(**vars(r.customer), completeness=_record_completeness(r), created_at=now, updated_at=now,
                         created_by=actor)
                for r in chunk
            ]
        )
        # Contacts, addresses and products are inserted as rows: nothing here needs them as objects.
        contacts, addresses, products = [], [], []
        for record, obj in zip(chunk, customers, strict=True):
            if record.contact is not None:
                contacts.append({**vars(record.contact), "customer_id": obj.pk, "is_primary": True})
            if record.address is not None:
                addresses.append({**vars(record.address), "customer_id": obj.pk})
            if record.product is not None:
                products.append({**vars(record.product), "customer_id": obj.pk})
        insert_rows(Contact, contacts)
        insert_rows(Address, addresses)
        insert_rows(DeliveredProduct, products)
        audit_record_many(
            PendingEvent(actor=actor, action=CustomerAction.CREATED, obj=obj, payload={"source": source})
            for obj in customers
        )
        created_ids.extend(obj.pk for obj in customers)
        if progress is not None:
            progress(len(created_ids), len(records))
    return created_ids


def _record_completeness(record: CustomerRecord) -> int:
    """The same score as `completeness_items`, from the record in hand instead of queries."""
    customer, contact = record.customer, record.contact
    items = completeness_checklist(
        kind=customer.kind,
        has_region=customer.region_id is not None,
        has_industry=bool(customer.industry),
        has_identity=bool(customer.identity_number),
        has_contact_phone=bool(contact and contact.phone),
        has_contact_email=bool(contact and contact.email),
        has_address=record.address is not None,
        has_product=record.product is not None,
    )
    return completeness_score(items)


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


@dataclasses.dataclass
class ImportReport:
    """What an Excel import found and did (R2): every bad row, keyed by its Excel row number."""

    rows: int
    problems: dict[int, dict[str, list[str]]]
    dry_run: bool
    created_ids: list[int] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def customers_import(
    *,
    actor,
    records: list[CustomerRecord],
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
    row_numbers: list[int] | None = None,
    parse_errors: dict[int, dict[str, list[str]]] | None = None,
    file_name: str = "",
) -> ImportReport:
    """Import customers from a sheet, all or nothing (R2): with any bad row, nothing is written.

    `row_numbers` is each record's Excel row (default: from row 2); `parse_errors` are the
    problems found reading the file, reported together with those `validate_records` finds.
    A dry run writes nothing. `actor=None` is the system (command line), as in
    `customers_register_many`.
    """
    if actor is not None:
        require(actor, Perm.CUSTOMER_IMPORT)
    rows = row_numbers if row_numbers is not None else list(range(2, len(records) + 2))
    problems = {row: {key: list(msgs) for key, msgs in fields.items()} for row, fields in (parse_errors or {}).items()}
    for index, fields in validate_records(records).items():
        merged = problems.setdefault(rows[index], {})
        for key, messages in fields.items():
            merged.setdefault(key, []).extend(messages)
    report = ImportReport(rows=len(records), problems=dict(sorted(problems.items())), dry_run=dry_run)
    if dry_run or problems or not records:
        return report
    with transaction.atomic():
        report.created_ids = customers_register_many(
            actor=actor, records=records, source="excel-import", progress=progress
        )
        audit_record(
            actor=actor,
            action=CustomerAction.IMPORTED,
            payload={"count": len(report.created_ids), "file_name": file_name},
        )
    return report


def customers_export(*, actor, filters: CustomerFilters, out: IO[bytes]) -> int:
    """Write the customers matching `filters` to `out` as .xlsx, masked for the actor (R2, R2.2).

    The sheet is written first, only reading, then its `customer.exported` event (filters, row
    count) is committed; callers hand the file over only after this returns, so no export leaves
    without its event, and a long export never holds SQLite's write lock. Returns the row count.
    """
    from fuwu.customers.transfer import with_export_relations, write_workbook  # transfer imports this module

    require(actor, Perm.CUSTOMER_EXPORT)
    pii = PiiPolicy.for_user(actor)
    customers = with_export_relations(customer_search(actor, filters)).iterator(chunk_size=2000)
    count = write_workbook(out, customers, pii=pii)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=CustomerAction.EXPORTED,
            payload={
                "filters": dataclasses.asdict(filters),
                "count": count,
                "masked": {"phone": not pii.phone_clear, "identity_number": not pii.identity_clear},
            },
        )
    return count
