"""Periodic jobs of surveys (huey crontab); each calls the campaigns' draw, which is idempotent."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fuwu.surveys.campaigns import campaigns_draw_due


@db_periodic_task(crontab(hour="1", minute="30"))  # huey's crontab is in UTC: half past nine in China
def surveys_sample_daily() -> int:
    """Draw the samples of the periods that ended (monthly, quarterly, yearly campaigns, R9.1)."""
    return campaigns_draw_due()
