"""Many customers at once: bulk registration, Excel import and export (R2, R2.2)."""

import dataclasses
import datetime
from collections.abc import Callable
from typing import IO

from django.db import transaction
from django.utils import timezone

from fuwu.core.audit import PendingEvent, audit_record, audit_record_many
from fuwu.core.bulk import bulk_insert, insert_rows
from fuwu.core.errors import InvalidInput
from fuwu.core.validation import Errors
from fuwu.customers.codes import CustomerAction, CustomerError
from fuwu.customers.completeness import completeness_checklist, completeness_score
from fuwu.customers.models import Address, Contact, Customer, DeliveredProduct
from fuwu.customers.selectors import CustomerFilters, PiiPolicy, customer_search
from fuwu.customers.validation import (
    AddressInput,
    ContactInput,
    CustomerInput,
    ProductInput,
    clean_address,
    clean_contact,
    clean_customer,
    clean_product,
)
from fuwu.org.policy import Perm, require


@dataclasses.dataclass
class CustomerRecord:
    """One customer with its first contact, address and product, for bulk registration."""

    customer: CustomerInput
    contact: ContactInput | None = None
    address: AddressInput | None = None
    product: ProductInput | None = None
    # When the customer became ours, for records carried over from an earlier system (the demo's
    # customers of several years); None: now.
    since: datetime.datetime | None = None


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
                Customer(**vars(r.customer), completeness=_record_completeness(r), created_at=r.since or now,
                         updated_at=now, created_by=actor)
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
