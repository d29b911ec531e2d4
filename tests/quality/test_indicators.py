"""Each indicator against the hand-computed month in tests/quality/fixtures.py (run on SQLite and
PostgreSQL alike)."""

import pytest

from fuwu.quality.indicators import INDICATORS, REGISTRY, TOTAL_KEY, Dimension, Granularity, Period, compute
from tests.quality.fixtures import NOVEMBER

NOV = Period(Granularity.MONTH, NOVEMBER)


@pytest.mark.parametrize(("code", "expected"), [
    ("backlog", 1),
    ("breaches", 1),
    ("first_response_sla", 50.0),
    ("resolution_sla", 200 / 3),
    ("onsite_arrival", 100.0),
    ("first_contact_resolution", 25.0),
    ("reopen_rate", 25.0),
    ("repeat_contact", 20.0),
    ("complaints_per_thousand", 200.0),
    ("handling_time", 85.5),
    ("handover_acceptance", 3.0),
])
def test_indicator_against_the_hand_computed_month(month, code, expected):
    assert compute(code, NOV)[TOTAL_KEY] == pytest.approx(expected)


def test_by_group_the_keys_add_up_to_the_total(month):
    group_a, group_b = month["groups"]
    values = compute("first_contact_resolution", NOV, Dimension.GROUP)
    assert values == {TOTAL_KEY: pytest.approx(25.0), str(group_a.pk): pytest.approx(50.0),
                      str(group_b.pk): pytest.approx(0.0)}
    raw = REGISTRY["handling_time"].compute(NOV.since, NOV.until, Dimension.GROUP)
    assert raw[str(group_a.pk)].numerator == pytest.approx(26.0)  # 2 h + 24 h
    assert raw[str(group_b.pk)].numerator == pytest.approx(316.0)  # 4 h + 312 h


def test_by_staff_and_channel(month):
    agent = month["agent"]
    assert compute("resolution_sla", NOV, Dimension.STAFF)[str(agent.pk)] == pytest.approx(200 / 3)
    assert compute("complaints_per_thousand", NOV, Dimension.CHANNEL) == {
        TOTAL_KEY: pytest.approx(200.0), "phone": pytest.approx(200.0)}


def test_a_month_without_requests_has_no_rates(db):
    values = {i.code: compute(i.code, NOV)[TOTAL_KEY] for i in INDICATORS}
    assert values["backlog"] == 0 and values["breaches"] == 0
    assert values["first_contact_resolution"] is None and values["satisfaction"] is None


def test_the_running_period_counts_the_backlog_open_now(month):
    december = Period.containing(Granularity.MONTH, NOVEMBER.replace(month=12))
    assert compute("backlog", december)[TOTAL_KEY] == 2  # t4 and t7


def test_every_indicator_names_its_standard_unit_and_definition():
    for ind in INDICATORS:
        assert ind.definition and ind.unit and ind.direction
        assert Dimension.TOTAL in ind.dimensions
    assert {i.code for i in INDICATORS} >= {
        "satisfaction", "nps", "first_contact_resolution", "first_response_sla", "resolution_sla",
        "onsite_arrival", "repair_timeliness", "complaint_success", "complaints_per_thousand", "repeat_contact",
        "reopen_rate", "follow_up_completion", "handover_acceptance", "handling_time", "backlog"}


@pytest.mark.parametrize(("granularity", "day", "start", "end"), [
    ("day", "2026-12-02", "2026-12-02", "2026-12-03"),
    ("week", "2026-12-02", "2026-11-30", "2026-12-07"),
    ("month", "2026-12-02", "2026-12-01", "2027-01-01"),
    ("quarter", "2026-12-02", "2026-10-01", "2027-01-01"),
    ("year", "2026-12-02", "2026-01-01", "2027-01-01"),
])
def test_periods(granularity, day, start, end):
    import datetime as dt

    p = Period.containing(granularity, dt.date.fromisoformat(day))
    assert (p.start.isoformat(), p.end.isoformat()) == (start, end)
    assert p.next().start == p.end and p.next().previous() == p
