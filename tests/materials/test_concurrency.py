"""Concurrent stock movements (R13.2): the holdings' row locks under real threads.

Only on PostgreSQL: SQLite has one write lock for the whole database, so writers never overlap there.
"""


from django.core.management import call_command

from fuwu.core.errors import InvalidInput
from fuwu.materials import actions
from fuwu.materials.codes import MaterialsError
from fuwu.materials.models import Movement, MovementKind, StockHolding
from fuwu.org.roles import Role
from tests.concurrency import POSTGRES_ONLY, run_together
from tests.factories import make_item, make_staff

pytestmark = POSTGRES_ONLY


def test_two_consumptions_of_the_last_unit_one_succeeds_one_is_refused():
    manager = make_staff(Role.MANAGER)
    tech = make_staff(Role.TECHNICIAN)
    item = make_item(manager, name="主板", stock=1)
    actions.stock_requisition(actor=manager, item=item, quantity=1, technician=tech)
    results = run_together([
        lambda n=n: actions.stock_consume(actor=tech, item=item, quantity=1, work_order_id=n, reference=f"WX-{n}")
        for n in (1, 2)
    ])
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    (error,) = [value for kind, value in results if kind == "error"]
    assert isinstance(error, InvalidInput) and error.code == MaterialsError.INSUFFICIENT_STOCK
    assert error.data["available"] == 0 and "主板" in str(error.message)
    assert StockHolding.objects.get(item=item, holder=tech).quantity == 0
    assert Movement.objects.filter(kind=MovementKind.CONSUMPTION).count() == 1
    call_command("verify_audit")


def test_two_technicians_requisition_the_last_unit_of_the_store_at_once():
    manager, other_manager = make_staff(Role.MANAGER), make_staff(Role.MANAGER)
    techs = [make_staff(Role.TECHNICIAN) for _ in range(2)]
    item = make_item(manager, name="电源模块", stock=1)
    results = run_together([
        lambda: actions.stock_requisition(actor=manager, item=item, quantity=1, technician=techs[0]),
        lambda: actions.stock_requisition(actor=other_manager, item=item, quantity=1, technician=techs[1]),
    ])
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    held = sorted(StockHolding.objects.filter(item=item).values_list("quantity", flat=True))
    assert held == [0, 1]  # the store empty, one technician holding the unit (the refused one's row rolled back)
    call_command("verify_audit")


def test_many_movements_at_once_lose_no_update_and_never_deadlock():
    manager = make_staff(Role.MANAGER)
    techs = [make_staff(Role.TECHNICIAN) for _ in range(3)]
    item = make_item(manager, name="密封圈", stock=30)
    for tech in techs:
        actions.stock_requisition(actor=manager, item=item, quantity=5, technician=tech)
    jobs = []
    for tech in techs:
        jobs += [
            lambda t=tech: actions.stock_return(actor=t, item=item, quantity=1),
            lambda t=tech: actions.stock_requisition(actor=manager, item=item, quantity=2, technician=t),
            lambda t=tech: actions.stock_consume(actor=t, item=item, quantity=1, work_order_id=9, reference="WX-9"),
        ]
    results = run_together(jobs)
    assert all(kind == "ok" for kind, _ in results), results
    store = StockHolding.objects.get(item=item, holder=None).quantity
    per_tech = [StockHolding.objects.get(item=item, holder=t).quantity for t in techs]
    assert store == 30 - 15 + 3 - 6
    assert per_tech == [5 - 1 + 2 - 1] * 3
    call_command("verify_audit")
