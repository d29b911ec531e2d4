"""The materials ledger's actions (R13.2): rows, movements, audit events, refusals, low-stock notices."""

import decimal

import pytest

from fuwu.core.errors import Conflict, InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.materials import actions
from fuwu.materials.codes import MaterialsAction, MaterialsError
from fuwu.materials.models import Item, Movement, MovementKind, StockHolding
from fuwu.materials.validation import ItemInput
from fuwu.org.roles import Role
from tests.factories import make_item, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def tech(db):
    return make_staff(Role.TECHNICIAN, full_name="李师傅")


def _qty(item, holder=None):
    row = StockHolding.objects.filter(item=item, holder=holder).first()
    return row.quantity if row else 0


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_item_create_registers_item_store_holding_and_event(manager):
    item = actions.item_create(actor=manager, data=ItemInput(
        code=" mb-01 ", name="主板", unit="块", specification="X86 工控主板", unit_cost=decimal.Decimal("1500"),
        reorder_level=3))
    assert (item.code, item.unit_cost, item.version) == ("MB-01", decimal.Decimal("1500.00"), 1)
    assert _qty(item) == 0
    (event,) = _events(MaterialsAction.ITEM_CREATED)
    assert event.payload["new"]["code"] == "MB-01"


def test_item_create_refuses_a_duplicate_code_and_blank_fields(manager):
    make_item(manager, code="PS-01")
    with pytest.raises(InvalidInput) as exc:
        actions.item_create(actor=manager, data=ItemInput(code="ps-01", name="电源", unit="个"))
    assert exc.value.code == MaterialsError.DUPLICATE_CODE
    with pytest.raises(InvalidInput) as exc:
        actions.item_create(actor=manager, data=ItemInput(code="", name="", unit="", unit_cost=decimal.Decimal(-1)))
    assert set(exc.value.errors) == {"code", "name", "unit", "unit_cost"}


@pytest.mark.parametrize("role", [Role.TECHNICIAN, Role.FINANCE, Role.AGENT, Role.QUALITY_SUPERVISOR])
def test_only_managers_register_items(role):
    with pytest.raises(PermissionDenied):
        actions.item_create(actor=make_staff(role), data=ItemInput(code="X", name="x", unit="个"))


def test_item_update_checks_the_version(manager):
    item = make_item(manager, name="传感器")
    data = ItemInput(code=item.code, name="温度传感器", unit="个", unit_cost=decimal.Decimal("80"))
    updated = actions.item_update(actor=manager, item=item, expected_version=1, data=data)
    assert (updated.name, updated.version) == ("温度传感器", 2)
    (event,) = _events(MaterialsAction.ITEM_UPDATED)
    assert event.payload["old"]["name"] == "传感器"
    with pytest.raises(Conflict) as exc:
        actions.item_update(actor=manager, item=item, expected_version=1, data=data)
    assert exc.value.data["current_version"] == 2


def test_receive_requisition_consume_return_move_stock_and_record(manager, tech):
    item = make_item(manager, name="密封圈", unit_cost=decimal.Decimal("2.50"))
    actions.stock_receive(actor=manager, item=item, quantity=100, reference="RK-001")
    actions.stock_requisition(actor=manager, item=item, quantity=10, technician=tech)
    consumed = actions.stock_consume(actor=tech, item=item, quantity=3, work_order_id=42, reference="WO-2026-000042")
    actions.stock_return(actor=tech, item=item, quantity=2)
    assert (_qty(item), _qty(item, tech)) == (92, 5)
    kinds = list(Movement.objects.filter(item=item).order_by("id").values_list("kind", "quantity"))
    assert kinds == [(MovementKind.RECEIPT, 100), (MovementKind.REQUISITION, 10),
                     (MovementKind.CONSUMPTION, 3), (MovementKind.RETURN, 2)]
    assert (consumed.from_holder, consumed.work_order_id, consumed.reference, consumed.unit_cost) == (
        tech, 42, "WO-2026-000042", decimal.Decimal("2.50"))
    (event,) = _events(MaterialsAction.CONSUMED)
    assert event.payload["technician_quantity"] == 7 and event.payload["work_order_id"] == 42
    assert len(_events(MaterialsAction.RECEIVED)) == 1
    assert len(_events(MaterialsAction.REQUISITIONED)) == 1
    assert _events(MaterialsAction.RETURNED)[0].payload["store_quantity"] == 92


def test_requisition_beyond_the_store_is_refused_naming_item_and_available(manager, tech):
    item = make_item(manager, name="主板", unit="块", stock=2)
    with pytest.raises(InvalidInput) as exc:
        actions.stock_requisition(actor=manager, item=item, quantity=3, technician=tech)
    assert exc.value.code == MaterialsError.INSUFFICIENT_STOCK
    assert "主板" in str(exc.value.message) and "2" in str(exc.value.message)
    assert exc.value.errors["quantity"] and exc.value.data["available"] == 2
    assert (_qty(item), _qty(item, tech)) == (2, 0)
    assert not Movement.objects.filter(kind=MovementKind.REQUISITION).exists()


def test_consuming_more_than_held_is_refused(manager, tech):
    item = make_item(manager, stock=5)
    actions.stock_requisition(actor=manager, item=item, quantity=1, technician=tech)
    with pytest.raises(InvalidInput) as exc:
        actions.stock_consume(actor=tech, item=item, quantity=2, work_order_id=1, reference="WO-1")
    assert exc.value.code == MaterialsError.INSUFFICIENT_STOCK
    assert _qty(item, tech) == 1


def test_a_manager_records_consumption_for_a_technician_but_another_technician_cannot(manager, tech):
    item = make_item(manager, stock=5)
    actions.stock_requisition(actor=manager, item=item, quantity=2, technician=tech)
    movement = actions.stock_consume(actor=manager, technician=tech, item=item, quantity=1, work_order_id=7)
    assert (movement.actor, movement.from_holder) == (manager, tech)
    other = make_staff(Role.TECHNICIAN)
    with pytest.raises(PermissionDenied):
        actions.stock_consume(actor=other, technician=tech, item=item, quantity=1, work_order_id=7)
    with pytest.raises(PermissionDenied):
        actions.stock_consume(actor=make_staff(Role.FINANCE), item=item, quantity=1, work_order_id=7)


def test_parts_go_only_to_technicians(manager, finance):
    item = make_item(manager, stock=5)
    with pytest.raises(InvalidInput) as exc:
        actions.stock_requisition(actor=manager, item=item, quantity=1, technician=finance)
    assert "technician" in exc.value.errors


def test_adjustment_records_the_difference_with_its_reason(manager, tech):
    item = make_item(manager, stock=10)
    down = actions.stock_adjust(actor=manager, item=item, counted=8, reason="盘点少 2 个")
    assert (down.quantity, down.delta, down.from_store, down.note) == (2, -2, True, "盘点少 2 个")
    actions.stock_requisition(actor=manager, item=item, quantity=3, technician=tech)
    up = actions.stock_adjust(actor=manager, item=item, counted=4, reason="车上多找到 1 个", holder=tech)
    assert (up.delta, up.to_holder) == (1, tech)
    assert (_qty(item), _qty(item, tech)) == (5, 4)
    assert [e.payload["delta"] for e in _events(MaterialsAction.ADJUSTED)] == [-2, 1]
    with pytest.raises(InvalidInput) as exc:
        actions.stock_adjust(actor=manager, item=item, counted=5, reason="")
    assert set(exc.value.errors) == {"reason"}
    with pytest.raises(InvalidInput):
        actions.stock_adjust(actor=manager, item=item, counted=5, reason="再数一遍")


def test_quantities_must_be_positive_whole_numbers(manager):
    item = make_item(manager)
    for bad in (0, -1, 10**9, 1.5, "3", True):
        with pytest.raises(InvalidInput):
            actions.stock_receive(actor=manager, item=item, quantity=bad)
    assert not Movement.objects.exists()


def test_retired_items_take_no_receipts(manager):
    item = make_item(manager, is_active=False)
    with pytest.raises(InvalidInput) as exc:
        actions.stock_receive(actor=manager, item=item, quantity=1)
    assert exc.value.code == MaterialsError.ITEM_INACTIVE


def test_movements_are_append_only(manager):
    item = make_item(manager, stock=1)
    movement = Movement.objects.get()
    with pytest.raises(TypeError):
        movement.save()
    with pytest.raises(TypeError):
        movement.delete()
    with pytest.raises(TypeError):
        Movement.objects.filter(item=item).update(quantity=5)
    with pytest.raises(TypeError):
        Movement.objects.all().delete()


def test_low_stock_is_told_once_per_crossing(manager, tech):
    admin = make_staff(Role.ADMIN)
    item = make_item(manager, name="电源模块", reorder_level=5, stock=10)

    def notices():
        return OutboxMessage.objects.filter(object_type="materials.item", object_id=str(item.pk))

    assert not notices().exists()
    actions.stock_requisition(actor=manager, item=item, quantity=5, technician=tech)  # 5: at the level
    assert {m.recipient for m in notices()} == {manager, admin}
    actions.stock_requisition(actor=manager, item=item, quantity=2, technician=tech)  # 3: still low
    assert notices().count() == 2
    actions.stock_receive(actor=manager, item=item, quantity=10)  # 13: above again
    actions.stock_requisition(actor=manager, item=item, quantity=9, technician=tech)  # 4: crossed again
    assert notices().count() == 4
    assert "电源模块" in notices().first().subject


def test_raising_the_reorder_level_can_make_stock_low(manager):
    item = make_item(manager, stock=4)
    actions.item_update(actor=manager, item=item, expected_version=1, data=ItemInput(
        code=item.code, name=item.name, unit=item.unit, unit_cost=item.unit_cost, reorder_level=4))
    assert OutboxMessage.objects.filter(object_type="materials.item").count() == 1
    assert StockHolding.objects.get(item=item, holder=None).low_notified
    assert Item.objects.get(pk=item.pk).reorder_level == 4


def test_the_database_refuses_to_change_a_movement(manager):
    from django.db import DatabaseError, connection, transaction

    make_item(manager, stock=1)
    movement = Movement.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE materials_movement SET quantity = 5 WHERE id = %s", [movement.pk])
    assert Movement.objects.get().quantity == 1
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM materials_movement WHERE id = %s", [movement.pk])
        assert Movement.objects.count() == 1
