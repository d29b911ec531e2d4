"""Inspection pages and API: the permission matrix, the scoring form with errors beside the field,
the checklist editor, the round page."""

import datetime

import pytest
from django.test import Client

from fuwu.inspections import actions
from fuwu.inspections.models import Checklist, Finding, Inspection, InspectionRound
from fuwu.org.actions import api_token_issue
from fuwu.org.roles import Role
from tests.factories import make_staff
from tests.inspections.conftest import items_of, plan_round, score_input

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user, url: str):
    key = api_token_issue(actor=user, name="t")[1]
    response = Client().get(url, headers={"authorization": f"Bearer {key}"})
    return response.status_code, response.json()


@pytest.fixture
def world(supervisor, agent, checklist):
    round_ = plan_round(supervisor, checklist, [supervisor], staff=[agent])
    actions.round_move(actor=supervisor, round_=round_, expected_version=None, move="start")
    inspection = actions.inspection_record(actor=supervisor, data=score_input(checklist, [5, 5, 0], staff_id=agent.pk),
                                           round_=round_)
    return {"round": round_, "inspection": inspection, "checklist": checklist}


@pytest.mark.parametrize(("role", "view", "manage"), [
    (Role.QUALITY_SUPERVISOR, 200, 200), (Role.MANAGER, 200, 403), (Role.GENERAL_MANAGER, 200, 403),
    (Role.ADMIN, 200, 200), (Role.AGENT, 403, 403), (Role.TECHNICIAN, 403, 403), (Role.FINANCE, 403, 403),
    (Role.CUSTOMER, 403, 403),
])
def test_permission_matrix_through_pages_and_api(role, view, manage, world):
    user = make_staff(role)
    client = logged_in(user)
    r, i, c = world["round"], world["inspection"], world["checklist"]
    for url in ("/inspections/", "/inspections/checklists/", f"/inspections/checklists/{c.pk}/", "/inspections/rounds/",
                f"/inspections/rounds/{r.pk}/", f"/inspections/{i.pk}/"):
        assert client.get(url).status_code in ((200,) if view == 200 else (403, 404)), url
    assert client.get("/inspections/rounds/new/").status_code == manage
    assert client.get(f"/inspections/checklists/{c.pk}/score/").status_code == manage
    assert client.get("/inspections/mine/").status_code == (403 if role == Role.CUSTOMER else 200)
    if role == Role.CUSTOMER:
        return
    for url in ("/api/v1/inspections/checklists", f"/api/v1/inspections/checklists/{c.pk}",
                "/api/v1/inspections/rounds", f"/api/v1/inspections/rounds/{r.pk}"):
        assert api(user, url)[0] == view, url
    status, body = api(user, "/api/v1/inspections")
    assert status == 200 and len(body) == (1 if view == 200 else 0)  # staff read their own results only
    status, body = api(user, "/api/v1/inspections/scores?start=2026-01-01&end=2026-12-31&by=touchpoint")
    assert status == 200
    if view == 200:
        assert body == [{"key": "hotline_call", "label": body[0]["label"], "count": 1, "average": "75.00",
                         "passed": 0, "findings": 1}]
        status, detail = api(user, f"/api/v1/inspections/{i.pk}")
        assert detail["score"] == "75.00" and detail["finding_ticket_number"] == i.finding.ticket.number
        assert [s["score"] for s in detail["scores"]] == [5, 5, 0]


def test_the_inspected_person_reads_their_own_result(world, agent):
    client = logged_in(agent)
    i = world["inspection"]
    page = client.get("/inspections/mine/").content.decode()
    assert f"/inspections/{i.pk}/" in page and "75.00%" in page
    assert client.get(f"/inspections/{i.pk}/").status_code == 200
    status, body = api(agent, f"/api/v1/inspections/{i.pk}")
    assert status == 200 and body["staff_id"] == agent.pk
    other = make_staff("agent")
    assert logged_in(other).get(f"/inspections/{i.pk}/").status_code == 404


def test_my_results_show_my_own_averages_even_to_a_viewer_of_everyones(world):
    """A manager reads every result on the results page, but "my results" are theirs alone (issue 15)."""
    page = logged_in(make_staff(Role.MANAGER)).get("/inspections/mine/").content.decode()
    assert 'id="my-scores"' not in page and "75.00%" not in page
    assert "empty-state" in page


def test_scoring_through_the_page_and_errors_beside_the_field(supervisor, agent, world):
    client = logged_in(supervisor)
    r = world["round"]
    items = items_of(world["checklist"])
    page = client.get(f"/inspections/rounds/{r.pk}/score/?staff={agent.pk}")
    assert page.status_code == 200 and f'name="item_{items[0].pk}"' in page.content.decode()
    post = {"staff": agent.pk, f"item_{items[0].pk}": 5, f"item_{items[1].pk}": 4, f"note_{items[1].pk}": "略慢",
            "notes": "整体良好", "ticket": "FW-2026-999999"}
    response = client.post(f"/inspections/rounds/{r.pk}/score/", post)
    assert response.status_code == 400
    html = response.content.decode()
    assert "整体良好" in html and "略慢" in html  # the input is kept
    assert Inspection.objects.count() == 1
    post[f"item_{items[2].pk}"] = 1
    post["ticket"] = ""
    response = client.post(f"/inspections/rounds/{r.pk}/score/", post)
    assert response.status_code == 302
    inspection = Inspection.objects.latest("id")
    assert str(inspection.score) == "95.00" and inspection.passed and inspection.round == r
    # scoring oneself through the page is refused (oneself is not among the choices either)
    response = client.post(f"/inspections/rounds/{r.pk}/score/", {**post, "staff": supervisor.pk})
    assert response.status_code == 400 and Inspection.objects.count() == 2


def test_the_checklist_editor_drafts_publishes_and_revises(supervisor):
    client = logged_in(supervisor)
    response = client.post("/inspections/checklists/", {"code": "email-reply", "title": "邮件回复检查",
                                                        "kind": "inspection", "touchpoint": "email_reply",
                                                        "pass_mark": 85})
    draft = Checklist.objects.get(code="email-reply")
    assert response.status_code == 302 and response["Location"] == f"/inspections/checklists/{draft.pk}/"
    response = client.post(f"/inspections/checklists/{draft.pk}/items/", {"item-version": draft.version,
                                                                          "item-text": "", "item-weight": 1,
                                                                          "item-max_score": 5})
    assert response.status_code == 400
    response = client.post(f"/inspections/checklists/{draft.pk}/items/", {"item-version": draft.version,
                                                                          "item-text": "24小时内回复",
                                                                          "item-weight": 2, "item-max_score": 5,
                                                                          "item-critical": "on"})
    assert response.status_code == 302 and draft.items.get().critical
    draft.refresh_from_db()
    stale = client.post(f"/inspections/checklists/{draft.pk}/publish/", {"version": draft.version - 1})
    assert stale.status_code == 409
    assert client.post(f"/inspections/checklists/{draft.pk}/publish/", {"version": draft.version}).status_code == 302
    page = client.get(f"/inspections/checklists/{draft.pk}/").content.decode()
    assert 'id="read-only"' in page and 'id="item-form"' not in page
    response = client.post(f"/inspections/checklists/{draft.pk}/revise/")
    assert response.status_code == 302
    assert Checklist.objects.filter(code="email-reply").count() == 2


def test_planning_and_running_a_round_through_the_pages(supervisor, other_supervisor, agent, checklist):
    client = logged_in(supervisor)
    response = client.post("/inspections/rounds/new/", {
        "title": "一月巡检", "checklist": checklist.pk, "period_start": "2027-01-01", "period_end": "2027-01-31",
        "inspectors": [other_supervisor.pk], "staff": [agent.pk], "sample_size": 0})
    assert response.status_code == 302, response.content.decode()[:2000]
    round_ = InspectionRound.objects.get(title="一月巡检")
    assert round_.period_start == datetime.date(2027, 1, 1)
    response = client.post(f"/inspections/rounds/{round_.pk}/step/", {"version": round_.version, "move": "cancel"})
    assert response.status_code == 400 and "reason" not in response.content.decode()[:0]
    response = client.post(f"/inspections/rounds/{round_.pk}/step/", {"version": round_.version, "move": "start"})
    assert response.status_code == 302
    page = logged_in(other_supervisor).get(f"/inspections/rounds/{round_.pk}/").content.decode()
    assert f"/inspections/rounds/{round_.pk}/score/?staff={agent.pk}" in page
    assert Finding.objects.count() == 0


def test_the_admin_shows_inspections_read_only(world, admin_client):
    client = admin_client
    for url in ("/admin/inspections/checklist/", "/admin/inspections/inspection/", "/admin/inspections/finding/",
                "/admin/inspections/inspectionround/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/inspections/checklist/add/").status_code == 403
