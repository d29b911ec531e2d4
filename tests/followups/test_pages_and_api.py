"""The follow-up queue, the record-the-call form (HTMX) and the API: the permission matrix, errors kept
beside the fields, conflicts, and the queue's query count (R8.1)."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fuwu.followups.models import FollowUp, FollowUpState
from fuwu.org.actions import api_token_issue
from fuwu.org.roles import Role
from tests.factories import make_staff
from tests.followups.conftest import resolved

pytestmark = pytest.mark.django_db
API = "/api/v1/follow-ups"


@pytest.fixture
def follow_up(agent):
    return FollowUp.objects.get(ticket=resolved(agent, title="咨询保修政策", contact_name="陈建国",
                                                contact_phone="13912345678"))


@pytest.mark.parametrize(("role", "queue", "rules", "record"), [
    (Role.MANAGER, 200, 200, 302), (Role.AGENT, 200, 403, 302), (Role.SUPPORT, 200, 403, 302),
    (Role.QUALITY_SUPERVISOR, 200, 200, 403), (Role.TECHNICIAN, 403, 403, 404), (Role.FINANCE, 403, 403, 404),
    (Role.GENERAL_MANAGER, 403, 403, 404), (Role.CUSTOMER, 403, 403, 404),
])
def test_permission_matrix_of_the_pages(client, role, queue, rules, record, follow_up):
    user = make_staff(role)
    client.force_login(user)
    assert client.get("/followups/").status_code == queue
    assert client.get("/followups/rules/").status_code == rules
    assert client.get("/followups/rules/plan/new/").status_code == rules
    response = client.post(f"/followups/{follow_up.pk}/record/", {"rec-version": follow_up.version,
                                                                    "rec-reached": "no"})
    assert response.status_code == record
    nav = client.get("/").content.decode()
    assert ('href="/followups/"' in nav) == (role in (Role.MANAGER, Role.AGENT, Role.SUPPORT))
    assert ('href="/followups/rules/"' in nav) == (role in (Role.MANAGER, Role.QUALITY_SUPERVISOR))


def test_the_queue_shows_the_due_time_and_opens_the_form_beside_it(client, agent, follow_up):
    client.force_login(agent)
    page = client.get("/followups/?tab=due").content.decode()
    assert "咨询保修政策" in page and "2026-12-04 15:00" in page and 'class="badge sla-badge sla-running' in page
    assert f'hx-get="/followups/{follow_up.pk}/record/"' in page and "tel:13912345678" in page
    form = client.get(f"/followups/{follow_up.pk}/record/", headers={"HX-Request": "true"}).content.decode()
    assert 'id="record-form"' in form and "<html" not in form
    # The request page shows its follow-up (a panel the followups app registers on the tickets page).
    ticket_page = client.get(f"/tickets/{follow_up.ticket_id}/").content.decode()
    assert 'id="ticket-follow-ups"' in ticket_page and f'href="/followups/{follow_up.pk}/"' in ticket_page


def test_recording_keeps_the_input_on_errors_and_redirects_when_done(client, agent, follow_up):
    client.force_login(agent)
    response = client.post(f"/followups/{follow_up.pk}/record/", {
        "rec-version": follow_up.version, "rec-reached": "yes", "rec-opinion": "还是不制冷", "rec-satisfaction": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "还是不制冷" in html and "重新打开请求或登记投诉" in html
    response = client.post(f"/followups/{follow_up.pk}/record/", {
        "rec-version": follow_up.version - 1, "rec-reached": "no"})
    assert response.status_code == 409
    response = client.post(f"/followups/{follow_up.pk}/record/", {
        "rec-version": follow_up.version, "rec-reached": "yes", "rec-opinion": "很满意", "rec-satisfaction": "5"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/followups/?tab=due"})
    assert response.status_code == 200 and response["HX-Redirect"] == "http://testserver/followups/?tab=due"
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.REACHED and follow_up.satisfaction == 5


def test_rules_are_edited_with_errors_beside_the_fields(client, follow_up):
    client.force_login(make_staff(Role.QUALITY_SUPERVISOR))
    from fuwu.followups.models import FollowUpPlanRule

    rule = FollowUpPlanRule.objects.get(category="", customer_class="")
    data = {"version": rule.version, "category": "", "customer_class": "", "first_months": "12", "first_every": "0",
            "then_every": "3", "is_active": "on"}
    assert client.post(f"/followups/rules/plan/{rule.pk}/", data).status_code == 400
    response = client.post(f"/followups/rules/plan/{rule.pk}/", {**data, "first_every": "2"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.first_every, rule.version) == (2, 2)
    response = client.post("/followups/rules/plan/new/", {**data, "first_every": "1"})  # the same criteria again
    assert response.status_code == 400 and "相同条件" in response.content.decode()
    assert client.post(f"/followups/rules/plan/{rule.pk}/", {**data, "first_every": "3"}).status_code == 409


def test_the_queue_page_costs_the_same_queries_for_more_rows(client, agent):
    client.force_login(agent)
    resolved(agent)
    client.get("/followups/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/followups/?tab=due").status_code == 200
    for _ in range(6):
        resolved(agent)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/followups/?tab=due").status_code == 200
    assert len(many) == len(few) <= 12


def call(user, method: str, url: str, body: dict | None = None):
    key = api_token_issue(actor=user, name="t")[1]
    response = getattr(Client(), method)(url, data=json.dumps(body) if body is not None else None,
                                         content_type="application/json", headers={"authorization": f"Bearer {key}"})
    return response.status_code, response.json()


@pytest.mark.parametrize(("role", "listing", "attempt"), [
    (Role.MANAGER, 200, 200), (Role.AGENT, 200, 200), (Role.SUPPORT, 200, 200), (Role.QUALITY_SUPERVISOR, 200, 403),
    (Role.TECHNICIAN, 403, 404), (Role.FINANCE, 403, 404), (Role.GENERAL_MANAGER, 403, 404),
])
def test_permission_matrix_of_the_api(role, listing, attempt, follow_up):
    user = make_staff(role)
    status, body = call(user, "get", f"{API}?tab=due")
    assert status == listing
    if status == 200:
        assert [row["id"] for row in body] == [follow_up.pk] and body[0]["due_at"].startswith("2026-12-04T07:00")
        masked = role == Role.QUALITY_SUPERVISOR
        assert body[0]["contact_phone"] == ("139****5678" if masked else "13912345678")
    status, body = call(user, "post", f"{API}/{follow_up.pk}/attempts", {"version": follow_up.version,
                                                                         "reached": False})
    assert status == attempt, body
    if status == 200:
        assert body["state"] == "retry" and body["attempts"] == 1 and body["next_attempt_at"]


def test_the_api_records_a_reached_call_and_refuses_stale_or_bad_input(agent, follow_up):
    status, body = call(agent, "post", f"{API}/{follow_up.pk}/attempts", {"version": follow_up.version + 1,
                                                                          "reached": False})
    assert status == 409 and body["code"] == "stale_version"
    status, body = call(agent, "post", f"{API}/{follow_up.pk}/attempts", {"version": follow_up.version,
                                                                          "reached": True, "satisfaction": 2,
                                                                          "opinion": "一般"})
    assert status == 400 and body["code"] == "follow_up.next_step_required" and "next_step" in body["errors"]
    status, body = call(agent, "post", f"{API}/{follow_up.pk}/attempts", {"version": follow_up.version,
                                                                          "reached": True, "satisfaction": 4,
                                                                          "opinion": "满意"})
    assert status == 200 and body["state"] == "reached" and body["satisfaction"] == 4
    status, body = call(agent, "get", f"{API}/{follow_up.pk}")
    assert status == 200 and body["ticket_number"].startswith("FW-")
    assert call(agent, "get", f"{API}/99999999")[0] == 404


def test_each_follow_up_page_starts_with_the_shared_page_header(client, follow_up):
    """Issue 15: the queue, a follow-up, the rules and a rule's form each have one <h1>, in the page header."""
    client.force_login(make_staff(Role.MANAGER))
    for url in ("/followups/", f"/followups/{follow_up.pk}/", "/followups/rules/", "/followups/rules/rule/new/"):
        html = client.get(url).content.decode()
        assert html.count("<h1") == 1 and 'class="page-header"' in html, url
