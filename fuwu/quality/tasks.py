"""The snapshot jobs (R9.5, R15.1): compute the indicators and raise the alerts; idempotent, so a rerun
or a second worker changes nothing.

Every ten minutes only today's figures (the day's snapshots: what the home pages show as "today"), so
the frequent run stays small however long the history. Every hour the running week, month, quarter and
year (whole past days from the daily rollup, today live). After midnight the nightly run rolls up the day
that just ended (and any earlier day a change touched), then computes every period that just ended and
the running ones once more in full, and their alerts.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fuwu.quality.actions import rollup_compute, snapshots_compute
from fuwu.quality.indicators import Granularity
from fuwu.quality.merit.actions import merit_last_period_propose

RUNNING = (Granularity.WEEK, Granularity.MONTH, Granularity.QUARTER, Granularity.YEAR)


@db_periodic_task(crontab(minute="*/10"))
def quality_snapshots_today() -> int:
    """Today's figures (breaches, backlog, ...) every ten minutes, for the home pages: the day only."""
    return snapshots_compute(granularities=(Granularity.DAY,))


@db_periodic_task(crontab(minute="5"))
def quality_snapshots_hourly() -> int:
    """The running week, month, quarter and year every hour."""
    return snapshots_compute(granularities=RUNNING)


@db_periodic_task(crontab(hour="16", minute="20"))  # huey's crontab is in UTC: 00:20 in China
def quality_snapshots_close() -> int:
    """After midnight: yesterday's rollup first, then every period that just ended (and the running
    ones) computed once more in full, and their alerts."""
    rollup_compute()
    return snapshots_compute(previous=True)


@db_periodic_task(crontab(day="1", hour="1", minute="40"))  # 09:40 in China on the 1st, after the close above
def quality_merit_propose() -> int:
    """Last month (and, on the first of a quarter, last quarter) judged against the result rules (R9.5, R11.5)."""
    return merit_last_period_propose()
