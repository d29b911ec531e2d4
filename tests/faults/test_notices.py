"""R7.1: the notice list, the business owner and the responsible manager are told at once, exactly once
each, also when the report is retried or saved again; again on restoration and closing."""

import pytest

from fuwu.core.models import OutboxMessage
from fuwu.core.outbox import outbox_deliver_pending
from fuwu.faults import actions
from fuwu.faults.models import NoticeRecipient
from fuwu.faults.selectors import notice_list_users
from fuwu.org.models import Department, Profile
from fuwu.org.roles import Role
from tests.factories import make_staff
from tests.faults.conftest import analyse, improve, report, restore

pytestmark = pytest.mark.django_db


def told(fault, event: str) -> list[int]:
    rows = OutboxMessage.objects.filter(object_type="faults.faultreport", object_id=str(fault.pk),
                                        dedupe_key__startswith=f"fault.{event}:")
    return sorted(rows.values_list("recipient_id", flat=True))


@pytest.fixture
def configured(boss, gm):
    """The default list (general manager, managers: migration 0002), a department with a head and one person."""
    head = make_staff(Role.SUPPORT, full_name="部门负责人", email="head@fuwu.example")
    department = Department.objects.create(code="it-ops", name="信息运维部", kind="service", head=head)
    person = make_staff(Role.QUALITY_SUPERVISOR, full_name="质量主管")
    actions.notice_recipient_add(actor=boss, kind="department", department=department)
    actions.notice_recipient_add(actor=boss, kind="user", user=person)
    return {"head": head, "person": person}


def test_the_default_list_is_senior_management_and_the_service_managers(db):
    assert set(NoticeRecipient.objects.values_list("kind", "role")) == {("role", "general_manager"),
                                                                        ("role", "manager")}


def test_everyone_on_the_list_and_the_named_people_are_told_once_at_opening(support, boss, gm, manager, configured,
                                                                          agent):
    owner = make_staff(Role.AGENT, full_name="业务负责人")
    fault = report(support, business_owner=owner, responsible_manager=boss)
    expected = sorted({boss.pk, gm.pk, manager.pk, configured["head"].pk, configured["person"].pk, owner.pk})
    assert told(fault, "opened") == expected
    assert agent.pk not in told(fault, "opened") and support.pk not in told(fault, "opened")
    row = OutboxMessage.objects.get(dedupe_key=f"fault.opened:{fault.pk}:{gm.pk}")
    assert row.email == "gm@fuwu.example" and "浦东新区张江机房" in row.body and "切换至备用交换机" in row.body
    assert row.url == f"/faults/{fault.pk}/"


def test_a_retry_and_a_new_save_tell_nobody_twice_but_tell_someone_newly_named(support, boss, gm, configured):
    fault = report(support, request_key="form-1")
    before = told(fault, "opened")
    assert report(support, request_key="form-1").pk == fault.pk  # the form sent twice
    owner = make_staff(Role.AGENT, full_name="新业务负责人")
    fault = actions.fault_update(
        actor=support, fault=fault, expected_version=fault.version, title=fault.title, started_at=fault.started_at,
        severity="critical", place=fault.place, symptoms=fault.symptoms, handling_plan=fault.handling_plan,
        region=fault.region, business_owner=owner)
    actions.fault_update(  # saved again, unchanged
        actor=support, fault=fault, expected_version=fault.version, title=fault.title, started_at=fault.started_at,
        severity="critical", place=fault.place, symptoms=fault.symptoms, handling_plan=fault.handling_plan,
        region=fault.region, business_owner=owner)
    assert told(fault, "opened") == sorted([*before, owner.pk])
    outbox_deliver_pending()
    outbox_deliver_pending()
    from fuwu.core.models import Notification

    assert Notification.objects.filter(user=gm, outbox__dedupe_key__startswith="fault.opened:").count() == 1


def test_restoration_and_closing_are_told_once_each(support, boss, gm):
    fault = report(support)
    fault = restore(fault, support)
    assert told(fault, "restore") == sorted(u.pk for u in notice_list_users())
    fault = analyse(fault, boss)
    improve(fault, boss)
    fault = actions.fault_close(actor=boss, fault=fault, expected_version=None)
    assert told(fault, "closed") == sorted(u.pk for u in notice_list_users())
    assert gm.pk in told(fault, "closed")


def test_a_department_without_a_head_is_told_through_its_members(boss):
    department = Department.objects.create(code="noc", name="网络监控中心", kind="service")
    member = make_staff(Role.TECHNICIAN)
    Profile.objects.filter(user=member).update(department=department)  # as staff_create does from a group
    actions.notice_recipient_add(actor=boss, kind="department", department=department)
    assert member in notice_list_users()
