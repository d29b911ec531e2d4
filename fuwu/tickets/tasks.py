"""Periodic jobs for service requests (huey crontab); each calls an action and is idempotent."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fuwu.tickets.actions import sla_watch, tickets_auto_close


@db_periodic_task(crontab(minute="7"))
def tickets_auto_close_hourly() -> int:
    """Close resolved requests the customer did not confirm within FUWU_AUTO_CLOSE_DAYS (R4.1)."""
    return tickets_auto_close(older_than_days=settings.FUWU_AUTO_CLOSE_DAYS)


@db_periodic_task(crontab(minute="*"))
def sla_watch_every_minute() -> int:
    """Warn, mark breaches and escalate SLA clocks (R10.4, R9.5); taking each step once."""
    result = sla_watch()
    return len(result.warned) + len(result.breached) + len(result.escalated)
