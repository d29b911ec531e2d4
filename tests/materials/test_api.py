"""/api/v1/materials: the permission matrix per role, typed errors, scoping (R13.2; docs/architecture.md, rule 7)."""

import json

import pytest

from fuwu.materials import actions
from fuwu.materials.codes import MaterialsError
from fuwu.materials.models import Movement, MovementKind, StockHolding
from fuwu.org.roles import Role
from tests.factories import link_portal_user, make_customer, make_item, make_staff

pytestmark = pytest.mark.django_db

BASE = "/api/v1/materials"
VIEWERS = {"admin", "manager", "technician", "quality_supervisor", "finance", "general_manager"}
MANAGERS = {"admin", "manager"}
WORKERS = MANAGERS | {"technician"}  # a technician moves their own parts; a manager anyone's
EXPECTED = {
    role.value: {
        "items": 200 if role in VIEWERS else 403,
        "item": 200 if role in VIEWERS else 403,
        "movements": 200 if role in VIEWERS else 403,
        "create": 201 if role in MANAGERS else 403,
        "update": 200 if role in MANAGERS else 403,
        "receipt": 201 if role in MANAGERS else 403,
        "requisition": 201 if role in MANAGERS else 403,
        "adjustment": 201 if role in MANAGERS else 403,
        "consume": 201 if role in WORKERS else 403,
        "return": 201 if role in WORKERS else 403,
    }
    for role in Role
}


@pytest.fixture
def tech(db):
    return make_staff(Role.TECHNICIAN, full_name="王师傅")


@pytest.fixture
def item(manager, tech):
    item = make_item(manager, code="MB-01", name="主板", unit="块", stock=20)
    actions.stock_requisition(actor=manager, item=item, quantity=5, technician=tech)
    return item


def _json(client, method, url, body=None):
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _calls(item, tech):
    return {
        "items": ("get", f"{BASE}/items", None),
        "item": ("get", f"{BASE}/items/{item.pk}", None),
        "movements": ("get", f"{BASE}/movements?item_id={item.pk}", None),
        "create": ("post", f"{BASE}/items", {"code": "PS-9", "name": "电源模块", "unit": "个", "unit_cost": "88.00"}),
        "update": ("put", f"{BASE}/items/{item.pk}",
                   {"code": "MB-01", "name": "工控主板", "unit": "块", "version": item.version}),
        "receipt": ("post", f"{BASE}/receipts", {"item_id": item.pk, "quantity": 3, "reference": "RK-7"}),
        "requisition": ("post", f"{BASE}/requisitions", {"item_id": item.pk, "quantity": 1, "technician_id": tech.pk}),
        "adjustment": ("post", f"{BASE}/adjustments", {"item_id": item.pk, "counted": 30, "reason": "盘点"}),
        "consume": ("post", f"{BASE}/consumptions",
                    {"item_id": item.pk, "quantity": 1, "technician_id": tech.pk, "work_order_id": 77,
                     "reference": "WX-2026-000077"}),
        "return": ("post", f"{BASE}/returns", {"item_id": item.pk, "quantity": 1, "technician_id": tech.pk}),
    }


def _user_for(role, manager, tech):
    if role == "customer":
        return link_portal_user(make_customer(manager, name="另一家客户", phone="13600136000"))
    if role == "technician":
        return tech
    return make_staff(role)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_permission_matrix(client, manager, tech, item, role):
    client.force_login(_user_for(role, manager, tech))
    got = {name: _json(client, method, url, body).status_code
           for name, (method, url, body) in _calls(item, tech).items()}
    assert got == EXPECTED[role]


def test_forbidden_answers_carry_the_permission_code(client, item):
    client.force_login(make_staff(Role.AGENT))
    response = client.get(f"{BASE}/items")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden.materials.view"


def test_unauthenticated_calls_are_refused(client, item):
    assert client.get(f"{BASE}/items").status_code == 401


def test_consuming_more_than_held_answers_400_with_the_typed_body(client, item, tech):
    client.force_login(tech)
    response = _json(client, "post", f"{BASE}/consumptions", {"item_id": item.pk, "quantity": 6, "work_order_id": 5})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == MaterialsError.INSUFFICIENT_STOCK
    assert body["available"] == 5 and "主板" in body["message"] and body["errors"]["quantity"]
    assert StockHolding.objects.get(item=item, holder=tech).quantity == 5


def test_a_stale_item_update_answers_409(client, manager, item):
    client.force_login(manager)
    body = {"code": "MB-01", "name": "新名字", "unit": "块", "version": 99}
    response = _json(client, "put", f"{BASE}/items/{item.pk}", body)
    assert response.status_code == 409 and response.json()["current_version"] == item.version


def test_a_technician_sees_only_their_own_movements_and_holdings(client, manager, tech, item):
    other = make_staff(Role.TECHNICIAN)
    actions.stock_requisition(actor=manager, item=item, quantity=2, technician=other)
    client.force_login(tech)
    moves = client.get(f"{BASE}/movements").json()["items"]
    assert [m["kind"] for m in moves] == [MovementKind.REQUISITION]
    assert moves[0]["to_holder_id"] == tech.pk
    detail = client.get(f"{BASE}/items/{item.pk}").json()
    assert {h["holder_id"] for h in detail["holdings"]} == {None, tech.pk}
    assert detail["total_quantity"] is None and detail["mine_quantity"] == 5
    client.force_login(make_staff(Role.FINANCE))
    assert len(client.get(f"{BASE}/movements").json()["items"]) == 3
    detail = client.get(f"{BASE}/items/{item.pk}").json()
    assert detail["total_quantity"] == 20


def test_movements_filter_by_kind_technician_and_work_order(client, manager, tech, item):
    actions.stock_consume(actor=tech, item=item, quantity=1, work_order_id=901, reference="WX-901")
    actions.stock_consume(actor=tech, item=item, quantity=1, work_order_id=902, reference="WX-902")
    client.force_login(manager)
    by_order = client.get(f"{BASE}/movements?work_order_id=901").json()["items"]
    assert [m["reference"] for m in by_order] == ["WX-901"]
    by_kind = client.get(f"{BASE}/movements?kind=consumption&technician_id={tech.pk}").json()["items"]
    assert len(by_kind) == 2
    assert client.get(f"{BASE}/movements?kind=nonsense").status_code == 400
    page = client.get(f"{BASE}/movements?limit=2").json()
    assert len(page["items"]) == 2 and page["next_before_id"]
    rest = client.get(f"{BASE}/movements?limit=2&before_id={page['next_before_id']}").json()
    assert rest["next_before_id"] is None and Movement.objects.count() == 4


def test_item_list_filters_low_stock(client, manager, item):
    make_item(manager, code="SR-01", name="密封圈", reorder_level=10, stock=3)
    client.force_login(manager)
    low = client.get(f"{BASE}/items?low_only=true").json()
    assert [i["code"] for i in low] == ["SR-01"]
    everything = client.get(f"{BASE}/items?q=主板").json()
    assert [(i["code"], i["store_quantity"], i["total_quantity"]) for i in everything] == [("MB-01", 15, 20)]
