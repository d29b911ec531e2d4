"""/api/v1/tickets: permission matrix, auth, conflicts, move codes, hand-overs, pages (R3, R4; rules 3, 7)."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone, translation

from fuwu.core.models import AuditEvent
from fuwu.org.actions import api_token_issue
from fuwu.org.models import Group
from fuwu.org.roles import Role
from fuwu.standards.models import ServiceType
from fuwu.tickets.lifecycle import Status
from fuwu.tickets.models import Entry, Handover, Ticket
from tests.factories import RegionFactory, make_customer, make_staff, make_ticket

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tickets"
ROLES = [r.value for r in Role]
WORKERS = {"admin", "manager", "agent", "support", "technician"}
SUPERVISORS = {"quality_supervisor", "general_manager"}  # see every request, work none (R1.2)
MANAGERS = {"admin", "manager"}


def _expected(role: str) -> dict[str, tuple[int, str | None]]:
    if role not in WORKERS | SUPERVISORS:  # finance, customer: no tickets at all
        return {
            "list": (403, "forbidden.ticket.view"),
            "create": (403, "forbidden.ticket.work"),
            "retrieve": (404, "not_found"),
            "transition": (404, "not_found"),
            "handover": (404, "not_found"),
        }
    if role in SUPERVISORS:
        return {
            "list": (200, None),
            "create": (403, "forbidden.ticket.work"),
            "retrieve": (200, None),
            "transition": (403, "forbidden.ticket.work"),
            "handover": (403, "forbidden.ticket.work"),
        }
    return {
        "list": (200, None),
        "create": (201, None),
        "retrieve": (200, None),
        # The tickets belong to another agent: only a manager may take them on or hand them over.
        "transition": (200, None) if role in MANAGERS else (403, "move_not_allowed.accept"),
        "handover": (200, None) if role in MANAGERS else (403, "forbidden.handover"),
    }


def _type(code: str) -> int:
    return ServiceType.objects.get(code=code).pk


def _group(code: str) -> int:
    return Group.objects.get(code=code).pk


def _json(client, method, url, body=None, **headers):
    kwargs = {"content_type": "application/json", "headers": headers} if body is not None else {"headers": headers}
    if body is not None:
        kwargs["data"] = json.dumps(body)
    return getattr(client, method)(url, **kwargs)


@pytest.fixture
def ticket(agent):
    return make_ticket(agent, title="打印机无法开机", contact_name="张伟", contact_phone="13800138000")


def _calls(agent):
    """Fresh tickets for the writes, so one call's success does not make the next one stale."""
    moved, handed = make_ticket(agent), make_ticket(agent)
    return {
        "list": ("get", BASE, None),
        "create": ("post", BASE, {"service_type_id": _type("consultation"), "title": "咨询保修期",
                                  "contact_name": "李娜"}),
        "retrieve": ("get", f"{BASE}/{moved.pk}", None),
        "transition": ("post", f"{BASE}/{moved.pk}/transition", {"move": "accept", "version": 1}),
        "handover": ("post", f"{BASE}/{handed.pk}/handover",
                     {"to_group_id": _group("repair"), "note": "需要上门", "version": 1}),
    }


def _outcome(response) -> tuple[int, str | None]:
    return response.status_code, (response.json().get("code") if response.status_code >= 400 else None)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_with_session_auth(client, agent, role):
    calls = _calls(agent)
    client.force_login(make_staff(role))
    got = {name: _outcome(_json(client, method, url, body)) for name, (method, url, body) in calls.items()}
    assert got == _expected(role)


@pytest.mark.parametrize("role", sorted(set(ROLES) - {"customer"}))  # customer logins get no API tokens
def test_permission_matrix_with_token_auth(agent, role):
    calls = _calls(agent)
    _token, key = api_token_issue(actor=make_staff(role), name="integration")
    client = Client(enforce_csrf_checks=True)  # token clients need no CSRF token, even for writes
    got = {
        name: _outcome(_json(client, method, url, body, authorization=f"Bearer {key}"))
        for name, (method, url, body) in calls.items()
    }
    assert got == _expected(role)


def test_without_auth_every_endpoint_answers_401(client, agent, ticket):
    calls = {
        **_calls(agent),
        "accept": ("post", f"{BASE}/{ticket.pk}/accept-handover", {"handover_id": 1}),
        "decline": ("post", f"{BASE}/{ticket.pk}/decline-handover", {"handover_id": 1, "reason": "x"}),
        "note": ("post", f"{BASE}/{ticket.pk}/notes", {"text": "x"}),
        "reply": ("post", f"{BASE}/{ticket.pk}/replies", {"text": "x"}),
        "repeat": ("post", f"{BASE}/{ticket.pk}/link-repeat", {}),
        "queues": ("get", f"{BASE}/queues", None),
    }
    count = Ticket.objects.count()
    for method, url, body in calls.values():
        response = _json(client, method, url, body)
        assert response.status_code == 401, url
        assert response.json()["code"] == "unauthenticated"
    assert Ticket.objects.count() == count
    assert not Entry.objects.exists()


def test_bearer_token_registers_and_reads(agent):
    _token, key = api_token_issue(actor=agent, name="cti")
    client = Client(enforce_csrf_checks=True)
    response = _json(client, "post", BASE, {"service_type_id": _type("consultation"), "title": "发票怎么开",
                                            "contact_name": "王芳", "contact_phone": "138 0013 8000"},
                     authorization=f"Bearer {key}")
    assert response.status_code == 201
    body = response.json()
    assert body["channel"] == "api" and body["contact_phone"] == "13800138000"
    assert body["first_responsible"]["id"] == agent.pk and body["owner"]["id"] == agent.pk
    response = client.get(f"{BASE}/{body['id']}", headers={"authorization": f"Bearer {key}"})
    assert response.status_code == 200 and response.json()["number"] == body["number"]
    assert client.get(BASE, headers={"authorization": "Bearer fuwu_not-a-real-key"}).status_code == 401


def test_retrieve_shows_codes_labels_people_and_the_callers_moves(client, agent, ticket):
    client.force_login(agent)
    body = client.get(f"{BASE}/{ticket.pk}").json()
    with translation.override("zh-hans"):
        assert body["status_label"] == str(Status.NEW.label)
    assert (body["status"], body["tier"], body["priority"], body["kind"]) == ("new", "hotline", "normal",
                                                                              "consultation")
    assert body["service_type"]["code"] == "consultation"
    assert body["first_responsible"] == body["owner"] == {"id": agent.pk, "name": agent.get_full_name()}
    assert body["group"]["code"] == "customer_service"
    assert body["version"] == 1 and body["pending_handover"] is None
    assert set(body["allowed_moves"]) == {"accept", "resolve"}  # the owner; cancelling is for managers
    assert body["can"] == {"hand_over": True, "write": True, "reassign": False, "decide_handover": False}
    english = client.get(f"{BASE}/{ticket.pk}", headers={"accept-language": "en"}).json()
    assert (english["status_label"], english["tier_label"], english["priority_label"]) == ("New", "Hotline", "Normal")


def test_contact_phone_is_masked_for_supervisors_and_clear_for_agents(client, agent, ticket):
    client.force_login(make_staff("quality_supervisor"))
    assert client.get(f"{BASE}/{ticket.pk}").json()["contact_phone"] == "138****8000"
    assert client.get(BASE).json()["items"][0]["contact_phone"] == "138****8000"
    assert "13800138000" not in client.get(BASE).content.decode()
    client.force_login(agent)
    assert client.get(f"{BASE}/{ticket.pk}").json()["contact_phone"] == "13800138000"


def test_transition_moves_and_stale_version_is_409_with_the_current_state(client, agent, ticket):
    client.force_login(agent)
    response = _json(client, "post", f"{BASE}/{ticket.pk}/transition", {"move": "accept", "version": 1})
    assert response.status_code == 200
    assert response.json()["status"] == "accepted" and response.json()["version"] == 2
    assert "start" in response.json()["allowed_moves"]
    events = AuditEvent.objects.for_object(ticket).count()
    response = _json(client, "post", f"{BASE}/{ticket.pk}/transition", {"move": "start", "version": 1})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_version" and body["current_version"] == 2 and body["status"] == "accepted"
    ticket.refresh_from_db()
    assert (ticket.status, ticket.version) == (Status.ACCEPTED, 2)
    assert AuditEvent.objects.for_object(ticket).count() == events


def test_agent_may_not_cancel_and_gets_a_stable_code(client, agent, manager, ticket):
    client.force_login(agent)
    response = _json(client, "post", f"{BASE}/{ticket.pk}/transition",
                     {"move": "cancel", "version": 1, "reason": "客户撤回"})
    assert response.status_code == 403 and response.json()["code"] == "move_not_allowed.cancel"
    ticket.refresh_from_db()
    assert (ticket.status, ticket.version) == (Status.NEW, 1)
    client.force_login(manager)
    response = _json(client, "post", f"{BASE}/{ticket.pk}/transition", {"move": "cancel", "version": 1})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"reason"}
    response = _json(client, "post", f"{BASE}/{ticket.pk}/transition",
                     {"move": "cancel", "version": 1, "reason": "客户撤回"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_resolve_needs_a_resolution_and_unknown_moves_are_400(client, agent, ticket):
    client.force_login(agent)
    response = _json(client, "post", f"{BASE}/{ticket.pk}/transition", {"move": "resolve", "version": 1})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"resolution"}
    response = _json(client, "post", f"{BASE}/{ticket.pk}/transition", {"move": "fly", "version": 1})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"move"}
    response = _json(client, "post", f"{BASE}/{ticket.pk}/transition", {"move": "accept"})
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    response = _json(client, "post", f"{BASE}/{ticket.pk}/transition",
                     {"move": "resolve", "version": 1, "resolution": "已电话指导重启"})
    assert response.status_code == 200 and response.json()["resolution"] == "已电话指导重启"


@pytest.mark.parametrize(
    ("code", "missing"),
    [
        ("repair", {"contact_phone", "site_address", "region_id", "occurred_since"}),
        ("fault", {"contact_phone", "site_address", "occurred_since"}),
        ("complaint", {"contact_phone", "customer_id"}),
        ("installation", {"contact_phone", "site_address", "region_id"}),
        ("consultation", set()),
        ("suggestion", set()),
        ("other", set()),
    ],
)
def test_required_fields_per_service_type(client, agent, code, missing):
    client.force_login(agent)
    response = _json(client, "post", BASE, {"service_type_id": _type(code), "title": "标题", "contact_name": "赵六"})
    if not missing:
        assert response.status_code == 201
        return
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and set(body["errors"]) == missing
    assert all(isinstance(m, str) and m for msgs in body["errors"].values() for m in msgs)
    assert not Ticket.objects.exists()


def test_repair_with_everything_it_needs_is_registered(client, agent):
    region = RegionFactory(code="chaoyang", name="朝阳区")
    customer = make_customer(agent, name="华新电子有限公司")
    client.force_login(agent)
    response = _json(client, "post", BASE, {
        "service_type_id": _type("repair"), "title": "空调不制冷", "contact_name": "张伟",
        "contact_phone": "13800138000", "site_address": "北京市朝阳区1号", "region_id": region.pk,
        "occurred_since": "昨天下午", "customer_id": customer.pk, "channel": "phone",
    })
    assert response.status_code == 201
    body = response.json()
    assert body["region"] == {"id": region.pk, "code": "chaoyang", "name": "朝阳区"}
    assert body["customer"]["id"] == customer.pk and body["channel"] == "phone"
    assert body["group"]["code"] == "customer_service"  # the registering agent's group (R3.3)


def test_missing_title_and_unknown_ids_are_reported_by_field(client, agent):
    client.force_login(agent)
    response = _json(client, "post", BASE, {"service_type_id": 987654, "region_id": 987654,
                                            "customer_id": 987654})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"service_type_id", "title", "contact_name", "region_id", "customer_id"}
    assert not Ticket.objects.exists()


def test_retroactive_registration_takes_a_local_time_without_offset(client, agent):
    client.force_login(agent)
    body = {"service_type_id": _type("consultation"), "title": "先处理后登记", "contact_name": "孙八",
            "retroactive": True}
    response = _json(client, "post", BASE, body)
    assert response.status_code == 400 and set(response.json()["errors"]) == {"received_at"}
    response = _json(client, "post", BASE, {**body, "received_at": "2026-03-02T09:30:00"})
    assert response.status_code == 201
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert ticket.is_retroactive and timezone.localtime(ticket.received_at).strftime("%H:%M") == "09:30"
    response = _json(client, "post", BASE, {**body, "received_at": "2999-01-01T00:00:00+08:00"})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"received_at"}


def test_first_responsible_cannot_be_changed_through_the_api(client, agent, manager, ticket):
    client.force_login(manager)
    for method in ("put", "patch"):
        response = _json(client, method, f"{BASE}/{ticket.pk}", {"first_responsible_id": manager.pk, "version": 1})
        assert response.status_code in (404, 405), method
    created = _json(client, "post", BASE, {"service_type_id": _type("consultation"), "title": "咨询",
                                           "contact_name": "钱七", "first_responsible_id": agent.pk}).json()
    assert created["first_responsible"]["id"] == manager.pk  # the caller who took it, whatever was sent
    response = _json(client, "post", f"{BASE}/{ticket.pk}/reassign",
                     {"to_group_id": _group("repair"), "note": "转维修组", "version": 1})
    assert response.status_code == 200 and response.json()["first_responsible"]["id"] == agent.pk
    ticket.refresh_from_db()
    assert ticket.first_responsible_id == agent.pk and ticket.group.code == "repair" and ticket.owner_id is None


def test_hand_over_then_accept_by_a_member_of_the_target_group(client, agent, ticket):
    technician, support = make_staff("technician"), make_staff("support")
    client.force_login(agent)
    response = _json(client, "post", f"{BASE}/{ticket.pk}/handover",
                     {"to_group_id": _group("repair"), "note": "需要上门检修", "version": 1})
    assert response.status_code == 200
    pending = response.json()["pending_handover"]
    assert pending["to_group"]["code"] == "repair" and pending["to_user"] is None and pending["note"] == "需要上门检修"
    assert response.json()["owner"]["id"] == agent.pk  # the owner stays owner until accepted (R3.3)
    client.force_login(support)  # not in the target group
    response = _json(client, "post", f"{BASE}/{ticket.pk}/accept-handover", {"handover_id": pending["id"]})
    assert response.status_code == 403 and response.json()["code"] == "forbidden.handover_decide"
    client.force_login(technician)
    assert client.get(f"{BASE}/{ticket.pk}").json()["can"]["decide_handover"] is True
    response = _json(client, "post", f"{BASE}/{ticket.pk}/accept-handover", {"handover_id": pending["id"]})
    assert response.status_code == 200
    body = response.json()
    assert body["owner"]["id"] == technician.pk and body["group"]["code"] == "repair"
    assert body["status"] == "accepted" and body["pending_handover"] is None
    assert body["first_responsible"]["id"] == agent.pk
    response = _json(client, "post", f"{BASE}/{ticket.pk}/accept-handover", {"handover_id": pending["id"]})
    assert response.status_code == 400 and response.json()["code"] == "handover_decided"


def test_decline_needs_a_reason_and_records_it(client, agent, ticket):
    technician = make_staff("technician")
    client.force_login(agent)
    handover_id = _json(client, "post", f"{BASE}/{ticket.pk}/handover",
                        {"to_group_id": _group("repair"), "to_user_id": technician.pk, "note": "请处理",
                         "version": 1}).json()["pending_handover"]["id"]
    client.force_login(technician)
    response = _json(client, "post", f"{BASE}/{ticket.pk}/decline-handover", {"handover_id": handover_id})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"reason"}
    response = _json(client, "post", f"{BASE}/{ticket.pk}/decline-handover",
                     {"handover_id": handover_id, "reason": "不属于维修范围"})
    assert response.status_code == 200
    assert response.json()["owner"]["id"] == agent.pk and response.json()["pending_handover"] is None
    handover = Handover.objects.get(pk=handover_id)
    assert handover.state == Handover.State.DECLINED and handover.decline_reason == "不属于维修范围"
    event = AuditEvent.objects.for_object(ticket).get(action="ticket.handover_declined")
    assert event.payload["reason"] == "不属于维修范围"


def test_hand_over_errors(client, agent, ticket):
    client.force_login(agent)
    url = f"{BASE}/{ticket.pk}/handover"
    response = _json(client, "post", url, {"to_group_id": 987654, "note": "x", "version": 1})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"to_group_id"}
    response = _json(client, "post", url, {"to_group_id": _group("repair"), "to_user_id": agent.pk, "note": "x",
                                           "version": 1})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"to_user"}
    response = _json(client, "post", url, {"to_group_id": _group("repair"), "note": "x", "version": 7})
    assert response.status_code == 409 and response.json()["current_version"] == 1
    response = _json(client, "post", f"{BASE}/{ticket.pk}/accept-handover", {"handover_id": 987654})
    assert response.status_code == 404
    assert not Handover.objects.exists()


def test_notes_and_replies_are_sanitised_and_corrections_supersede(client, agent, ticket):
    client.force_login(agent)
    response = _json(client, "post", f"{BASE}/{ticket.pk}/notes",
                     {"text": "<p>已联系<script>alert(1)</script>客户</p>"})
    assert response.status_code == 201
    note = response.json()
    assert note["kind"] == "note" and note["body"] == "<p>已联系客户</p>" and note["author"]["id"] == agent.pk
    response = _json(client, "post", f"{BASE}/{ticket.pk}/replies", {"text": "<b>您好</b>"})
    assert response.status_code == 201 and response.json()["kind"] == "reply"
    response = _json(client, "post", f"{BASE}/{ticket.pk}/notes", {"text": "<p> </p>"})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"body"}
    response = _json(client, "post", f"{BASE}/{ticket.pk}/notes",
                     {"text": "已联系客户（更正）", "corrects": note["id"]})
    assert response.status_code == 201 and response.json()["supersedes"] == note["id"]
    client.force_login(make_staff("quality_supervisor"))
    response = _json(client, "post", f"{BASE}/{ticket.pk}/replies", {"text": "x"})
    assert response.status_code == 403
    assert Entry.objects.filter(ticket=ticket).count() == 3


def test_link_repeat_counts_the_contact(client, agent, ticket):
    client.force_login(make_staff("agent"))  # whoever takes the repeat call (R3.4)
    response = _json(client, "post", f"{BASE}/{ticket.pk}/link-repeat", {"note": "客户再次来电催促"})
    assert response.status_code == 201
    assert response.json()["channel"] == "api" and response.json()["repeat_contacts"] == 1
    response = _json(client, "post", f"{BASE}/{ticket.pk}/link-repeat", {"channel": "phone"})
    assert response.status_code == 201 and response.json()["repeat_contacts"] == 2
    response = _json(client, "post", f"{BASE}/{ticket.pk}/link-repeat", {"channel": "pigeon"})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"channel"}


def test_tier_major_and_reassign(client, agent, manager, ticket):
    client.force_login(agent)
    response = _json(client, "post", f"{BASE}/{ticket.pk}/tier", {"tier": "remote", "reason": "需远程", "version": 1})
    assert response.status_code == 400 and response.json()["code"] == "authorisation_required"
    response = _json(client, "post", f"{BASE}/{ticket.pk}/tier",
                     {"tier": "remote", "reason": "需远程", "customer_authorised": True, "version": 1})
    assert response.status_code == 200
    assert response.json()["tier"] == "remote" and response.json()["remote_authorised"] is True
    response = _json(client, "post", f"{BASE}/{ticket.pk}/major", {"reason": "涉及多户停电"})
    assert response.status_code == 200 and response.json()["is_major"] is True
    response = _json(client, "post", f"{BASE}/{ticket.pk}/reassign",
                     {"to_group_id": _group("repair"), "note": "x", "version": 3})
    assert response.status_code == 403 and response.json()["code"] == "forbidden.ticket.manage"
    technician = make_staff("technician")
    client.force_login(manager)
    response = _json(client, "post", f"{BASE}/{ticket.pk}/reassign",
                     {"to_group_id": _group("repair"), "to_user_id": technician.pk, "note": "直接派给维修",
                      "version": 3})
    assert response.status_code == 200 and response.json()["owner"]["id"] == technician.pk


def test_list_filters_and_queues(client, agent, manager):
    region = RegionFactory()
    repair = make_ticket(agent, "repair", title="漏水", contact_phone="13900139000", site_address="某路1号",
                         region_id=region.pk, occurred_since="今早")
    consult = make_ticket(agent, title="咨询价格", priority="high")
    other = make_ticket(make_staff("support"), title="别组的请求")
    client.force_login(agent)

    def ids(**params) -> list[int]:
        response = client.get(BASE, params)
        assert response.status_code == 200, response.content
        return [t["id"] for t in response.json()["items"]]

    assert ids() == [consult.pk, repair.pk]  # default queue: mine
    response = client.get(BASE, {"queue": "all"})  # not one of an agent's queues
    assert response.status_code == 403 and response.json()["code"] == "forbidden.queue"
    assert ids(kind="repair") == [repair.pk]
    assert client.get(BASE, {"kind": "repair"}).json()["count"] == 1
    assert ids(major_only=True) == []
    assert ids(service_type_id=_type("consultation")) == [consult.pk]
    assert ids(priority="high") == [consult.pk]
    assert ids(region_id=region.pk) == [repair.pk]
    assert ids(q="漏水") == [repair.pk]
    assert ids(q="139-0013-9000") == [repair.pk]
    assert ids(q=repair.number) == [repair.pk]
    assert ids(status=["new", "accepted"]) == [consult.pk, repair.pk]
    assert ids(status="resolved") == []
    assert ids(sort="oldest") == [repair.pk, consult.pk]
    today = timezone.localdate()
    assert ids(received_from=today.isoformat(), received_to=today.isoformat()) == [consult.pk, repair.pk]
    assert ids(received_to=(today - datetime.timedelta(days=1)).isoformat()) == []
    client.force_login(manager)
    assert ids(queue="all") == [other.pk, consult.pk, repair.pk]
    assert ids(queue="all", group_id=_group("tech_support")) == [other.pk]
    queues = {q["code"]: q["count"] for q in client.get(f"{BASE}/queues").json()}
    assert queues["all"] == 3 and queues["unassigned"] == 0


def test_list_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries, manager):
    staff = [make_staff("agent"), make_staff("support"), make_staff("technician")]
    region = RegionFactory()
    customer = make_customer(staff[0], name="大客户")
    for n in range(60):
        make_ticket(staff[n % 3], contact_phone="13800138000", region_id=region.pk,
                    customer_id=customer.pk if n % 2 else None)
    client.force_login(manager)
    # Session, user, roles, (the caller's group for the group queue), the page, the count: nothing per row.
    with django_assert_max_num_queries(5):
        response = client.get(BASE, {"queue": "all", "limit": 100})
    assert len(response.json()["items"]) == 60 and response.json()["count"] == 60
    with django_assert_max_num_queries(5):
        response = client.get(BASE, {"queue": "all", "limit": 10})
    assert len(response.json()["items"]) == 10 and response.json()["count"] == 60
    with django_assert_max_num_queries(6):
        response = client.get(BASE, {"queue": "group"})
    assert response.status_code == 200


@pytest.mark.parametrize("sort", ["newest", "oldest", "received", "updated"])
def test_keyset_pages_return_every_ticket_exactly_once(client, manager, sort):
    agent = make_staff("agent")
    same_moment = timezone.now() - datetime.timedelta(hours=3)
    made = set()
    for n in range(60):
        # Ties on the sort column (same received time) must be broken by id, not skipped or repeated.
        received = same_moment if n % 3 else same_moment - datetime.timedelta(minutes=n)
        made.add(make_ticket(agent, received_at=received, retroactive=bool(n % 2)).pk)
    client.force_login(manager)
    seen: list[int] = []
    after, pages = "", 0
    while True:
        response = client.get(BASE, {"queue": "all", "sort": sort, "limit": 7, "after": after})
        assert response.status_code == 200
        page = response.json()
        assert page["count"] == 60 and page["count_capped"] is False  # the whole list, on every page
        seen += [t["id"] for t in page["items"]]
        pages += 1
        if page["next_after"] is None:
            break
        after = page["next_after"]
    assert len(seen) == len(set(seen)) == 60 and set(seen) == made
    assert pages == 9


@pytest.mark.parametrize("after", ["%%%", "bm90LWEtY3Vyc29y", "MTIz"])  # junk, "not-a-cursor", "123" for a date sort
def test_a_mangled_cursor_is_400_not_page_one(client, manager, after):
    client.force_login(manager)
    response = client.get(BASE, {"queue": "all", "sort": "received", "after": after})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"after"}


def test_openapi_lists_the_ticket_endpoints_and_no_put_or_patch(client, agent):
    client.force_login(agent)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    ticket_paths = {p: set(ops) for p, ops in paths.items() if p.startswith(BASE)}
    assert f"{BASE}/{{ticket_id}}/accept-handover" in ticket_paths
    assert not any({"put", "patch"} & ops for ops in ticket_paths.values())
