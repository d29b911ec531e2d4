"""The PDF work order (R5.1), the reminders the day before (R4.5) and repair timeliness (R5.4)."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone

from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.fieldservice import actions
from fuwu.fieldservice.codes import WorkOrderAction
from fuwu.fieldservice.documents import work_order_pdf
from fuwu.fieldservice.timeliness import last_months, repair_timeliness
from fuwu.org.roles import Role
from fuwu.tickets.models import SlaClock
from tests.factories import make_staff
from tests.fieldservice.conftest import tomorrow_at
from tests.fieldservice.test_actions import booked, signature_png, step

pytestmark = pytest.mark.django_db


def signed_off(agent, technician, repair):
    wo = booked(agent, technician, repair)
    wo = actions.work_order_accept(actor=technician, work_order=wo, expected_version=wo.version)
    for move, extra in (("check_in", {}), ("diagnose", {"findings": "压缩机启动电容损坏"}), ("repair", {}),
                        ("test", {})):
        wo = step(technician, wo, move, **extra)
    return actions.work_order_complete(actor=technician, work_order=wo, expected_version=wo.version,
                                       work_done="更换启动电容，试机制冷正常", signer_name="陈建国", satisfaction=5,
                                       signature=signature_png())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (make test installs it)")
def test_the_pdf_carries_the_chinese_text_and_the_signature(agent, technician, repair, tmp_path):
    wo = signed_off(agent, technician, repair)
    pdf = work_order_pdf(wo)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "wo.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([shutil.which("pdftotext"), "-layout", str(path), "-"],  # noqa: S603
                          capture_output=True, text=True, check=True).stdout
    for expected in (wo.number, "维修工单", "更换启动电容，试机制冷正常", "压缩机启动电容损坏", "陈建国",
                     "世纪大道1号"):
        assert expected in text, expected
    images = subprocess.run([shutil.which("pdfimages"), "-list", str(path)],  # noqa: S603
                            capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) >= 3  # header, rule and the signature


def test_the_pdf_page_is_for_those_who_see_the_order(client, agent, technician, repair):
    wo = signed_off(agent, technician, repair)
    client.force_login(technician)
    response = client.get(f"/field/{wo.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(make_staff(Role.TECHNICIAN))
    assert client.get(f"/field/{wo.pk}/pdf/").status_code == 404


def test_reminders_go_out_once_the_day_before(agent, technician, repair):
    repair.contact_email = "chen@example.com"
    repair.save(update_fields=["contact_email"])
    wo = booked(agent, technician, repair)
    day = tomorrow_at(9).date()
    assert actions.work_orders_remind(day=day) == 1
    assert actions.work_orders_remind(day=day) == 0  # the job may run twice; the customer hears once
    to_technician = OutboxMessage.objects.get(recipient=technician, dedupe_key__startswith="work_order.reminder")
    to_customer = OutboxMessage.objects.get(email="chen@example.com")
    assert wo.number in to_technician.subject and "09:00" in to_customer.body
    event = AuditEvent.objects.get(action=WorkOrderAction.REMINDED)
    assert len(event.payload["sms_text"]) <= 140


def test_timeliness_counts_on_time_late_and_revisits(agent, technician, repair):
    from tests.factories import make_ticket

    on_time = signed_off(agent, technician, repair)
    other = make_ticket(agent, service_type="repair", title="漏水", contact_phone="13900000000",
                        site_address="张江路2号", region_id=repair.region_id, occurred_since="昨天")
    late = actions.work_order_open(actor=agent, ticket=other, expected_version=other.version, fault="漏水",
                                   site_address="张江路2号", reason="上门")
    late = actions.work_order_schedule(actor=agent, work_order=late, expected_version=late.version,
                                       technician=technician, start=tomorrow_at(14), end=tomorrow_at(16))
    late = actions.work_order_dispatch(actor=agent, work_order=late, expected_version=late.version)
    late = actions.work_order_accept(actor=technician, work_order=late, expected_version=late.version)
    SlaClock.objects.filter(ticket=other, kind="onsite_arrival").update(breached_at=timezone.now())
    late = step(technician, late, "check_in")
    late = step(technician, late, "not_fixed", reason="缺件", outcome="waiting_parts")
    late = actions.work_order_schedule(actor=agent, work_order=late, expected_version=late.version,
                                       technician=technician, start=tomorrow_at(9) + datetime.timedelta(days=1),
                                       end=tomorrow_at(11) + datetime.timedelta(days=1))
    late = actions.work_order_dispatch(actor=agent, work_order=late, expected_version=late.version)
    late = actions.work_order_accept(actor=technician, work_order=late, expected_version=late.version)
    for move, extra in (("check_in", {}), ("diagnose", {"findings": "阀门"}), ("repair", {}), ("test", {})):
        late = step(technician, late, move, **extra)
    late = actions.work_order_complete(actor=technician, work_order=late, expected_version=late.version,
                                       work_done="换阀门", signer_name="王", satisfaction=4, signature=signature_png())
    since, until = last_months(12)
    total, by_month = repair_timeliness(agent, since=since, until=until + datetime.timedelta(seconds=1))
    assert (total.completed, total.on_time, total.arrived_on_time, total.first_visit_fixed) == (2, 1, 1, 1)
    assert total.visits == 3 and total.rate == 0.5 and len(by_month) == 1
    assert on_time.status == late.status == "completed"


def test_the_managers_home_shows_the_rate_and_the_technicians_home_their_day(client, agent, technician, repair):
    from fuwu.quality.actions import snapshots_compute

    signed_off(agent, technician, repair)
    snapshots_compute()  # the manager's home shows service health from the indicators' snapshots (issue 14)
    client.force_login(make_staff(Role.MANAGER))
    page = client.get("/").content.decode()
    assert "100.0%" in page and "/field/timeliness/" in page
    assert client.get("/field/timeliness/").status_code == 200
    client.force_login(technician)
    assert 'id="home-visits"' in client.get("/").content.decode()
