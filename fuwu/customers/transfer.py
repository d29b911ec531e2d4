"""The customer archive as an Excel workbook (R2): read rows for import, write an export.

The sheet layout is a file format shared with people who fill it in by hand, so the column
headers are fixed words in both Chinese and English (`Column.zh`, `Column.en`); either is
accepted on import, and an export uses the active language's. Rows are numbered as Excel shows
them (the header is row 1). Nothing here writes to the database: `actions.customers_import`
and `actions.customers_export` do the recording.
"""

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from zipfile import BadZipFile

import openpyxl
from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from fuwu.core.errors import InvalidInput
from fuwu.customers.actions import CustomerRecord
from fuwu.customers.codes import CustomerError
from fuwu.customers.models import Address, Contact, Customer, CustomerClass, CustomerKind, DeliveredProduct
from fuwu.customers.selectors import PiiPolicy
from fuwu.customers.validation import AddressInput, ContactInput, CustomerInput, ProductInput
from fuwu.org.models import Region

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Column:
    """One column of the sheet. `key` is the field name the validation reports errors under."""

    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    max_length: int = 0
    required: bool = False

    def header(self) -> str:
        return self.zh if (translation.get_language() or "").startswith("zh") else self.en


COLUMNS: tuple[Column, ...] = (
    Column("name", "名称", "name", ("客户名称", "customer", "customer_name"), 120, required=True),
    Column("kind", "类型", "kind", ("客户类型", "type"), required=True),
    Column("customer_class", "级别", "class", ("客户级别", "customer_class")),
    Column("industry", "行业", "industry", (), 64),
    Column("region", "区域", "region", ("地区",)),
    Column("identity_number", "证件号", "identity_number", ("证件号码", "身份证号", "统一社会信用代码"), 18),
    Column("contact_name", "联系人", "contact_name", ("contact",), 64),
    Column("contact_title", "职务", "title", ("position",), 64),
    Column("contact_phone", "电话", "phone", ("手机", "联系电话", "mobile"), 24),
    Column("contact_phone_alt", "备用电话", "phone_alt", ("other_phone",), 24),
    Column("contact_email", "邮箱", "email", ("电子邮箱", "e_mail"), 254),
    Column("address_line", "地址", "address", ("address_line",), 200),
    Column("address_postal_code", "邮编", "postal_code", ("邮政编码",), 6),
    Column("product_name", "产品", "product", ("产品名称", "project"), 120),
    Column("product_model", "型号", "model", (), 64),
    Column("product_serial_number", "序列号", "serial_number", (), 64),
    Column("product_delivered_on", "交付日期", "delivered_on"),
    Column("product_warranty_ends_on", "保修截止", "warranty_ends_on", ("保修截止日期",)),
    Column("notes", "备注", "notes", (), 2000),
)
# Export only: the customer's number, so an exported sheet can be read back by people. Ignored on import.
CODE_COLUMN = Column("code", "编号", "code", ("客户编号",))

# The words people type for the choices, and the one each export language writes.
KIND_WORDS = {
    CustomerKind.ORGANISATION: ("组织", "organisation", ("单位", "企业", "organization", "org")),
    CustomerKind.PERSON: ("个人", "person", ("individual",)),
}
CLASS_WORDS = {
    CustomerClass.KEY: ("重点", "key", ("重点客户", "key account")),
    CustomerClass.VIP: ("VIP", "vip", ()),
    CustomerClass.ORDINARY: ("普通", "ordinary", ("普通客户",)),
}

_OTHER_LABELS = {  # error keys that have no column of their own
    "row": gettext_lazy("row"),
    "file": gettext_lazy("file"),
}


def _norm(text: str) -> str:
    return re.sub(r"[\s\-_*]+", "_", str(text).strip().lower()).strip("_")


_HEADER_LOOKUP: dict[str, Column] = {
    _norm(word): col for col in (*COLUMNS, CODE_COLUMN) for word in (col.zh, col.en, col.key, *col.aliases)
}


def _choice_lookup(words: dict) -> dict[str, str]:
    return {_norm(w): value for value, (zh, en, more) in words.items() for w in (zh, en, value, *more)}


_KINDS = _choice_lookup(KIND_WORDS)
_CLASSES = _choice_lookup(CLASS_WORDS)


_KEY_ALIASES = {"region_id": "region", "address_region_id": "region"}


def column_label(key: str) -> str:
    """The header naming an error key (`contact_phone` -> 电话 / phone) in the active language."""
    key = _KEY_ALIASES.get(key, key)
    for col in COLUMNS:
        if col.key == key:
            return col.header()
    return str(_OTHER_LABELS.get(key, key))


@dataclass
class ParsedSheet:
    """The records of a sheet, the Excel row of each, and the problems found while reading."""

    records: list[CustomerRecord] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    errors: dict[int, dict[str, list[str]]] = field(default_factory=dict)

    def add_error(self, row: int, key: str, message: str) -> None:
        self.errors.setdefault(row, {}).setdefault(key, []).append(message)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    return str(value).strip()


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def _date(value: Any) -> datetime.date | None:
    """A date from a date cell, an Excel serial number or text such as 2024-03-01 or 2024年3月1日."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and 0 < value < 2958466:
        return from_excel(value).date()
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time zone)
        except ValueError:
            continue
    raise ValueError(text)


class _Regions:
    """Regions by code or name, loaded once per sheet."""

    def __init__(self) -> None:
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, int | None] = {}  # None: the name is not unique
        for pk, code, name in Region.objects.values_list("pk", "code", "name"):
            self.by_code[code.lower()] = pk
            self.by_name[name] = None if name in self.by_name else pk

    def find(self, text: str) -> int | None:
        return self.by_code.get(text.lower()) or self.by_name.get(text)


def _map_header(cells: Iterable[Any], sheet: ParsedSheet) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        col = _HEADER_LOOKUP.get(_norm(cell)) if cell not in (None, "") else None
        if col is not None and col.key not in positions:
            positions[col.key] = index
    for col in COLUMNS:
        if col.required and col.key not in positions:
            sheet.add_error(1, col.key, _("The column “%(zh)s” (%(en)s) is missing.") % {"zh": col.zh, "en": col.en})
    return positions


_DATE_KEYS = ("product_delivered_on", "product_warranty_ends_on")
_CONTACT_KEYS = ("contact_name", "contact_title", "contact_phone", "contact_phone_alt", "contact_email")


def _record(values: dict[str, Any], row: int, regions: _Regions, sheet: ParsedSheet) -> CustomerRecord:
    text = {key: _text(v) for key, v in values.items() if key not in _DATE_KEYS}
    for col in COLUMNS:
        if col.max_length and len(text.get(col.key, "")) > col.max_length:
            sheet.add_error(row, col.key, _("At most %(n)d characters.") % {"n": col.max_length})
    region_id = None
    if text.get("region"):
        region_id = regions.find(text["region"])
        if region_id is None:
            sheet.add_error(row, "region", _("No region has the code or name “%(value)s”.") % {"value": text["region"]})
    dates: dict[str, datetime.date | None] = {}
    for key in _DATE_KEYS:
        try:
            dates[key] = _date(values.get(key))
        except (ValueError, OverflowError):
            dates[key] = None
            sheet.add_error(row, key, _("“%(value)s” is not a date; write it as 2024-03-31.") % {"value": values[key]})
    postal = text.get("address_postal_code", "")
    if postal.isdigit() and len(postal) < 6 and isinstance(values.get("address_postal_code"), int | float):
        postal = postal.zfill(6)  # 010010 typed into a number cell loses its leading zero
    record = CustomerRecord(
        customer=CustomerInput(
            kind=_KINDS.get(_norm(text.get("kind", "")), text.get("kind", "")),
            name=text.get("name", ""),
            customer_class=_CLASSES.get(_norm(text.get("customer_class", "")), text.get("customer_class", ""))
            or CustomerClass.ORDINARY,
            industry=text.get("industry", ""),
            region_id=region_id,
            identity_number=text.get("identity_number", ""),
            notes=text.get("notes", ""),
        )
    )
    if any(text.get(k) for k in _CONTACT_KEYS):
        record.contact = ContactInput(
            name=text.get("contact_name", ""),
            title=text.get("contact_title", ""),
            phone=text.get("contact_phone", ""),
            phone_alt=text.get("contact_phone_alt", ""),
            email=text.get("contact_email", ""),
            is_primary=True,
        )
    if text.get("address_line") or postal:
        record.address = AddressInput(line=text.get("address_line", ""), postal_code=postal, region_id=region_id)
    if any(text.get(k) for k in ("product_name", "product_model", "product_serial_number")) or any(dates.values()):
        record.product = ProductInput(
            name=text.get("product_name", ""),
            model=text.get("product_model", ""),
            serial_number=text.get("product_serial_number", ""),
            delivered_on=dates["product_delivered_on"],
            warranty_ends_on=dates["product_warranty_ends_on"],
        )
    return record


def read_workbook(source: str | Path | IO[bytes], *, progress: Progress | None = None) -> ParsedSheet:
    """Every non-empty row of the first sheet as a record, with the problems found reading it.

    Problems are keyed by Excel row number and by the field key `validate_records` uses, so the
    two lists merge. A file that is not a readable .xlsx raises InvalidInput("unreadable_file").
    """
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InvalidInput(
            _("This file cannot be read as an Excel workbook (.xlsx)."), code=CustomerError.UNREADABLE_FILE
        ) from exc
    sheet = ParsedSheet()
    try:
        worksheet = workbook.worksheets[0]
        total = max((worksheet.max_row or 1) - 1, 0)
        rows = worksheet.iter_rows(values_only=True)
        positions = _map_header(next(rows, ()), sheet)
        if sheet.errors:
            return sheet
        regions = _Regions()
        for row_number, cells in enumerate(rows, start=2):
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            values = {key: cells[i] if i < len(cells) else None for key, i in positions.items()}
            sheet.records.append(_record(values, row_number, regions, sheet))
            sheet.row_numbers.append(row_number)
            if progress is not None and row_number % 1000 == 0:
                progress(row_number - 1, max(total, row_number - 1))
    finally:
        workbook.close()
    if not sheet.records:
        sheet.add_error(1, "file", _("The sheet has no customer rows under its header."))
    elif progress is not None:
        progress(len(sheet.records), len(sheet.records))
    return sheet


def _cell(worksheet, value: Any) -> Any:
    """Text that starts with "=" is kept as text, never turned into a formula."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(worksheet, value)
        cell.data_type = "s"
        return cell
    return value


def _header_row() -> list[str]:
    return [CODE_COLUMN.header(), *(col.header() for col in COLUMNS)]


def _choice_word(words: dict, value: str) -> str:
    zh, en, _more = words.get(value, (value, value, ()))
    return zh if (translation.get_language() or "").startswith("zh") else en


def _export_row(customer: Customer, pii: PiiPolicy) -> list[Any]:
    contact = next(iter(customer.export_contacts), None)
    address = next(iter(customer.export_addresses), None)
    product = next(iter(customer.export_products), None)
    return [
        customer.code,
        customer.name,
        _choice_word(KIND_WORDS, customer.kind),
        _choice_word(CLASS_WORDS, customer.customer_class),
        customer.industry,
        customer.region.name if customer.region else "",
        pii.identity(customer.identity_number),
        contact.name if contact else "",
        contact.title if contact else "",
        pii.phone(contact.phone) if contact else "",
        pii.phone(contact.phone_alt) if contact else "",
        contact.email if contact else "",
        address.line if address else "",
        address.postal_code if address else "",
        product.name if product else "",
        product.model if product else "",
        product.serial_number if product else "",
        product.delivered_on if product else None,
        product.warranty_ends_on if product else None,
        customer.notes,
    ]


def with_export_relations(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """The joins `write_workbook` reads: region, and the active contacts, addresses and products."""
    return customers.select_related("region").prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.filter(is_active=True), to_attr="export_contacts"),
        Prefetch("addresses", queryset=Address.objects.filter(is_active=True), to_attr="export_addresses"),
        Prefetch("products", queryset=DeliveredProduct.objects.filter(is_active=True), to_attr="export_products"),
    )


def write_workbook(out: IO[bytes], customers: Iterable[Customer] | None = None, *, pii: PiiPolicy | None = None) -> int:
    """Write the header and one row per customer (streamed, write-only); returns the row count.

    `customers` come from `with_export_relations`; without customers this is the empty template.
    """
    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet(_("Customers"))
    worksheet.freeze_panes = "B2"
    worksheet.append(_header_row())
    policy = pii or PiiPolicy(phone_clear=False, identity_clear=False, can_reveal=False)
    count = 0
    for customer in customers or ():
        worksheet.append([None if v == "" else _cell(worksheet, v) for v in _export_row(customer, policy)])
        count += 1
    workbook.save(out)
    return count


def iter_problems(errors: dict[int, dict[str, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """Each bad row in order, with its messages prefixed by the column they concern."""
    for row in sorted(errors):
        yield row, [f"{column_label(key)}: {message}" for key, messages in errors[row].items() for message in messages]
