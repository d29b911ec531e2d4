"""/api/v1/work-orders: the permission matrix, the journey through its action endpoints, conflicts (R5.1)."""

import json

import pytest
from django.test import Client

from fuwu.org.actions import api_token_issue
from fuwu.org.roles import Role
from tests.factories import make_staff
from tests.fieldservice.conftest import tomorrow_at
from tests.fieldservice.test_actions import signature_png

pytestmark = pytest.mark.django_db
BASE = "/api/v1/work-orders"


def call(user, method: str, url: str, body: dict | None = None):
    key = api_token_issue(actor=user, name="t")[1]
    client = Client()
    response = getattr(client, method)(url, data=json.dumps(body) if body is not None else None,
                                       content_type="application/json", headers={"authorization": f"Bearer {key}"})
    return response.status_code, response.json()


@pytest.fixture
def opened(agent, repair):
    status, body = call(agent, "post", BASE, {"ticket_id": repair.pk, "version": repair.version, "fault": "空调不制冷",
                                              "site_address": "世纪大道1号", "reason": "远程无效"})
    assert status == 201, body
    return body


@pytest.mark.parametrize(("role", "list_status", "detail_status", "dispatch_status"), [
    (Role.MANAGER, 200, 200, 200), (Role.AGENT, 200, 200, 200), (Role.SUPPORT, 200, 200, 200),
    (Role.QUALITY_SUPERVISOR, 200, 200, 403), (Role.FINANCE, 200, 200, 403), (Role.GENERAL_MANAGER, 200, 200, 403),
    (Role.TECHNICIAN, 200, 404, 404),
])
def test_permission_matrix(role, list_status, detail_status, dispatch_status, opened, technician):
    user = make_staff(role)
    status, body = call(user, "get", BASE)
    assert status == list_status
    assert (len(body) == 1) == (detail_status == 200)  # a list shows only what the caller may open
    assert call(user, "get", f"{BASE}/{opened['id']}")[0] == detail_status
    status, body = call(user, "post", f"{BASE}/{opened['id']}/schedule", {
        "version": opened["version"], "technician_id": technician.pk, "start": tomorrow_at(9).isoformat(),
        "end": tomorrow_at(11).isoformat()})
    assert status == dispatch_status, body


def test_the_journey_through_the_api(agent, technician, opened):
    wid = opened["id"]
    status, body = call(agent, "get", f"{BASE}/{wid}/candidates")
    assert status == 200 and body[0]["technician_id"] == technician.pk and body[0]["reasons"]
    slot = body[0]["next_slot"]
    _, body = call(agent, "post", f"{BASE}/{wid}/schedule", {"version": opened["version"],
                                                             "technician_id": technician.pk, **slot})
    _, body = call(agent, "post", f"{BASE}/{wid}/dispatch", {"version": body["version"]})
    status, body = call(technician, "get", f"{BASE}/{wid}")
    assert status == 200 and body["next_moves"][0] == "accept" and body["contact_phone"] == "13912345678"
    _, body = call(technician, "post", f"{BASE}/{wid}/accept", {"version": body["version"]})
    for move, extra in (("depart", {}), ("check_in", {}), ("diagnose", {"findings": "电容"}), ("repair", {}),
                        ("test", {})):
        status, body = call(technician, "post", f"{BASE}/{wid}/steps", {"version": body["version"], "move": move,
                                                                         **extra})
        assert status == 200, body
    status, stale = call(technician, "post", f"{BASE}/{wid}/steps", {"version": body["version"] - 1, "move": "test"})
    assert status == 409 and stale["code"] == "stale_version"
    status, body = call(technician, "post", f"{BASE}/{wid}/sign-off", {
        "version": body["version"], "work_done": "换电容", "signer_name": "陈建国", "satisfaction": 5,
        "signature": signature_png()})
    assert status == 200 and body["status"] == "completed" and body["visits"][0]["outcome"] == "completed"
    status, body = call(technician, "post", f"{BASE}/{wid}/steps", {"version": body["version"], "move": "fly"})
    assert status == 400 and "move" in body["errors"]


def test_a_step_out_of_order_is_a_typed_403(agent, technician, opened):
    status, body = call(technician, "post", f"{BASE}/{opened['id']}/steps", {"version": opened["version"],
                                                                               "move": "check_in"})
    assert status == 404  # not theirs: not even visible
    status, body = call(agent, "post", f"{BASE}/{opened['id']}/steps", {"version": opened["version"],
                                                                          "move": "check_in"})
    assert status == 403 and body["code"] == "work_order.move_not_allowed"
