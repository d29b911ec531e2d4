"""Reads of the materials ledger (R13.2): scoped to the viewer, one query per list."""

import decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fuwu.core.errors import PermissionDenied
from fuwu.materials import actions
from fuwu.materials.selectors import (
    ItemFilters,
    items_with_stock,
    low_stock_items,
    movement_page,
    stock_value,
    technician_holdings,
)
from fuwu.org.roles import Role
from tests.factories import fresh, make_item, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(manager):
    techs = [make_staff(Role.TECHNICIAN) for _ in range(2)]
    items = [make_item(manager, code=f"P-{n}", name=f"备件{n}", reorder_level=5, stock=8,
                       unit_cost=decimal.Decimal("10.00")) for n in range(6)]
    for item in items:
        for tech in techs:
            actions.stock_requisition(actor=manager, item=item, quantity=1, technician=tech)
    return techs, items


def test_items_with_stock_is_one_query_whatever_the_number_of_items(manager, ledger):
    viewer = fresh(manager)
    items_with_stock(viewer)  # the viewer's roles are loaded once per user object
    with CaptureQueriesContext(connection) as queries:
        rows = list(items_with_stock(viewer))
    assert len(queries) == 1
    assert [(r.store_quantity, r.total_quantity, r.stock_value) for r in rows[:1]] == [(6, 8, decimal.Decimal("80"))]


def test_movement_page_is_one_query(manager, ledger):
    viewer = fresh(manager)
    movement_page(viewer)
    with CaptureQueriesContext(connection) as queries:
        rows, has_more = movement_page(viewer, size=10)
        [(m.item.code, m.from_holder, m.to_holder, m.actor) for m in rows]
    assert len(queries) == 1 and has_more


def test_low_stock_and_value(manager, ledger):
    techs, items = ledger
    actions.stock_requisition(actor=manager, item=items[0], quantity=1, technician=techs[0])
    assert [i.code for i in low_stock_items(manager)] == ["P-0"]
    assert stock_value(manager) == decimal.Decimal("480.00")
    with pytest.raises(PermissionDenied):
        stock_value(techs[0])


def test_a_technician_sees_only_their_own(manager, ledger):
    (tech, other), _items = ledger
    rows, _more = movement_page(tech, size=100)
    assert {m.to_holder_id for m in rows} == {tech.pk}
    assert len(technician_holdings(tech, tech)) == 6
    with pytest.raises(PermissionDenied):
        technician_holdings(tech, other)
    assert len(technician_holdings(make_staff(Role.FINANCE), other)) == 6
    mine = items_with_stock(tech, ItemFilters(q="备件1")).get()
    assert mine.mine_quantity == 1
    with pytest.raises(PermissionDenied):
        items_with_stock(make_staff(Role.AGENT))
