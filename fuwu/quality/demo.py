"""Demo targets and a year of snapshots (R9.5), through the actions: run by `seed_demo` after every
other app's demo, so the home pages show trends against their target bands from the first login."""

import datetime

from django.utils import timezone

from fuwu.quality.actions import alert_acknowledge, rollup_compute, snapshots_compute, target_set
from fuwu.quality.indicators import Granularity, Period
from fuwu.quality.models import Alert

# (indicator, period, target, alert level): what the service department commits to.
DEMO_TARGETS = (
    ("backlog", Granularity.DAY, 150, 250),
    ("breaches", Granularity.DAY, 5, 15),
    ("resolution_sla", Granularity.MONTH, 90, 80),
    ("first_response_sla", Granularity.MONTH, 95, 85),
    ("first_contact_resolution", Granularity.MONTH, 60, 45),
    ("satisfaction", Granularity.MONTH, 90, 80),
    ("complaints_per_thousand", Granularity.MONTH, 20, 40),
    ("complaint_success", Granularity.MONTH, 85, 70),
    ("repair_timeliness", Granularity.MONTH, 90, 80),
    ("onsite_arrival", Granularity.MONTH, 90, 80),
)


def seed_quality(*, actor, owner, days: int = 30, months: int = 12, log=print) -> int:
    for code, granularity, target, alert in DEMO_TARGETS:
        target_set(actor=actor, indicator=code, granularity=granularity, target=target, alert_level=alert,
                   owner=owner)
    today = timezone.localdate()
    days = rollup_compute()  # the daily rollup of the year, as the nightly job keeps it
    written = 0
    for period in Period.containing(Granularity.MONTH, today).last(months):
        written += snapshots_compute(day=period.start, granularities=(Granularity.MONTH,))
    for offset in range(days - 1, -1, -1):
        written += snapshots_compute(day=today - datetime.timedelta(days=offset), granularities=(Granularity.DAY,))
    written += snapshots_compute(day=today, granularities=(Granularity.WEEK, Granularity.QUARTER, Granularity.YEAR))
    # The alerts of the months and days gone by were dealt with at the time; today's and this month's stay open.
    for alert in Alert.objects.filter(state=Alert.State.OPEN).select_related("target"):
        if alert.period_start != Period.containing(alert.target.granularity, today).start:
            alert_acknowledge(actor=actor, alert=alert, version=alert.version)
    log(f"Quality: {len(DEMO_TARGETS)} targets, {days} days rolled up, {written} snapshots.")
    return written
