"""Periodic e-mail jobs (huey crontab): the IMAP mailbox polled every minute when FUWU_IMAP_URL is set."""

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from fuwu.mail.imap import poll

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@lock_task("mail-imap-poll")
def mail_poll_imap() -> int:
    """Receive the unseen messages of FUWU_IMAP_URL; nothing when it is not set. Returns how many."""
    if not settings.FUWU_IMAP_URL:
        return 0
    try:
        return poll(settings.FUWU_IMAP_URL).received
    except Exception as exc:  # the mailbox away: one line a minute at most, tried again next minute
        logger.warning("IMAP poll failed: %s", exc)
        return 0
