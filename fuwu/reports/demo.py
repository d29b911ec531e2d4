"""Demo reports (R8.4, R9.6), through the actions: recipients for both kinds, last month's service
supervision report issued by quality supervision and last week's weekly report. Run by `seed_demo`
after quality's targets and snapshots, which the reports compare against."""

import datetime

from django.utils import timezone

from fuwu.reports.actions import distribution_save, report_issue
from fuwu.reports.models import ReportKind


def seed_reports(*, supervisor, manager, general_manager, log=print) -> int:
    distribution_save(actor=manager, kind=ReportKind.MONTHLY, users=[general_manager, manager, supervisor],
                      emails="", version=None)
    distribution_save(actor=manager, kind=ReportKind.WEEKLY, users=[manager, supervisor], emails="", version=None)
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    last_week = today - datetime.timedelta(days=today.weekday() + 7)
    monthly = report_issue(actor=supervisor, kind=ReportKind.MONTHLY, period_start=last_month)
    weekly = report_issue(actor=manager, kind=ReportKind.WEEKLY, period_start=last_week)
    log(f"Reports: monthly {monthly.data['period']['label']}, weekly {weekly.data['period']['label']}.")
    return 2
