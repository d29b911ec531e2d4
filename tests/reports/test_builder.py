"""The report's figures against the hand-computed November of tests/quality/fixtures.py (both databases)."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fuwu.complaints.models import Complaint, RootCause
from fuwu.improvements.actions import improvement_action_open
from fuwu.improvements.models import ImprovementAction
from fuwu.org.roles import Role
from fuwu.reports.builder import build_report, period_of
from fuwu.reports.presenters import present
from fuwu.tickets.models import Ticket
from tests.factories import make_staff, make_ticket
from tests.quality.fixtures import NOVEMBER
from tests.tickets.sla_setup import local


def _complaint(month):
    t6 = month["tickets"][5]
    complaint = Complaint.objects.filter(ticket=t6).first()
    assert complaint is not None, "registering a complaint request opens its record"
    Complaint.objects.filter(pk=complaint.pk).update(received_at=t6.received_at, valid=True,
                                                     root_cause=RootCause.objects.get(code="attitude"))


def test_periods_are_monday_to_sunday_and_calendar_months():
    assert period_of("weekly", dt.date(2026, 12, 4)).start == dt.date(2026, 11, 30)  # a Friday's week
    assert period_of("weekly", dt.date(2026, 12, 4)).end == dt.date(2026, 12, 7)
    assert period_of("monthly", dt.date(2026, 11, 17)).start == NOVEMBER
    assert period_of("monthly", dt.date(2026, 11, 17)).end == dt.date(2026, 12, 1)


def test_the_monthly_figures_of_the_hand_computed_month(month, targets):
    _complaint(month)
    agent = month["agent"]
    group_a, group_b = month["groups"]
    data = build_report("monthly", NOVEMBER)
    json.dumps(data)  # archived as JSON
    v = data["volumes"]
    # received in November: t1 t2 t3 t4 t6; in October t5
    assert (v["total"], v["previous"], v["change"]) == (5, 1, 400.0)
    assert v["by_channel"] == [{"key": "phone", "count": 5, "previous": 1, "share": 100.0, "change": 400.0}]
    assert [(r["kind"], r["count"], r["previous"]) for r in v["by_type"]] == [("consultation", 4, 1),
                                                                             ("complaint", 1, 0)]
    ind = {i["code"]: i for i in data["indicators"]}
    assert ind["resolution_sla"]["value"] == pytest.approx(66.67)
    assert (ind["resolution_sla"]["target"], ind["resolution_sla"]["met"]) == (90, False)
    assert ind["resolution_sla"]["alarm"] is True  # below the alert level of 80
    assert (ind["first_contact_resolution"]["value"], ind["first_contact_resolution"]["met"]) == (25.0, True)
    assert ind["handling_time"]["met"] is None  # no target
    assert ind["breaches"]["value"] == 1 and ind["backlog"]["value"] == 1
    b = data["breaches"]  # t2's first response (11-05 12:00) and resolution (11-05 18:00)
    assert b["clocks"] == 2
    assert sorted((r["kind"], r["count"]) for r in b["by_kind"]) == [("first_response", 1), ("resolution", 1)]
    assert b["by_group"] == [{"id": group_a.pk, "name": str(group_a.name), "count": 2}]
    c = data["complaints"]
    assert (c["received"], c["valid"]) == (1, 1)
    assert [(r["code"], r["count"]) for r in c["by_root_cause"]] == [("attitude", 1)]
    (person,) = data["staff"]["people"]
    assert (person["id"], person["resolved"], person["breaches"]) == (agent.pk, 4, 1)
    groups = {g["id"]: g for g in data["staff"]["groups"]}
    assert (groups[group_a.pk]["resolved"], groups[group_a.pk]["breaches"]) == (2, 1)
    assert (groups[group_b.pk]["resolved"], groups[group_b.pk]["breaches"]) == (2, 0)
    assert data["surveys"]["invited"] == 0 and data["surveys"]["satisfaction"] is None
    assert data["period"]["complete"] is True
    assert data["improvements"] == {"opened": 0, "closed": 0, "cancelled": 0, "open": 0, "overdue": 0}


def test_the_summary_says_it_in_plain_words(month, targets):
    _complaint(month)
    p = present(build_report("monthly", NOVEMBER))
    text = "".join(p["summary"])
    assert "本月受理 5 件，环比 +400.0%" in text
    assert ("1 项指标达标，1 项未达标" in text and "处理时限达标率" not in text) or "66.7%" in text
    assert "服务态度" in text  # the main root cause


def test_a_running_week_compares_with_the_same_length_of_the_week_before(month):
    now = local(2026, 12, 2, 10)  # Wednesday 10:00; the week began Monday 11-30
    Ticket.objects.filter(pk=month["tickets"][6].pk).update(received_at=local(2026, 12, 1, 10))
    Ticket.objects.filter(pk=month["tickets"][3].pk).update(received_at=local(2026, 11, 24, 9))  # Tuesday before
    Ticket.objects.filter(pk=month["tickets"][2].pk).update(received_at=local(2026, 11, 26, 9))  # Thursday before
    data = build_report("weekly", dt.date(2026, 12, 2), now=now)
    assert data["period"]["complete"] is False
    assert (data["volumes"]["total"], data["volumes"]["previous"]) == (1, 1)  # Thursday is left out


def test_the_builder_runs_a_bounded_number_of_queries(month, targets):
    """The count is the same with more requests, people, groups and channels: aggregation only."""
    _complaint(month)
    with CaptureQueriesContext(connection) as few:
        build_report("monthly", NOVEMBER)
    other = make_staff(Role.SUPPORT)
    for n, channel in enumerate(("email", "web", "walk_in")):
        t = make_ticket(other, "consultation", channel=channel)
        Ticket.objects.filter(pk=t.pk).update(received_at=local(2026, 11, 20 + n, 9),
                                              resolved_at=local(2026, 11, 21 + n, 9), status="closed",
                                              owner=other, group=month["groups"][1])
    with CaptureQueriesContext(connection) as more:
        data = build_report("monthly", NOVEMBER)
    assert data["volumes"]["total"] == 8 and len(data["staff"]["people"]) == 2
    # 42: the valid-complaints indicator and the rewards and penalties confirmed (R9.5) are one query each.
    assert len(more) == len(few) <= 42, [q["sql"][:80] for q in more.captured_queries]


def test_improvement_actions_of_the_week(manager):
    """Two actions proposed this week (now: Wednesday 2026-12-02), one already past its due day."""
    actions = [improvement_action_open(actor=manager, kind="corrective", title=title, goal="目标", measures="措施",
                                       owner=manager, due_on=dt.date(2026, 12, 20), source_kind="manual")
               for title in ("缩短热线首次响应时间", "补充空调维修备件")]
    ImprovementAction.objects.filter(pk=actions[1].pk).update(due_on=dt.date(2026, 12, 1))  # as if set back then
    data = build_report("weekly", dt.date(2026, 12, 2))
    assert data["improvements"] == {"opened": 2, "closed": 0, "cancelled": 0, "open": 2, "overdue": 1}
