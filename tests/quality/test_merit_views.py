"""The result pages and API (R9.5, R11.5): who sees what, deciding in place, the figures' links to the
requests behind them, one's own results, and the monthly report's section."""

import pytest
from django.urls import reverse

from fuwu.quality.merit.actions import merit_result_decide, merit_results_propose
from fuwu.quality.models import MeritResult
from fuwu.reports.builder import build_report
from tests.factories import make_staff
from tests.quality.merit_fixtures import NOVEMBER, november_staff

pytestmark = pytest.mark.django_db

BOARD = f"/quality/merit/?g=month&start={NOVEMBER.isoformat()}"


@pytest.fixture
def judged(db):
    staff = november_staff(db)
    merit_results_propose(actor=staff["manager"], granularity="month", period_start=NOVEMBER)
    return staff


@pytest.mark.parametrize(("role", "view", "manage"), [
    ("manager", 200, True), ("quality_supervisor", 200, True), ("admin", 200, True), ("general_manager", 200, False),
    ("agent", 403, False), ("support", 403, False), ("technician", 403, False), ("finance", 403, False),
])
def test_permission_matrix(client, role, view, manage):
    user = make_staff(role)
    client.force_login(user)
    assert client.get(reverse("quality:merit_board")).status_code == view
    assert client.get(reverse("quality:merit_rules")).status_code == view
    assert client.get(reverse("quality:merit_mine")).status_code == 200
    post = client.post(reverse("quality:merit_propose"), {"granularity": "month", "start": NOVEMBER.isoformat()})
    assert (post.status_code == 302) is manage and (post.status_code == 403) is not manage
    assert client.get("/api/v1/quality/merit/results", {"start": NOVEMBER.isoformat()}).status_code == 200


def test_a_customer_has_no_results_page(client):
    client.force_login(make_staff("customer"))
    assert client.get(reverse("quality:merit_mine")).status_code == 403
    assert client.get(reverse("quality:merit_board")).status_code == 403
    assert client.get("/api/v1/quality/merit/results", {"start": NOVEMBER.isoformat()}).json() == []


def test_the_board_shows_the_outcomes_per_group_with_the_requests_behind_each_figure(client, judged,
                                                                                    django_assert_max_num_queries):
    client.force_login(judged["manager"])
    with django_assert_max_num_queries(12):
        html = client.get(BOARD).content.decode()
    ann, bo = judged["ann"], judged["bo"]
    assert html.count('class="list-group-item merit-result"') == 3  # results without an outcome stay off
    assert "安安" in html and "波波" in html and "曦曦" not in html
    assert f"clock=resolution&amp;breached_from=2026-11-01&amp;breached_to=2026-11-30&amp;owner={ann.pk}" in html
    assert f"valid=yes&amp;closed=2026-11&amp;responsible={bo.pk}" in html
    assert 'hx-post="/quality/merit/results/' in html


def test_the_figure_link_lists_the_complaints_behind_it(client, judged):
    client.force_login(judged["manager"])
    html = client.get(f"/complaints/?valid=yes&closed=2026-11&responsible={judged['bo'].pk}").content.decode()
    assert html.count("FW-") >= 2 and "责任人：波波。" in html
    other = client.get(f"/complaints/?valid=yes&closed=2026-11&responsible={judged['cy'].pk}").content.decode()
    assert other.count("FW-") < html.count("FW-")


def test_a_manager_decides_in_place_and_a_stale_form_shows_what_is_stored(client, judged):
    client.force_login(judged["manager"])
    result = MeritResult.objects.get(subject=judged["bo"], rule_code="coaching")
    url = reverse("quality:merit_decide", args=[result.pk])
    response = client.post(url, {"version": result.version, "decision": "waive", "note": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    response = client.post(url, {"version": result.version, "decision": "confirm", "note": "本月辅导"},
                           HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert f'id="result-{result.pk}"' in html and "本月辅导" in html and "hx-post" not in html
    response = client.post(url, {"version": result.version, "decision": "waive", "note": "x"}, HTTP_HX_REQUEST="true")
    assert "alert-danger" in response.content.decode()
    assert MeritResult.objects.get(pk=result.pk).state == MeritResult.State.CONFIRMED


def test_the_api_scopes_results_and_answers_409_on_a_stale_decision(client, judged):
    ann = judged["ann"]
    client.force_login(ann)
    mine = client.get("/api/v1/quality/merit/results", {"start": NOVEMBER.isoformat()}).json()
    assert mine and {r["subject_id"] for r in mine} == {ann.pk}
    result = MeritResult.objects.get(subject=judged["bo"], rule_code="complaints")
    path = f"/api/v1/quality/merit/results/{result.pk}/decide"
    assert client.post(path, {"version": 1, "decision": "confirm"}, content_type="application/json").status_code in (
        403, 404)
    client.force_login(judged["manager"])
    every = client.get("/api/v1/quality/merit/results", {"start": NOVEMBER.isoformat(), "state": "proposed"}).json()
    assert len(every) == 3
    ok = client.post(path, {"version": 1, "decision": "confirm"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "confirmed"
    stale = client.post(path, {"version": 1, "decision": "waive", "note": "x"}, content_type="application/json")
    assert stale.status_code == 409


def test_my_performance_shows_my_results_only(client, judged, django_assert_max_num_queries):
    ann = judged["ann"]
    result = MeritResult.objects.get(subject=ann, rule_code="excellent")
    merit_result_decide(actor=judged["manager"], result=result, version=result.version, confirm=True)
    client.force_login(ann)
    with django_assert_max_num_queries(10):
        html = client.get(reverse("quality:merit_mine")).content.decode()
    assert "解决时限全优" in html and "<strong>10</strong>" in html
    assert html.count('<li class="list-group-item" id="result-') == MeritResult.objects.filter(subject=ann).count() == 3
    assert "有效投诉两起及以上" in html  # ann's one valid complaint: judged, no outcome


def test_the_rules_page_revises_a_rule(client, judged):
    client.force_login(judged["manager"])
    rule = judged["rules"]["excellent"]
    data = {"version": rule.version, "indicator": "resolution_sla", "granularity": "month", "comparison": "gte",
            "threshold": "95", "min_volume": "5", "outcome": "reward", "points": "-3", "description": "全优"}
    response = client.post(reverse("quality:merit_rule_revise", args=[rule.pk]), data)
    assert response.status_code == 400 and 'value="95"' in response.content.decode()
    response = client.post(reverse("quality:merit_rule_revise", args=[rule.pk]), {**data, "points": "8"})
    assert response.status_code == 302
    html = client.get(reverse("quality:merit_rules")).content.decode()
    assert "解决时限达标率 ≥ 95.0%" in html and "（至少 5 条数据）" in html
    new = {**data, "version": "", "indicator": "valid_complaints", "threshold": "3", "min_volume": "0",
           "outcome": "penalty", "points": "-10", "description": "有效投诉三起"}
    assert client.post(reverse("quality:merit_rule_new"), new).status_code == 302
    assert "有效投诉 ≥ 3" in client.get(reverse("quality:merit_rules")).content.decode()


def test_the_monthly_report_lists_the_outcomes_confirmed_in_the_month(judged):
    for result in MeritResult.objects.filter(state=MeritResult.State.PROPOSED):
        merit_result_decide(actor=judged["manager"], result=result, version=result.version, confirm=True)
    data = build_report("monthly", NOVEMBER.replace(month=12))
    assert {(r["outcome"], r["people"], r["points"]) for r in data["merit"]} == {
        ("reward", 1, 10), ("penalty", 1, -5), ("coaching", 1, 0)}
    assert "merit" not in build_report("weekly", NOVEMBER.replace(month=12))
    assert build_report("monthly", NOVEMBER)["merit"] == []
