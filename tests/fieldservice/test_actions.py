"""Work order actions (R5.1, R4.3–R4.6, R5.5): rows, visits, audit events, notices and refusals."""

import base64
import io

import pytest
from PIL import Image

from fuwu.core.errors import Conflict, InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.fieldservice import actions
from fuwu.fieldservice.codes import WorkOrderAction, WorkOrderError
from fuwu.fieldservice.models import VisitOutcome, WorkOrderStatus
from fuwu.fieldservice.rules import MoveNotAllowed
from fuwu.org.roles import Role
from fuwu.tickets.lifecycle import Tier
from fuwu.tickets.models import SlaClock
from tests.factories import make_staff
from tests.fieldservice.conftest import product, tomorrow_at

pytestmark = pytest.mark.django_db


def signature_png() -> str:
    image = Image.new("RGB", (120, 40), "white")
    for x in range(10, 110):
        image.putpixel((x, 20), (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def open_order(agent, repair, **kwargs):
    defaults = {"fault": "空调不制冷", "site_address": "世纪大道1号", "reason": "远程指导无效"}
    return actions.work_order_open(actor=agent, ticket=repair, expected_version=repair.version,
                                   **{**defaults, **kwargs})


def booked(agent, technician, repair):
    wo = open_order(agent, repair)
    wo = actions.work_order_schedule(actor=agent, work_order=wo, expected_version=wo.version,
                                     technician=technician, start=tomorrow_at(9), end=tomorrow_at(11))
    return actions.work_order_dispatch(actor=agent, work_order=wo, expected_version=wo.version)


def step(actor, wo, move, **kwargs):
    return actions.work_order_move(actor=actor, work_order=wo, expected_version=wo.version, move=move, **kwargs)


def test_going_on_site_opens_the_work_order_and_moves_the_tier(agent, repair, customer):
    """No hidden step: the request is on site, with the arrival clock running, once the order is open."""
    in_warranty = product(agent, customer, warranty_days=200)
    wo = open_order(agent, repair, product=in_warranty)
    repair.refresh_from_db()
    assert repair.tier == Tier.ONSITE
    assert wo.number == f"{repair.number}-W1" and wo.status == WorkOrderStatus.CREATED
    assert (wo.warranty_status, wo.chargeable) == ("in_warranty", False)
    assert wo.contact_phone == "13912345678"
    assert SlaClock.objects.filter(ticket=repair, kind="onsite_arrival", state="running").exists()
    event = AuditEvent.objects.filter(action=WorkOrderAction.OPENED).get()
    assert event.payload["ticket"] == repair.number and event.payload["chargeable"] is False


def test_out_of_warranty_is_charged(agent, repair, customer):
    expired = product(agent, customer, warranty_days=-10)
    assert open_order(agent, repair, product=expired).chargeable is True


def test_a_product_of_another_customer_is_refused(agent, repair):
    from tests.factories import make_customer

    other = make_customer(agent, name="别家公司")
    with pytest.raises(InvalidInput) as exc:
        open_order(agent, repair, product=product(agent, other, warranty_days=100))
    assert "product" in exc.value.errors


def test_one_open_work_order_per_request(agent, repair):
    open_order(agent, repair)
    repair.refresh_from_db()
    with pytest.raises(InvalidInput) as exc:
        open_order(agent, repair)
    assert exc.value.code == WorkOrderError.OPEN_WORK_ORDER


def test_the_whole_visit_meets_the_arrival_clock_and_keeps_the_signature(agent, technician, repair):
    wo = booked(agent, technician, repair)
    assert OutboxMessage.objects.filter(recipient=technician, subject__contains=wo.number).exists()
    wo = actions.work_order_accept(actor=technician, work_order=wo, expected_version=wo.version)
    for move in ("depart", "check_in"):
        wo = step(technician, wo, move)
    repair.refresh_from_db()
    assert repair.onsite_arrived_at is not None
    assert SlaClock.objects.get(ticket=repair, kind="onsite_arrival").state == "met"
    wo = step(technician, wo, "diagnose", findings="压缩机电容损坏")
    wo = step(technician, wo, "repair")
    wo = step(technician, wo, "test")
    wo = actions.work_order_complete(actor=technician, work_order=wo, expected_version=wo.version,
                                     work_done="更换电容，试机正常", signer_name="陈建国", satisfaction=5,
                                     signature=signature_png())
    assert wo.status == WorkOrderStatus.COMPLETED and wo.signature.read().startswith(b"\x89PNG")
    wo = step(technician, wo, "report")
    assert wo.status == WorkOrderStatus.REPORTED and wo.reported_at
    visit = wo.visits.get()
    assert visit.departed_at <= visit.arrived_at <= visit.ended_at and visit.outcome == VisitOutcome.COMPLETED
    codes = list(AuditEvent.objects.filter(object_type="fieldservice.workorder").order_by("id")
                 .values_list("action", flat=True))
    assert codes[:4] == [WorkOrderAction.OPENED, WorkOrderAction.SCHEDULED, WorkOrderAction.DISPATCHED,
                         WorkOrderAction.ACCEPTED]
    assert codes[-1] == WorkOrderAction.MOVED and WorkOrderAction.COMPLETED in codes


def test_not_fixed_ends_the_visit_and_the_next_one_is_booked(agent, technician, repair):
    wo = booked(agent, technician, repair)
    wo = actions.work_order_accept(actor=technician, work_order=wo, expected_version=wo.version)
    wo = step(technician, wo, "check_in")
    with pytest.raises(InvalidInput) as exc:
        step(technician, wo, "not_fixed", reason="缺压缩机")
    assert "outcome" in exc.value.errors
    wo = step(technician, wo, "not_fixed", reason="缺压缩机", outcome="waiting_parts")
    assert wo.status == WorkOrderStatus.WAITING_PARTS and wo.last_reason == "缺压缩机"
    assert OutboxMessage.objects.filter(recipient=agent, subject__contains=wo.number).exists()
    wo = actions.work_order_schedule(actor=agent, work_order=wo, expected_version=wo.version, technician=technician,
                                     start=tomorrow_at(14), end=tomorrow_at(16))
    assert [(v.seq, v.outcome) for v in wo.visits.order_by("seq")] == [(1, "waiting_parts"), (2, "")]


def test_rebooking_needs_a_reason_and_is_recorded_as_such(agent, technician, repair):
    wo = booked(agent, technician, repair)
    with pytest.raises(InvalidInput) as exc:
        actions.work_order_schedule(actor=agent, work_order=wo, expected_version=wo.version, technician=technician,
                                    start=tomorrow_at(13), end=tomorrow_at(15))
    assert "reason" in exc.value.errors
    wo = actions.work_order_schedule(actor=agent, work_order=wo, expected_version=wo.version, technician=technician,
                                     start=tomorrow_at(13), end=tomorrow_at(15), reason="客户改约下午")
    assert wo.status == WorkOrderStatus.SCHEDULED and wo.visits.count() == 1
    event = AuditEvent.objects.filter(action=WorkOrderAction.RESCHEDULED).get()
    assert event.payload["reason"] == "客户改约下午" and "before" in event.payload


def test_the_technician_declines_with_a_reason_and_it_goes_back_to_be_booked(agent, technician, repair):
    wo = booked(agent, technician, repair)
    with pytest.raises(InvalidInput):
        step(technician, wo, "decline")
    wo = step(technician, wo, "decline", reason="明天休假")
    assert (wo.status, wo.technician_id) == (WorkOrderStatus.CREATED, None)
    assert wo.visits.get().outcome == VisitOutcome.DECLINED


def test_only_the_assigned_technician_works_it_and_only_a_dispatcher_books(agent, technician, repair):
    other = make_staff(Role.TECHNICIAN)
    wo = booked(agent, technician, repair)
    with pytest.raises(PermissionDenied):
        actions.work_order_accept(actor=other, work_order=wo, expected_version=wo.version)
    with pytest.raises(PermissionDenied):
        step(agent, wo, "depart")
    with pytest.raises(PermissionDenied):
        actions.work_order_schedule(actor=technician, work_order=wo, expected_version=wo.version,
                                    technician=technician, start=tomorrow_at(9), end=tomorrow_at(10), reason="x")
    with pytest.raises(InvalidInput) as exc:
        actions.work_order_schedule(actor=agent, work_order=wo, expected_version=wo.version, technician=agent,
                                    start=tomorrow_at(9), end=tomorrow_at(10), reason="x")
    assert exc.value.code == WorkOrderError.NOT_A_TECHNICIAN


def test_a_step_out_of_order_is_refused_and_a_stale_one_conflicts(agent, technician, repair):
    wo = booked(agent, technician, repair)
    with pytest.raises(MoveNotAllowed):
        step(technician, wo, "repair")
    stale = wo.version
    wo = actions.work_order_accept(actor=technician, work_order=wo, expected_version=wo.version)
    with pytest.raises(Conflict):
        actions.work_order_move(actor=technician, work_order=wo, expected_version=stale, move="depart")


def test_sign_off_needs_the_signature_as_a_png(agent, technician, repair):
    wo = booked(agent, technician, repair)
    wo = actions.work_order_accept(actor=technician, work_order=wo, expected_version=wo.version)
    for move, extra in (("check_in", {}), ("diagnose", {"findings": "电容"}), ("repair", {}), ("test", {})):
        wo = step(technician, wo, move, **extra)
    fake = "data:image/png;base64," + base64.b64encode(b"<html>not an image</html>").decode()
    with pytest.raises(InvalidInput) as exc:
        actions.work_order_complete(actor=technician, work_order=wo, expected_version=wo.version, work_done="换电容",
                                    signer_name="", satisfaction=9, signature=fake)
    assert set(exc.value.errors) == {"signer_name", "satisfaction", "signature"}


def test_the_technician_of_the_order_may_write_on_its_request(agent, technician, repair):
    """R4.4: the technician records the arrival on a request owned by the hotline."""
    from fuwu.tickets import rules

    assert not rules.may_write(technician, repair)
    booked(agent, technician, repair)
    assert rules.may_write(technician, repair)


def test_a_defect_goes_to_quality_with_the_product(agent, technician, repair, customer):
    from fuwu.fieldservice.models import ProductDefect

    supervisor = make_staff(Role.QUALITY_SUPERVISOR)
    wo = open_order(agent, repair, product=product(agent, customer, warranty_days=30))
    with pytest.raises(PermissionDenied):
        actions.product_defect_report(actor=technician, work_order=wo, description="密封圈老化")
    wo = actions.work_order_schedule(actor=agent, work_order=wo, expected_version=wo.version, technician=technician,
                                     start=tomorrow_at(9), end=tomorrow_at(11))
    with pytest.raises(InvalidInput):
        actions.product_defect_report(actor=technician, work_order=wo, description=" ")
    defect = actions.product_defect_report(actor=technician, work_order=wo, description="密封圈老化")
    assert ProductDefect.objects.get() == defect and defect.product == wo.product
    assert OutboxMessage.objects.filter(recipient=supervisor, subject__contains=wo.number).exists()
    assert AuditEvent.objects.filter(action=WorkOrderAction.DEFECT_REPORTED).count() == 1


def test_parts_used_come_out_of_the_technicians_stock_while_at_work(agent, technician, repair):
    """R5.2: a part used on the repair is a consumption movement of the ledger, on the work order."""
    from fuwu.fieldservice.selectors import parts_used
    from fuwu.materials.actions import stock_requisition
    from fuwu.materials.models import Movement, StockHolding
    from tests.factories import make_item

    manager = make_staff(Role.MANAGER)
    capacitor = make_item(manager, name="启动电容", stock=5, specification="35μF")
    stock_requisition(actor=manager, item=capacitor, quantity=2, technician=technician)
    wo = booked(agent, technician, repair)
    wo = actions.work_order_accept(actor=technician, work_order=wo, expected_version=wo.version)
    with pytest.raises(InvalidInput) as exc:
        actions.work_order_use_part(actor=technician, work_order=wo, item=capacitor, quantity=1)
    assert exc.value.code == WorkOrderError.NOT_AT_WORK
    wo = step(technician, wo, "check_in")
    movement = actions.work_order_use_part(actor=technician, work_order=wo, item=capacitor, quantity=2)
    assert (movement.kind, movement.work_order_id, movement.reference) == ("consumption", wo.pk, wo.number)
    assert StockHolding.objects.get(item=capacitor, holder=technician).quantity == 0
    with pytest.raises(InvalidInput):  # nothing left in hand: refused, never negative
        actions.work_order_use_part(actor=technician, work_order=wo, item=capacitor, quantity=1)
    assert parts_used(wo) == [{"code": capacitor.code, "name": "启动电容", "specification": "35μF", "unit": "个",
                               "quantity": 2}]
    assert Movement.objects.filter(work_order_id=wo.pk).count() == 1
    with pytest.raises(PermissionDenied):
        actions.work_order_use_part(actor=make_staff(Role.TECHNICIAN), work_order=wo, item=capacitor, quantity=1)
