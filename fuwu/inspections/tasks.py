"""Periodic jobs of inspections (huey crontab); each calls an idempotent action."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fuwu.inspections.actions import rounds_open_due


@db_periodic_task(crontab(hour="16", minute="5"))  # huey's crontab is in UTC: five past midnight in China
def inspection_rounds_open_daily() -> int:
    """Open the planned inspection rounds whose period has started (R9.7); a round opens once."""
    return rounds_open_due()
