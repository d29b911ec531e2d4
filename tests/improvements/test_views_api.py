"""Improvement pages and API (R17): wiring, errors beside fields, and who reaches what (the permission matrix)."""

import json

import pytest

from fuwu.improvements.models import ActionStatus, ImprovementAction, Suggestion, SuggestionStatus
from tests.complaints.conftest import complaint_of, register
from tests.factories import make_staff
from tests.improvements.conftest import approved, done, due, open_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(quality, technician):
    return open_action(quality, technician)


@pytest.mark.parametrize(("role", "codes"), [
    # list, new, detail of someone else's action, suggestions, new suggestion
    ("manager", (200, 200, 200, 200, 200)),
    ("quality_supervisor", (200, 200, 200, 200, 200)),
    ("general_manager", (200, 403, 200, 200, 200)),
    ("agent", (200, 403, 404, 200, 200)),
    ("finance", (200, 403, 404, 200, 200)),
    ("customer", (403, 403, 403, 403, 403)),
])
def test_who_reaches_the_pages(client, action, role, codes):
    client.force_login(make_staff(role))
    urls = ["/improvements/", "/improvements/new/", f"/improvements/{action.pk}/", "/improvements/suggestions/",
            "/improvements/suggestions/new/"]
    assert tuple(client.get(url).status_code for url in urls) == codes


def test_the_owner_sees_their_action_and_only_it(client, action, technician, quality):
    other = open_action(quality, make_staff("agent"))
    client.force_login(technician)
    page = client.get("/improvements/").content.decode()
    assert action.number in page and other.number not in page
    assert client.get(f"/improvements/{other.pk}/").status_code == 404


def test_the_list_filters(client, quality, manager, technician):
    late = approved(open_action(quality, technician, days=0), manager)
    fresh = open_action(quality, technician, days=10, kind="preventive")
    ImprovementAction.objects.filter(pk=late.pk).update(due_on=due(-2))
    client.force_login(manager)
    page = client.get("/improvements/?overdue=1").content.decode()
    assert late.number in page and fresh.number not in page
    page = client.get("/improvements/?kind=preventive&status=proposed").content.decode()
    assert fresh.number in page and late.number not in page
    assert client.get("/improvements/?owner=18446744073709551616&source=nope&status=x").status_code == 200


def test_propose_on_the_page_keeps_the_input_beside_the_error(client, quality, technician):
    client.force_login(quality)
    response = client.post("/improvements/new/", {"kind": "corrective", "title": "培训", "goal": "提升一次修复率",
                                                  "measures": "每月培训", "owner": technician.pk,
                                                  "due_on": "2026-01-01", "source_kind": "manual"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "完成期限不能早于今天。" in page and "提升一次修复率" in page
    response = client.post("/improvements/new/", {"kind": "corrective", "title": "培训", "goal": "提升一次修复率",
                                                  "measures": "每月培训", "owner": technician.pk,
                                                  "due_on": due(20).isoformat(), "source_kind": "manual"})
    action = ImprovementAction.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/improvements/{action.pk}/"


def test_the_steps_on_the_page_and_the_owner_cannot_verify(client, quality, quality2, manager):
    action = done(approved(open_action(quality2, quality), manager), quality)
    client.force_login(quality)
    page = client.get(f"/improvements/{action.pk}/").content.decode()
    assert 'id="improvement-own-verification"' in page and "improvement-step-verify" not in page
    response = client.post(f"/improvements/{action.pk}/verify/", {"verify-version": action.version,
                                                                   "verify-effective": "yes", "verify-note": "有效"})
    assert response.status_code == 400
    assert ImprovementAction.objects.get(pk=action.pk).status == ActionStatus.DONE
    client.force_login(quality2)
    response = client.post(f"/improvements/{action.pk}/verify/", {"verify-version": action.version,
                                                                   "verify-effective": "yes", "verify-note": "有效"})
    assert response.status_code == 302
    assert ImprovementAction.objects.get(pk=action.pk).status == ActionStatus.VERIFIED


def test_a_stale_step_answers_409_with_the_current_version(client, action, manager):
    client.force_login(manager)
    response = client.post(f"/improvements/{action.pk}/approve/", {"approve-version": action.version + 5})
    assert response.status_code == 409
    assert ImprovementAction.objects.get(pk=action.pk).status == ActionStatus.PROPOSED


def test_a_suggestion_from_the_page_to_an_action(client, technician, quality):
    client.force_login(technician)
    response = client.post("/improvements/suggestions/new/", {"title": "备件随车", "description": "减少二次上门"})
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302
    assert client.post(f"/improvements/suggestions/{suggestion.pk}/accept/", {}).status_code == 403
    client.force_login(quality)
    response = client.post(f"/improvements/suggestions/{suggestion.pk}/accept/", {
        "accept-version": suggestion.version, "accept-kind": "preventive", "accept-title": "备件随车",
        "accept-goal": "二次上门减半", "accept-measures": "配置备件箱", "accept-owner": technician.pk,
        "accept-due_on": due(30).isoformat()})
    suggestion.refresh_from_db()
    assert response.status_code == 302 and suggestion.status == SuggestionStatus.ACCEPTED
    page = client.get(response["Location"]).content.decode()
    assert suggestion.number in page  # the source: the suggestion, linked


def test_the_complaint_panel_offers_and_lists_improvement_actions(client, agent, quality, technician):
    complaint = complaint_of(register(agent))
    client.force_login(quality)
    page = client.get(f"/complaints/ticket/{complaint.ticket_id}/panel/").content.decode()
    assert 'id="complaint-open-improvement"' in page and f"source_id={complaint.pk}" in page
    new_page = client.get(f"/improvements/new/?source=complaint&source_id={complaint.pk}&title=x").content.decode()
    assert complaint.ticket.number in new_page
    action = open_action(quality, technician, source_kind="complaint", source_id=complaint.pk)
    page = client.get(f"/complaints/ticket/{complaint.ticket_id}/panel/").content.decode()
    assert action.number in page
    detail = client.get(f"/improvements/{action.pk}/").content.decode()
    assert complaint.ticket.number in detail and f"/tickets/{complaint.ticket_id}/#complaint-panel" in detail
    client.force_login(agent)  # the front line sees the complaint but does not open improvement actions
    page = client.get(f"/complaints/ticket/{complaint.ticket_id}/panel/").content.decode()
    assert 'id="complaint-open-improvement"' not in page


def _api(client, method, url, body=None):
    kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
    return getattr(client, method)(url, **kwargs)


def test_the_api_scopes_and_moves(client, action, quality, manager, technician, agent):
    client.force_login(agent)
    assert _api(client, "get", "/api/v1/improvements").json() == []
    assert _api(client, "get", f"/api/v1/improvements/{action.pk}").status_code == 404
    assert _api(client, "post", "/api/v1/improvements", {
        "kind": "corrective", "title": "t", "goal": "g", "measures": "m", "owner_id": technician.pk,
        "due_on": due(5).isoformat()}).status_code == 403
    client.force_login(manager)
    rows = _api(client, "get", "/api/v1/improvements?status=proposed").json()
    assert [r["id"] for r in rows] == [action.pk]
    answer = _api(client, "post", f"/api/v1/improvements/{action.pk}/approve", {"version": action.version})
    assert answer.status_code == 200 and answer.json()["status"] == "approved"
    client.force_login(technician)
    assert _api(client, "post", f"/api/v1/improvements/{action.pk}/start", {}).status_code == 200
    answer = _api(client, "post", f"/api/v1/improvements/{action.pk}/complete", {"note": "已完成"})
    assert answer.json()["status"] == "done"
    answer = _api(client, "post", f"/api/v1/improvements/{action.pk}/verify", {"effective": True, "note": "自查"})
    assert answer.status_code == 403 and answer.json()["code"] == "improvement.own_verification"
    client.force_login(quality)
    answer = _api(client, "post", f"/api/v1/improvements/{action.pk}/verify", {"effective": True, "note": "有效"})
    assert answer.json()["status"] == "verified" and [e["kind"] for e in answer.json()["entries"]][-1] == "verified"
    body = {"kind": "preventive", "title": "t", "goal": "g", "measures": "m", "owner_id": technician.pk,
            "due_on": due(5).isoformat(), "source_kind": "fault", "source_id": 9}
    refused = _api(client, "post", "/api/v1/improvements", body)  # no such fault report
    assert refused.status_code == 400 and refused.json()["code"] == "improvement.unknown_source"
    created = _api(client, "post", "/api/v1/improvements", {**body, "source_kind": "manual", "source_id": None})
    assert created.status_code == 201 and created.json()["source_kind"] == "manual"


def test_the_api_takes_suggestions(client, agent, quality):
    client.force_login(agent)
    answer = _api(client, "post", "/api/v1/improvements/suggestions", {"title": "高峰加人", "description": "周一"})
    assert answer.status_code == 201 and answer.json()["status"] == "submitted"
    assert len(_api(client, "get", "/api/v1/improvements/suggestions").json()) == 1
    client.force_login(make_staff("customer"))
    assert _api(client, "get", "/api/v1/improvements/suggestions").status_code == 403
    assert _api(client, "get", "/api/v1/improvements").status_code == 403
