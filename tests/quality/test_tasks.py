"""The snapshot jobs' split (R9.5, R15.1, issue 14): every ten minutes today's day figures only; every
hour the running week, month, quarter and year; after midnight the rollup of the day that ended, then
the periods that ended."""

import datetime as dt

from fuwu.core.models import AuditEvent
from fuwu.quality.codes import QualityAction
from fuwu.quality.models import DailyRollup, RollupDay, Snapshot
from fuwu.quality.tasks import quality_snapshots_close, quality_snapshots_hourly, quality_snapshots_today

TODAY = dt.date(2026, 12, 2)  # the suite's frozen day


def _runs(task, *utc_times: str) -> list[bool]:
    """Whether huey would start the task at these UTC instants (its crontab is in UTC)."""
    check = task.task_class().validate_datetime
    return [check(dt.datetime.fromisoformat(t)) for t in utc_times]


def test_the_schedules():
    assert _runs(quality_snapshots_today, "2026-12-02T02:00", "2026-12-02T02:10", "2026-12-02T02:05") == [
        True, True, False]
    assert _runs(quality_snapshots_hourly, "2026-12-02T02:05", "2026-12-02T02:10") == [True, False]
    # 00:20 in China, once a day
    assert _runs(quality_snapshots_close, "2026-12-01T16:20", "2026-12-02T16:20", "2026-12-02T02:20",
                 "2026-12-02T16:30") == [True, True, False, False]


def test_the_ten_minute_run_computes_today_only(month):
    quality_snapshots_today()
    assert set(Snapshot.objects.values_list("granularity", "period_start").distinct()) == {("day", TODAY)}
    assert not RollupDay.objects.exists()  # the rollup is the nightly run's


def test_the_hourly_run_computes_the_running_periods(month):
    quality_snapshots_hourly()
    assert set(Snapshot.objects.values_list("granularity", "period_start").distinct()) == {
        ("week", dt.date(2026, 11, 30)), ("month", dt.date(2026, 12, 1)), ("quarter", dt.date(2026, 10, 1)),
        ("year", dt.date(2026, 1, 1))}
    assert not RollupDay.objects.exists()


def test_the_nightly_run_rolls_up_then_closes_the_periods(month):
    quality_snapshots_close()
    days = set(RollupDay.objects.values_list("day", flat=True))
    assert TODAY - dt.timedelta(days=1) in days and TODAY not in days
    assert min(days) == dt.date(2026, 10, 20)  # the first run rolls up the history from the first request
    assert DailyRollup.objects.filter(day=dt.date(2026, 11, 3), resolved=1, first_contact=1).exists()
    periods = set(Snapshot.objects.values_list("granularity", "period_start").distinct())
    assert {("month", dt.date(2026, 11, 1)), ("month", dt.date(2026, 12, 1)), ("day", dt.date(2026, 12, 1)),
            ("week", dt.date(2026, 11, 23)), ("quarter", dt.date(2026, 7, 1)), ("year", dt.date(2025, 1, 1))} <= periods
    november = Snapshot.objects.get(indicator="first_contact_resolution", granularity="month",
                                    period_start=dt.date(2026, 11, 1), dimension="total")
    assert (november.numerator, november.denominator) == (1, 4)
    assert AuditEvent.objects.filter(action=QualityAction.ROLLUP_COMPUTED).exists()
    computed = dict(RollupDay.objects.values_list("day", "computed_at"))
    quality_snapshots_close()  # again: nothing new, the same rows
    assert set(RollupDay.objects.values_list("day", flat=True)) == days
    assert RollupDay.objects.get(day=TODAY - dt.timedelta(days=1)).computed_at > computed[TODAY - dt.timedelta(days=1)]
