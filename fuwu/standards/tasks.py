"""Periodic jobs of the standards domain (huey crontab); each calls an action and is idempotent."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fuwu.standards.actions.holidays import calendar_data_notify_missing


@db_periodic_task(crontab(hour="7", minute="5"))
def calendar_data_check_daily() -> int:
    """Warn administrators when holiday data runs out within 60 days (R10.3): once per year and person."""
    return calendar_data_notify_missing(today=timezone.localdate())
