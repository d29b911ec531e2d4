"""Complaint pages and API: the permission matrix, the panel's steps through HTMX with errors beside the
field, the request page refusing to resolve an open complaint, my accountability."""

import json

import pytest
from django.test import Client

from fuwu.complaints import actions
from fuwu.complaints.models import Accountability, ComplaintStatus, Measure
from fuwu.org.actions import api_token_issue
from fuwu.org.roles import Role
from tests.complaints.conftest import complaint_of, conclude, investigate, register
from tests.factories import make_staff

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user, url: str):
    key = api_token_issue(actor=user, name="t")[1]
    response = Client().get(url, headers={"authorization": f"Bearer {key}"})
    return response.status_code, response.json()


@pytest.mark.parametrize(("role", "view", "approve"), [
    (Role.MANAGER, 200, 200), (Role.AGENT, 200, 403), (Role.SUPPORT, 200, 403),
    (Role.QUALITY_SUPERVISOR, 200, 403), (Role.GENERAL_MANAGER, 200, 200),
    (Role.TECHNICIAN, 403, 403), (Role.FINANCE, 403, 403), (Role.CUSTOMER, 403, 403),
])
def test_permission_matrix_through_pages_and_api(role, view, approve, complaint):
    user = make_staff(role)
    client = logged_in(user)
    for url in ("/complaints/", "/complaints/figures/", f"/complaints/ticket/{complaint.ticket_id}/panel/"):
        assert client.get(url).status_code in ((view,) if view == 200 else (403, 404)), url
    assert client.get("/complaints/compensations/").status_code == approve
    assert client.get("/complaints/accountability/").status_code == approve
    if role == Role.CUSTOMER:
        return
    status, body = api(user, "/api/v1/complaints")
    assert status == view
    if view == 200:
        assert [c["ticket_number"] for c in body] == [complaint.ticket.number]
    status, body = api(user, f"/api/v1/complaints/{complaint.pk}")
    assert status == view
    if view == 200:
        assert body["status"] == "registered" and body["compensations"] == []


def test_the_request_page_loads_the_complaint_panel(agent, complaint):
    client = logged_in(agent)
    page = client.get(f"/tickets/{complaint.ticket_id}/").content.decode()
    assert f'hx-get="/complaints/ticket/{complaint.ticket_id}/panel/"' in page
    panel = client.get(f"/complaints/ticket/{complaint.ticket_id}/panel/", headers=HX).content.decode()
    assert 'id="complaint-panel"' in panel and 'id="complaint-step-investigate"' in panel


def test_the_steps_through_htmx_and_an_error_beside_its_field(agent, support, department, complaint):
    client = logged_in(support)
    base = f"/complaints/ticket/{complaint.ticket_id}"
    response = client.post(f"{base}/investigate/", {"investigate-version": complaint.version}, headers=HX)
    assert response.status_code == 200 and "complaint-step-conclude" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.INVESTIGATING and complaint.investigator == support
    bad = client.post(f"{base}/conclude/", {"conclude-version": complaint.version, "conclude-valid": "yes",
                                            "conclude-root_cause": 1, "conclude-conclusion": "属实，迟到两小时"},
                      headers=HX)
    html = bad.content.decode()
    assert "请指明责任部门" in html or "Name the responsible department" in html
    assert "属实，迟到两小时" in html  # what was typed is kept
    stale = client.post(f"{base}/notes/", {"notes-version": complaint.version + 5, "notes-notes": "x"})
    assert stale.status_code == 409
    ok = client.post(f"{base}/conclude/", {
        "conclude-version": complaint.version, "conclude-valid": "yes", "conclude-root_cause": 1,
        "conclude-responsible_department": department.pk, "conclude-conclusion": "属实"})
    assert ok.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CONCLUDED and complaint.valid is True


def test_the_request_page_refuses_to_resolve_an_open_complaint(agent, complaint):
    ticket = complaint.ticket
    response = logged_in(agent).post(f"/tickets/{ticket.pk}/move/", {
        "move-version": ticket.version, "move-move": "resolve", "move-resolution": "已处理"}, headers=HX)
    assert "调查" in response.content.decode() or "investigation" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status != "resolved"


def test_my_accountability_shows_the_decision_and_takes_one_answer(support, manager, technician, department,
                                                                   complaint):
    investigate(complaint, support)
    conclude(complaint, support, department=department, person=technician)
    record = Accountability.objects.get()
    client = logged_in(technician)
    assert complaint.ticket.number not in client.get("/complaints/mine/").content.decode()  # not decided yet
    actions.accountability_decide(actor=manager, record=record, expected_version=None, measure=Measure.COACHING,
                                  note="参加准时上门培训")
    page = client.get("/complaints/mine/").content.decode()
    assert "参加准时上门培训" in page
    client.post(f"/complaints/mine/{record.pk}/answer/", {f"r{record.pk}-version": 2, f"r{record.pk}-answer": "接受"})
    client.post(f"/complaints/mine/{record.pk}/answer/", {f"r{record.pk}-version": 3, f"r{record.pk}-answer": "改"})
    record.refresh_from_db()
    assert record.answer == "接受"
    other = logged_in(make_staff(Role.TECHNICIAN))
    assert other.post(f"/complaints/mine/{record.pk}/answer/", {}).status_code == 404


def test_the_compensation_page_approves(agent, manager, complaint):
    compensation = actions.compensation_propose(actor=agent, complaint=complaint, amount="300", reason="免收上门费")
    client = logged_in(manager)
    assert complaint.ticket.number in client.get("/complaints/compensations/").content.decode()
    client.post(f"/complaints/compensations/{compensation.pk}/decide/",
                {f"c{compensation.pk}-version": 1, f"c{compensation.pk}-approve": "yes"})
    compensation.refresh_from_db()
    assert compensation.status == "approved" and compensation.decided_by == manager


def test_a_register_without_a_record_opens_it_from_the_panel(agent):
    from fuwu.complaints.models import Complaint
    from fuwu.tickets.events import replaying_history

    with replaying_history():
        ticket = register(agent)
    assert not Complaint.objects.exists()
    client = logged_in(agent)
    assert "complaint-open" in client.get(f"/complaints/ticket/{ticket.pk}/panel/").content.decode()
    client.post(f"/complaints/ticket/{ticket.pk}/open/", headers=HX)
    assert complaint_of(ticket).status == ComplaintStatus.REGISTERED


def test_the_navigation_shows_complaints_in_the_quality_menu(agent, technician):
    assert "/complaints/figures/" in logged_in(agent).get("/").content.decode()
    page = logged_in(technician).get("/").content.decode()
    assert "/complaints/mine/" in page and "/complaints/figures/" not in page


def test_api_list_query_is_bounded(agent, complaint, django_assert_max_num_queries):
    for _ in range(3):
        register(agent)
    key = api_token_issue(actor=agent, name="t")[1]
    with django_assert_max_num_queries(12):
        response = Client().get("/api/v1/complaints", headers={"authorization": f"Bearer {key}"})
    assert len(json.loads(response.content)) == 4


def test_the_list_uses_the_shared_table_and_answers_htmx_with_its_results(agent, complaint):
    """Issue 15: the complaint list's table, pager and empty state are the shared partials."""
    client = logged_in(agent)
    page = client.get("/complaints/").content.decode()
    assert 'class="data-table"' in page and 'id="complaint-list"' in page and complaint.ticket.number in page
    partial = client.get("/complaints/", {"status": "closed"}, headers=HX).content.decode()
    assert "<html" not in partial and 'class="empty-state"' in partial and complaint.ticket.number not in partial
