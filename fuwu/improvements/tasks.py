"""Periodic jobs of improvement (huey crontab); each calls an action and is idempotent."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fuwu.improvements.actions import improvement_actions_notify_overdue


@db_periodic_task(crontab(hour="1", minute="5"))  # huey's crontab is in UTC: five past nine in the morning in China
def improvement_actions_overdue_daily() -> int:
    """Tell owners and managers of improvement actions past their due date, once per due date (R17.1)."""
    return improvement_actions_notify_overdue()
