"""Periodic jobs of the core (huey crontab). Jobs are idempotent and only read or append."""

import logging

from django.tasks import task
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fuwu.core.actions import notification_digests_send
from fuwu.core.anchors import anchor_write
from fuwu.core.audit import ChainBreak, verify_chain
from fuwu.core.outbox import outbox_deliver_pending

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="2", minute="30"))
def audit_chain_nightly_check() -> int:
    """Verify the audit chain every night (R4.9); a break is logged as an error for operators."""
    checked = 0
    for step in verify_chain():
        if isinstance(step, ChainBreak):
            logger.error("Audit chain broken at event #%s: %s", step.event_id, step.reason)
            return -step.event_id
        checked = step
    logger.info("Audit chain intact: %s events", checked)
    return checked


@db_periodic_task(crontab(minute="7"))
def audit_anchor_hourly() -> int:
    """Every hour, anchor the chain's head outside the database (R4.9); returns the anchored event id."""
    anchor = anchor_write()
    return anchor.event_id if anchor else 0


@task
def outbox_deliver() -> int:
    """Woken after a commit that queued side effects."""
    return outbox_deliver_pending()


@db_periodic_task(crontab(minute="*"))
def outbox_sweep() -> int:
    """Every minute, deliver whatever a lost wake-up left behind (the queue may lose messages)."""
    return outbox_deliver_pending()


@db_periodic_task(crontab(hour="10", minute="0"))  # huey's crontab is in UTC: six in the evening in China
def notification_digests_daily() -> int:
    """The daily digest of unread notices for those who chose it; once per person and day."""
    return notification_digests_send(day=timezone.localdate())
