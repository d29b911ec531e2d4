"""Periodic jobs of follow-up (huey crontab); each calls an action and is idempotent (R8.2, R8.3)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fuwu.followups.actions import care_send_due, follow_ups_generate


@db_periodic_task(crontab(hour="16", minute="30"))  # huey's crontab is in UTC: half past midnight in China
def follow_ups_daily() -> dict:
    """The day's periodic follow-ups of delivered products and, in December, the needs survey."""
    return follow_ups_generate(today=timezone.localdate())


@db_periodic_task(crontab(hour="1", minute="0"))  # nine in the morning in China
def care_messages_daily() -> int:
    """Greetings, usage tips and benefits due today, queued as e-mails once per period."""
    return care_send_due(today=timezone.localdate())
