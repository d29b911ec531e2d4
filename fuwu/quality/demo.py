"""Demo targets and a year of snapshots (R9.5), through the actions: run by `seed_demo` after every
other app's demo, so the home pages show trends against their target bands from the first login."""

import datetime

from django.utils import timezone

from fuwu.quality.actions import alert_acknowledge, rollup_compute, snapshots_compute, target_set
from fuwu.quality.indicators import Granularity, Period
from fuwu.quality.merit.actions import merit_result_decide, merit_results_propose, merit_rule_save
from fuwu.quality.models import Alert, MeritResult

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
    seed_merit(actor=actor, today=today, log=log)
    return written


# (code, indicator, period, comparison, threshold, minimum volume, outcome, points, description): the
# service department's result rules (R9.5, R11.5); the minimum volumes fit the demo's few requests a month
# per person (a real department would ask for 20 or more).
DEMO_RULES = (
    ("sla-excellent", "resolution_sla", Granularity.MONTH, "gte", 98, 2, "reward", 10, "解决时限全优：通报表扬"),
    ("first-contact", "first_contact_resolution", Granularity.MONTH, "gte", 60, 2, "reward", 5, "首问解决能手"),
    ("sla-coaching", "resolution_sla", Granularity.MONTH, "lt", 80, 2, "coaching", 0, "时限未达标：安排辅导"),
    ("valid-complaints", "valid_complaints", Granularity.MONTH, "gte", 1, 0, "penalty", -5, "有效投诉：扣分并约谈"),
    ("satisfaction-star", "satisfaction", Granularity.QUARTER, "gte", 95, 3, "reward", 20, "季度满意之星"),
)


def seed_merit(*, actor, today: datetime.date, months: int = 3, log=print) -> int:
    """The rules, the last `months` months and the last quarter judged; everything decided but last
    month's, of which every other outcome waits for the manager (R9.5, R11.5)."""
    for code, indicator, granularity, comparison, threshold, volume, outcome, points, text in DEMO_RULES:
        merit_rule_save(actor=actor, code=code, indicator=indicator, granularity=granularity, comparison=comparison,
                        threshold=threshold, min_volume=volume, outcome=outcome, points=points, description=text)
    month = Period.containing(Granularity.MONTH, today)
    periods = [*month.last(months + 1)[:-1], Period.containing(Granularity.QUARTER, today).previous()]
    added = sum(merit_results_propose(actor=actor, granularity=p.granularity, period_start=p.start, today=today)
                for p in periods)
    last = month.previous()
    proposed = MeritResult.objects.filter(state=MeritResult.State.PROPOSED).exclude(subject=actor).order_by("pk")
    for n, result in enumerate(proposed):
        if (result.granularity, result.period_start) == (last.granularity, last.start) and n % 2:
            continue
        waive = n % 7 == 3
        merit_result_decide(actor=actor, result=result, version=result.version, confirm=not waive,
                            note="已说明客观原因，本次免于处理" if waive else "")
    log(f"Merit: {len(DEMO_RULES)} rules, {added} period results.")
    return added
