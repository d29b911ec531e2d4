"""The complaint figures (R6.5) against a hand-computed fixture; each figure's list holds the same
complaints. Runs on SQLite and PostgreSQL (month truncation in the site's time zone, durations)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fuwu.complaints import actions
from fuwu.complaints.analysis import complaint_figures, last_months
from fuwu.complaints.selectors import ComplaintFilters, complaint_list
from fuwu.org.models import Department
from tests.complaints.conftest import complaint_of, register

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 10, 0, tzinfo=SH)


@pytest.fixture
def year(agent, support):
    d1, d2 = Department.objects.order_by("id")[:2]

    def one(received, *, valid, code, department, closed=None, agreed=None):
        with time_machine.travel(received, tick=False):
            complaint = complaint_of(register(agent, title=f"投诉{received:%m%d}"))
            actions.complaint_start_investigation(actor=support, complaint=complaint, expected_version=None)
            from fuwu.complaints.models import RootCause
            actions.complaint_conclude(actor=support, complaint=complaint, expected_version=None, valid=valid,
                                       root_cause=RootCause.objects.get(code=code), responsible_department=department,
                                       conclusion="经调查")
        if closed is None:
            return complaint
        with time_machine.travel(closed, tick=False):
            actions.complaint_propose_solution(actor=agent, complaint=complaint, expected_version=None, solution="致歉")
            if agreed is None:
                for note in ("电话未接", "短信未回"):
                    actions.complaint_record_contact_attempt(actor=agent, complaint=complaint, note=note)
            else:
                actions.complaint_record_answer(actor=agent, complaint=complaint, expected_version=None,
                                                agreed=agreed, feedback="" if agreed else "不接受")
            return actions.complaint_close(actor=agent, complaint=complaint, expected_version=None)

    return {
        "A": one(at(10, 10), valid=True, code="delay", department=d1, closed=at(10, 20), agreed=True),
        "B": one(at(10, 15), valid=True, code="delay", department=d1, closed=at(11, 14), agreed=False),
        "C": one(at(11, 3), valid=True, code="attitude", department=d2, closed=at(11, 5), agreed=True),
        "D": one(at(11, 20), valid=False, code="billing", department=d2, closed=at(11, 30)),
        "E": one(at(9, 1), valid=True, code="skill", department=d1, closed=at(10, 1), agreed=True),
        "F": one(at(12, 1), valid=True, code="attitude", department=d2),
        "d1": d1, "d2": d2,
    }


def test_the_figures_match_the_hand_computed_ones(manager, year):
    period = last_months(3)
    assert period.months == ["2026-10", "2026-11", "2026-12"]
    figures = complaint_figures(manager, period)
    assert [(p["code"], p["count"], p["cumulative"]) for p in figures.pareto] == [
        ("attitude", 2, 50.0), ("delay", 2, 100.0)]
    assert figures.causes_by_month == {"delay": {"2026-10": 2}, "attitude": {"2026-11": 1, "2026-12": 1}}
    assert figures.by_month == [
        {"month": "2026-10", "closed": 2, "agreed": 2, "rate": 100.0, "days": 20.0},
        {"month": "2026-11", "closed": 3, "agreed": 1, "rate": 33.3, "days": 14.0},
    ]
    assert (figures.closed, figures.agreed, figures.days) == (5, 3, 16.4)
    assert figures.rate == pytest.approx(0.6)
    by_department = {row["id"]: (row["closed"], row["agreed"], row["rate"], row["days"])
                     for row in figures.by_department}
    assert by_department == {year["d1"].pk: (3, 2, 66.7, 23.3), year["d2"].pk: (2, 1, 50.0, 6.0)}


def test_each_figure_leads_to_the_complaints_behind_it(manager, year):
    def listed(**filters):
        return {c.pk for c in complaint_list(manager, ComplaintFilters(**filters))}

    pk = {k: v.pk for k, v in year.items() if k.isupper()}
    assert listed(root_cause="delay", valid="yes", received_month="2026-10..2026-12") == {pk["A"], pk["B"]}
    assert listed(root_cause="attitude", valid="yes", received_month="2026-12") == {pk["F"]}
    assert listed(closed_month="2026-11") == {pk["B"], pk["C"], pk["D"]}
    assert listed(closed_month="2026-11", outcome="agreed") == {pk["C"]}
    assert listed(department_id=year["d1"].pk, closed_month="2026-10..2026-12", outcome="agreed") == {pk["A"], pk["E"]}


def test_the_page_shows_the_figures_and_links_to_the_lists(client, manager, year):
    client.force_login(manager)
    response = client.get("/complaints/figures/?months=3")
    assert response.status_code == 200
    html = response.content.decode()
    assert "?closed=2026-10..2026-12&outcome=agreed" in html
    assert "?root_cause=delay&valid=yes&received=2026-10..2026-12" in html
    assert 'id="complaint-chart-data"' in html and "echarts" in html
    listed = client.get("/complaints/?closed=2026-11&outcome=agreed")
    assert year["C"].ticket.number in listed.content.decode()
    assert year["B"].ticket.number not in listed.content.decode()
