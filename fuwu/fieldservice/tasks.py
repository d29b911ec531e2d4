"""Periodic jobs of field service (huey crontab); each calls an action and is idempotent."""

import datetime

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fuwu.fieldservice.actions import work_orders_remind


@db_periodic_task(crontab(hour="9", minute="0"))  # huey's crontab is in UTC: five in the afternoon in China
def work_order_reminders_daily() -> int:
    """Remind technicians and customers of tomorrow's visits (R4.5)."""
    return work_orders_remind(day=timezone.localdate() + datetime.timedelta(days=1))
