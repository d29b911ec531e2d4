"""The daily rollup (R9.6, R15.1): every indicator that reads it gives what its live definition gives,
computed both ways on the hand-built month of tests/quality/fixtures.py (SQLite and PostgreSQL)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fuwu.quality.indicators import REGISTRY, Dimension, Granularity, Period
from fuwu.quality.indicators import tickets as live
from fuwu.quality.indicators.base import local_midnight
from fuwu.quality.models import DailyBreach, DailyRollup, RollupDay
from fuwu.quality.rollup import rollup_days, rollup_refresh
from fuwu.reports.builder import build_report
from fuwu.tickets.models import SlaClock, Ticket
from tests.quality.fixtures import NOVEMBER
from tests.tickets.sla_setup import local

TODAY = dt.date(2026, 12, 2)  # the suite's frozen day
LIVE = {
    "first_response_sla": live.clock_compliance("first_response"),
    "resolution_sla": live.clock_compliance("resolution"),
    "onsite_arrival": live.clock_compliance("onsite_arrival"),
    "first_contact_resolution": live.first_contact_resolution,
    "reopen_rate": live.reopen_rate,
    "handling_time": live.handling_time,
    "breaches": live.breaches,
}
DIMENSIONS = (Dimension.TOTAL, Dimension.GROUP, Dimension.STAFF, Dimension.SERVICE_TYPE, Dimension.CHANNEL,
              Dimension.REGION)
PERIODS = [
    (local_midnight(NOVEMBER), local_midnight(dt.date(2026, 12, 1))),  # November
    (local_midnight(dt.date(2026, 10, 1)), local_midnight(dt.date(2026, 11, 1))),  # October
    (local_midnight(dt.date(2026, 11, 2)), local_midnight(dt.date(2026, 11, 9))),  # a week
    (local_midnight(dt.date(2026, 11, 5)), local_midnight(dt.date(2026, 11, 6))),  # one day
    (local(2026, 11, 3, 11), local(2026, 11, 6, 9, 30)),  # parts of days at both ends
    (local_midnight(dt.date(2026, 12, 1)), local_midnight(dt.date(2027, 1, 1))),  # the running month: today live
    (local_midnight(dt.date(2026, 10, 1)), local_midnight(dt.date(2027, 1, 1))),  # the quarter
]
FIXTURE_DAYS = [dt.date(2026, 10, 15) + dt.timedelta(days=i) for i in range(48)]  # to 12-01, before today


@pytest.fixture
def breaches_on_many_days(month):
    """Besides the month's: t2 breached again on 11-20, 12-01 and today; t5 (first breached 10-25) on 11-02.
    A request counts once in a period whatever the number of its breach days."""
    t2, t5 = month["tickets"][1], month["tickets"][4]
    model = SlaClock.objects.get(ticket=t2, kind="first_response")
    for ticket, at in ((t2, local(2026, 11, 20, 9)), (t2, local(2026, 12, 1, 9)), (t2, local(2026, 12, 2, 9)),
                       (t5, local(2026, 11, 2, 15))):
        SlaClock.objects.create(ticket=ticket, kind="follow_up", target=model.target, calendar=model.calendar,
                                started_at=at - dt.timedelta(days=1), breached_at=at)
    return month


def _both_ways(code, since, until, dimension):
    return LIVE[code](since, until, dimension), REGISTRY[code].compute(since, until, dimension)


def test_without_a_rollup_the_registry_is_the_live_definition(month):
    assert not RollupDay.objects.exists()
    for code in LIVE:
        expected, got = _both_ways(code, *PERIODS[0], Dimension.GROUP)
        assert got == expected


@pytest.mark.parametrize("code", list(LIVE))
def test_each_indicator_read_from_the_rollup_equals_its_live_definition(breaches_on_many_days, code):
    before = {(p, d): LIVE[code](*p, d) for p in PERIODS for d in DIMENSIONS}
    assert rollup_days(FIXTURE_DAYS, today=TODAY) == len(FIXTURE_DAYS)
    assert DailyRollup.objects.exists()
    for period in PERIODS:
        for dimension in DIMENSIONS:
            expected, got = _both_ways(code, *period, dimension)
            assert got == expected == before[(period, dimension)], (code, period, dimension)


def test_with_days_missing_from_the_rollup_they_are_counted_live(breaches_on_many_days):
    rollup_days([d for d in FIXTURE_DAYS if d.day % 3], today=TODAY)  # a day in three left out
    for code in LIVE:
        for period in PERIODS:
            for dimension in (Dimension.TOTAL, Dimension.STAFF):
                expected, got = _both_ways(code, *period, dimension)
                assert got == expected, (code, period, dimension)


def test_the_rollup_is_read_instead_of_the_clocks_and_requests(month):
    rollup_days(FIXTURE_DAYS, today=TODAY)
    nov = Period(Granularity.MONTH, NOVEMBER)
    with CaptureQueriesContext(connection) as queries:
        value = REGISTRY["first_contact_resolution"].compute(nov.since, nov.until, Dimension.TOTAL)[""]
    assert (value.numerator, value.denominator) == (1, 4)
    assert not any("tickets_ticket" in q["sql"] or "tickets_slaclock" in q["sql"] for q in queries)
    DailyRollup.objects.update(first_contact=0)  # what is read is the rollup: changed there, changed here
    assert REGISTRY["first_contact_resolution"].compute(nov.since, nov.until, Dimension.TOTAL)[""].numerator == 0


def test_recomputing_a_day_replaces_its_rows(month):
    rollup_days(FIXTURE_DAYS, today=TODAY)
    rows = sorted(DailyRollup.objects.values_list("day", "owner_id", "resolved", "resolution_met",
                                                  "resolution_breached", "handling_us"))
    assert rollup_days(FIXTURE_DAYS[:20], today=TODAY) == 20
    assert sorted(DailyRollup.objects.values_list("day", "owner_id", "resolved", "resolution_met",
                                                  "resolution_breached", "handling_us")) == rows
    assert RollupDay.objects.count() == len(FIXTURE_DAYS)


def test_today_is_never_rolled_up(month):
    assert rollup_days([TODAY, TODAY + dt.timedelta(days=1)], today=TODAY) == 0
    assert not RollupDay.objects.exists()


def test_the_refresh_rolls_up_the_history_then_the_days_a_change_touched(month):
    assert rollup_refresh(today=TODAY) == (TODAY - dt.date(2026, 10, 20)).days  # since the first request
    t1 = month["tickets"][0]
    nov = Period(Granularity.MONTH, NOVEMBER)
    # t1 (resolved 11-03 at first contact) is reopened now: no longer resolved in November, and reopened.
    Ticket.objects.filter(pk=t1.pk).update(resolved_at=None, status="reopened", updated_at=timezone.now())
    SlaClock.objects.create(ticket=t1, kind="resolution", target=SlaClock.objects.filter(kind="resolution")
                            .first().target, calendar=SlaClock.objects.first().calendar,
                            started_at=timezone.now())
    stale = REGISTRY["first_contact_resolution"].compute(nov.since, nov.until, Dimension.TOTAL)
    fresh = live.first_contact_resolution(nov.since, nov.until, Dimension.TOTAL)
    assert stale != fresh  # the rollup still has t1 resolved on 11-03
    assert rollup_refresh(today=TODAY) >= 1
    assert REGISTRY["first_contact_resolution"].compute(nov.since, nov.until, Dimension.TOTAL) == fresh
    for code in LIVE:
        assert _both_ways(code, nov.since, nov.until, Dimension.STAFF)[1] == \
            _both_ways(code, nov.since, nov.until, Dimension.STAFF)[0]


@pytest.mark.parametrize("start", [NOVEMBER, dt.date(2026, 12, 1)])
def test_the_monthly_report_is_the_same_from_the_rollup(breaches_on_many_days, start):
    expected = build_report("monthly", start)
    rollup_days(FIXTURE_DAYS, today=TODAY)
    got = build_report("monthly", start)
    expected["period"].pop("as_of"), got["period"].pop("as_of")
    assert got == expected
    if start == NOVEMBER:
        assert got["breaches"]["clocks"] == 4 and got["staff"]["people"][0]["resolved"] == 4
        assert got["staff"]["people"][0]["breaches"] == 2  # t2 and t5, once each


def test_a_request_breached_on_several_days_counts_once(breaches_on_many_days):
    rollup_days(FIXTURE_DAYS, today=TODAY)
    breaches = REGISTRY["breaches"]
    for (since, until), expected in (
            (PERIODS[0], 2),  # November: t2 (11-05, 11-20), t5 (11-02)
            (PERIODS[5], 1),  # December: t2 on 12-01 (rolled up) and today (live)
            ((local_midnight(dt.date(2026, 11, 16)), local_midnight(dt.date(2026, 11, 23))), 1)):
        assert breaches.compute(since, until, Dimension.TOTAL)[""].numerator == expected
    assert DailyBreach.objects.filter(day=dt.date(2026, 11, 20), previous_day=dt.date(2026, 11, 5)).exists()
