"""Excel import and export of the customer archive (R2, masking R2.2)."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation

from fuwu.core.errors import InvalidInput
from fuwu.core.models import AuditEvent
from fuwu.customers import actions, transfer
from fuwu.customers.identifiers import credit_code_check_char, resident_id_check_char
from fuwu.customers.models import Customer, CustomerClass, CustomerKind, DeliveredProduct
from fuwu.customers.selectors import CustomerFilters
from tests.factories import RegionFactory, make_customer, make_staff

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERSON_ID = "11010519491231002" + resident_id_check_char("11010519491231002")
CREDIT_CODE = "91110000MA01ABCDE" + credit_code_check_char("91110000MA01ABCDE")
ZH = ["名称", "类型", "级别", "行业", "区域", "证件号", "联系人", "电话", "邮箱", "地址", "产品", "交付日期",
      "保修截止"]


def workbook(rows: list[list], headers: list[str] = ZH) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def good_rows() -> list[list]:
    return [
        ["华东机电有限公司", "组织", "重点", "制造", "bj", CREDIT_CODE, "王伟", "+86 138 0013 8000", "",
         "北京市朝阳区1号", "空压机", datetime.date(2024, 3, 1), "2027-02-28"],
        ["李娜", "个人", "普通", "", "上海", PERSON_ID, "李娜", "", "lina@example.com", "", "", None, None],
        ["远航物流", "组织", "VIP", "物流", "", "", "赵强", "010-12345678", "", "", "", None, None],
    ]


def import_file(actor, data: io.BytesIO, *, dry_run: bool = False, file_name: str = "c.xlsx") -> actions.ImportReport:
    sheet = transfer.read_workbook(data)
    return actions.customers_import(
        actor=actor, records=sheet.records, row_numbers=sheet.row_numbers, parse_errors=sheet.errors,
        dry_run=dry_run, file_name=file_name,
    )


def customer_events(action: str = "customer.") -> int:
    return AuditEvent.objects.filter(action__startswith=action).count()


def exported_rows(data: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True))


@pytest.fixture
def regions(db):
    return RegionFactory(code="bj", name="北京"), RegionFactory(code="sh", name="上海")


def test_good_file_imports_every_row_with_one_event_each_and_a_summary(manager, regions):
    report = import_file(manager, workbook(good_rows()), file_name="客户.xlsx")

    assert report.ok and len(report.created_ids) == 3
    org = Customer.objects.get(name="华东机电有限公司")
    assert (org.kind, org.customer_class, org.region, org.identity_number) == (
        CustomerKind.ORGANISATION, CustomerClass.KEY, regions[0], CREDIT_CODE
    )
    assert org.contacts.get().phone == "13800138000"
    assert org.addresses.get().line == "北京市朝阳区1号"
    product = DeliveredProduct.objects.get(customer=org)
    assert (product.delivered_on, product.warranty_ends_on) == (datetime.date(2024, 3, 1), datetime.date(2027, 2, 28))
    person = Customer.objects.get(name="李娜")
    assert (person.kind, person.region) == (CustomerKind.PERSON, regions[1])
    assert Customer.objects.get(name="远航物流").customer_class == CustomerClass.VIP
    created = AuditEvent.objects.filter(action="customer.created")
    assert created.count() == 3 and all(e.payload == {"source": "excel-import"} for e in created)
    summary = AuditEvent.objects.get(action="customer.imported")
    assert summary.payload == {"count": 3, "file_name": "客户.xlsx"}
    assert summary.actor == manager


def test_english_headers_and_words_are_accepted(manager, regions):
    headers = ["Name", "Kind", "Class", "Region", "Contact name", "Phone", "Postal code", "Address", "Product",
               "Delivered on"]
    rows = [["Acme", "organisation", "key", "SH", "Li Lei", 13900139000, 10010, "Nanjing Rd 1", "Pump", 45352]]

    report = import_file(manager, workbook(rows, headers))

    assert report.ok
    acme = Customer.objects.get(name="Acme")
    assert (acme.kind, acme.customer_class, acme.region) == ("organisation", "key", regions[1])
    assert acme.contacts.get().phone == "13900139000"
    assert acme.addresses.get().postal_code == "010010"
    assert acme.products.get().delivered_on == datetime.date(2024, 3, 1)  # Excel serial number 45352


def test_every_bad_row_is_reported_with_its_excel_row_and_nothing_is_imported(manager, regions):
    good = good_rows()[2]
    rows = [
        good,                                                                                        # row 2
        ["坏电话", "组织", "", "", "", "", "张三", "12345", "", "", "", None, None],                    # row 3
        ["坏证件", "个人", "", "", "", "110105194912310020", "张三", "13800138001", "", "", "", None, None],  # row 4
        ["坏区域", "组织", "", "", "火星", "", "张三", "13800138002", "", "", "", None, None],            # row 5
        ["坏日期", "组织", "", "", "", "", "张三", "13800138003", "", "", "泵", "明年", None],           # row 6
        ["", "组织", "", "", "", "", "张三", "13800138004", "", "", "", None, None],                    # row 7
        [None] * len(ZH),                                                                            # row 8, blank
        good,                                                                                        # row 9
    ]

    report = import_file(manager, workbook(rows))

    assert sorted(report.problems) == [3, 4, 5, 6, 7]
    assert set(report.problems[3]) == {"contact_phone"}
    assert set(report.problems[4]) == {"identity_number"}
    assert set(report.problems[5]) == {"region"}
    assert set(report.problems[6]) == {"product_delivered_on"}
    assert set(report.problems[7]) == {"name"}
    assert report.created_ids == []
    assert Customer.objects.count() == 0 and customer_events() == 0
    lines = dict(transfer.iter_problems(report.problems))
    assert lines[5][0].startswith("区域: ") and "火星" in lines[5][0]


def test_a_missing_required_column_is_reported_on_the_header_row(manager):
    report = import_file(manager, workbook([["组织", "王伟"]], ["类型", "联系人"]))

    assert list(report.problems) == [1] and "name" in report.problems[1]
    assert Customer.objects.count() == 0


def test_an_unreadable_file_is_a_typed_error():
    with pytest.raises(InvalidInput) as exc:
        transfer.read_workbook(io.BytesIO(b"PK\x03\x04 not really a workbook"))
    assert exc.value.code == "unreadable_file"


def test_dry_run_checks_everything_and_writes_nothing(manager, regions):
    report = import_file(manager, workbook(good_rows()), dry_run=True)

    assert report.ok and report.rows == 3 and report.created_ids == []
    assert Customer.objects.count() == 0 and customer_events() == 0


def test_an_agent_may_not_import(agent, regions):
    with pytest.raises(PermissionDenied):
        import_file(agent, workbook(good_rows()), dry_run=True)
    assert Customer.objects.count() == 0


def _export(actor, **filters) -> list[tuple]:
    out = io.BytesIO()
    actions.customers_export(actor=actor, filters=CustomerFilters(**filters), out=out)
    return exported_rows(out.getvalue())


def _export_bytes(actor) -> bytes:
    out = io.BytesIO()
    actions.customers_export(actor=actor, filters=CustomerFilters(), out=out)
    return out.getvalue()


def test_export_masks_phone_and_identity_for_a_role_without_clear_view(manager):
    make_customer(manager, name="华东机电", phone="13800138000", kind="person", identity_number=PERSON_ID)
    general_manager = make_staff("general_manager")

    header, row = _export(general_manager)

    assert header[:3] == ("编号", "名称", "类型")
    values = dict(zip(header, row, strict=False))  # empty trailing cells are not written
    assert values["电话"] == "138****8000"
    assert values["证件号"] == PERSON_ID[:3] + "*" * 13 + PERSON_ID[-2:]


def test_export_shows_clear_values_to_a_manager_with_english_headers(manager):
    customer = make_customer(manager, name="华东机电", phone="13800138000", kind="person", identity_number=PERSON_ID)

    with translation.override("en"):
        header, row = _export(manager)

    values = dict(zip(header, row, strict=False))  # empty trailing cells are not written
    assert (values["code"], values["name"], values["kind"]) == (customer.code, "华东机电", "person")
    assert values["phone"] == "13800138000" and values["identity_number"] == PERSON_ID


def test_export_follows_the_filters_and_is_recorded(manager):
    make_customer(manager, name="重点甲", customer_class="key")
    make_customer(manager, name="普通乙")

    rows = _export(manager, customer_class="key")

    assert [r[1] for r in rows[1:]] == ["重点甲"]
    event = AuditEvent.objects.get(action="customer.exported")
    assert event.actor == manager
    assert event.payload["count"] == 1 and event.payload["filters"]["customer_class"] == "key"
    assert event.payload["masked"] == {"phone": False, "identity_number": False}


def test_export_formulas_stay_text(manager):
    make_customer(manager, name="=HYPERLINK(\"http://example.com\")")
    wb = openpyxl.load_workbook(io.BytesIO(_export_bytes(manager)))
    assert wb.worksheets[0]["B2"].data_type == "s"


def test_an_agent_may_not_export(agent):
    with pytest.raises(PermissionDenied):
        _export(agent)
    assert customer_events("customer.exported") == 0


def test_exported_sheet_reads_back_as_the_same_records(manager, regions):
    import_file(manager, workbook(good_rows()))
    sheet = transfer.read_workbook(io.BytesIO(_export_bytes(manager)))
    assert not sheet.errors
    assert sorted(r.customer.name for r in sheet.records) == sorted(r[0] for r in good_rows())


# Pages


def _upload(data: io.BytesIO, name: str = "customers.xlsx", content_type: str = XLSX) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data.getvalue(), content_type=content_type)


def test_import_page_checks_then_imports_the_same_upload(client, manager, regions, settings):
    client.force_login(manager)
    url = reverse("customers:import")
    assert client.get(url).status_code == 200

    checked = client.post(url, {"file": _upload(workbook(good_rows()))})

    assert checked.status_code == 200 and Customer.objects.count() == 0
    token = checked.context["token"]
    assert (Path(settings.MEDIA_ROOT) / "imports" / f"{token}.xlsx").is_file()
    done = client.post(url, {"step": "confirm", "token": token})
    assert done.status_code == 302 and done.url == reverse("customers:list")
    assert Customer.objects.count() == 3
    assert AuditEvent.objects.get(action="customer.imported").payload["file_name"] == "customers.xlsx"
    assert not (Path(settings.MEDIA_ROOT) / "imports" / f"{token}.xlsx").exists()
    # The same confirmation again imports nothing more.
    assert client.post(url, {"step": "confirm", "token": token}).status_code == 302
    assert Customer.objects.count() == 3


def test_import_page_lists_every_bad_row(client, manager, regions):
    client.force_login(manager)
    rows = [good_rows()[0], ["坏电话", "组织", "", "", "", "", "张三", "12345", "", "", "", None, None],
            ["", "组织", "", "", "火星", "", "", "", "", "", "", None, None]]

    response = client.post(reverse("customers:import"), {"file": _upload(workbook(rows))})

    assert response.status_code == 200 and not response.context["token"]
    assert [row for row, _ in response.context["problems"]] == [3, 4]
    html = response.content.decode()
    assert 'id="import-problems"' in html and "火星" in html
    assert Customer.objects.count() == 0


def test_import_page_refuses_what_is_not_an_xlsx(client, manager):
    client.force_login(manager)
    url = reverse("customers:import")
    csv = SimpleUploadedFile("customers.csv", "名称,类型\n".encode(), content_type="text/csv")
    fake = SimpleUploadedFile("customers.xlsx", b"not a zip", content_type=XLSX)

    for upload in (csv, fake):
        response = client.post(url, {"file": upload})
        assert response.status_code == 200 and response.context["form"].errors["file"]


def test_import_confirmation_needs_this_sessions_token(client, manager):
    client.force_login(manager)
    response = client.post(reverse("customers:import"), {"step": "confirm", "token": "x" * 32})
    assert response.status_code == 302 and response.url == reverse("customers:import")
    assert customer_events("customer.imported") == 0


def test_import_template_download(client, manager):
    client.force_login(manager)
    response = client.get(reverse("customers:import"), {"template": "1"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    [header] = exported_rows(b"".join(response.streaming_content))
    assert header[1:3] == ("名称", "类型")


def test_import_page_is_forbidden_to_an_agent(client, agent):
    client.force_login(agent)
    assert client.get(reverse("customers:import")).status_code == 403


def test_export_view_downloads_the_filtered_list(client, manager):
    make_customer(manager, name="重点甲", customer_class="key")
    make_customer(manager, name="普通乙")
    client.force_login(manager)

    response = client.get(reverse("customers:export"), {"customer_class": "key"})

    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    assert timezone.localdate().strftime("%Y%m%d") in response["Content-Disposition"]
    rows = exported_rows(b"".join(response.streaming_content))
    assert [r[1] for r in rows[1:]] == ["重点甲"]
    assert customer_events("customer.exported") == 1


def test_export_view_is_forbidden_to_an_agent(client, agent):
    client.force_login(agent)
    assert client.get(reverse("customers:export")).status_code == 403
    assert customer_events("customer.exported") == 0


# Commands


def test_import_command_dry_run_then_import_with_progress(tmp_path, regions, capsys):
    path = tmp_path / "customers.xlsx"
    path.write_bytes(workbook(good_rows()).getvalue())

    call_command("import_customers", str(path), "--dry-run")
    assert Customer.objects.count() == 0
    call_command("import_customers", str(path))

    assert Customer.objects.count() == 3
    assert "[##############################] 3/3" in capsys.readouterr().err
    assert AuditEvent.objects.get(action="customer.imported").actor is None


def test_import_command_prints_every_bad_row_and_fails(tmp_path, regions, capsys):
    path = tmp_path / "customers.xlsx"
    rows = [good_rows()[0], ["坏电话", "组织", "", "", "", "", "张三", "12345", "", "", "", None, None]]
    path.write_bytes(workbook(rows).getvalue())

    with pytest.raises(CommandError) as exc:
        call_command("import_customers", str(path))

    assert exc.value.returncode == 1
    out = capsys.readouterr().out
    assert "3" in out and "电话" in out
    assert Customer.objects.count() == 0


def test_import_command_refuses_an_actor_without_permission(tmp_path, agent, regions):
    path = tmp_path / "customers.xlsx"
    path.write_bytes(workbook(good_rows()).getvalue())
    with pytest.raises(CommandError):
        call_command("import_customers", str(path), "--actor", agent.username)
    assert Customer.objects.count() == 0


def test_export_command_writes_the_file_as_the_actor(tmp_path, manager):
    make_customer(manager, name="华东机电", phone="13800138000")
    out = tmp_path / "out.xlsx"

    call_command("export_customers", str(out), "--actor", manager.username)

    rows = exported_rows(out.read_bytes())
    assert rows[1][1] == "华东机电"
    assert AuditEvent.objects.get(action="customer.exported").actor == manager
    with pytest.raises(CommandError):
        call_command("export_customers", str(tmp_path / "none.xlsx"))
    assert not (tmp_path / "none.xlsx").exists()
