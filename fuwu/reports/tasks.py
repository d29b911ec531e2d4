"""The schedule (R8.4, R9.6): huey's crontab is in UTC. Idempotent: one scheduled issue per kind and
period, however often the job runs; a manual issue is a new version."""

import datetime

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fuwu.reports.actions import report_issue
from fuwu.reports.models import ReportKind


def weekly_due(today: datetime.date) -> bool:
    return today.weekday() == 4  # Friday


@db_periodic_task(crontab(day_of_week="5", hour="8", minute="0"))  # Friday 16:00 in China
def reports_weekly() -> bool:
    """The running week's report (Monday to Sunday), for the team's Friday review (R8.4)."""
    today = timezone.localdate()
    if not weekly_due(today):
        return False
    return report_issue(actor=None, kind=ReportKind.WEEKLY, period_start=today, scheduled=True) is not None


@db_periodic_task(crontab(day="1", hour="0", minute="30"))  # the 1st, 08:30 in China
def reports_monthly() -> bool:
    """Last month's service supervision report to the general manager (R9.6)."""
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return report_issue(actor=None, kind=ReportKind.MONTHLY, period_start=last_month, scheduled=True) is not None
