"""The IMAP poller: unseen messages handed one by one to `mail_receive`, marked seen only after its commit.

A message the action refuses as unreadable is marked seen too (it would be refused every minute) and
logged once; any other failure leaves it unseen for the next poll.
"""

import contextlib
import imaplib
import logging
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from fuwu.core.errors import InvalidInput
from fuwu.mail.actions import mail_receive

logger = logging.getLogger(__name__)


@dataclass
class PollResult:
    received: int = 0
    unreadable: int = 0


def connect(url: str) -> tuple[imaplib.IMAP4, str]:
    """Log in to imap://user:password@host:port/MAILBOX (imaps:// for TLS) and select the mailbox."""
    parts = urlsplit(url)
    secure = parts.scheme == "imaps"
    port = parts.port or (993 if secure else 143)
    client = (imaplib.IMAP4_SSL if secure else imaplib.IMAP4)(parts.hostname or "localhost", port, timeout=30)
    client.login(unquote(parts.username or ""), unquote(parts.password or ""))
    mailbox = unquote(parts.path.lstrip("/")) or "INBOX"
    client.select(mailbox)
    return client, mailbox


def poll(url: str, *, limit: int = 200) -> PollResult:
    result = PollResult()
    client, _mailbox = connect(url)
    try:
        _status, data = client.uid("SEARCH", None, "UNSEEN")
        for uid in (data[0] or b"").split()[:limit]:
            _status, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")  # PEEK: not seen until stored
            raw = next((part[1] for part in fetched if isinstance(part, tuple)), None)
            if raw is None:
                continue
            try:
                mail_receive(raw=raw)  # its own transaction: committed when it returns
            except InvalidInput as exc:
                logger.warning("IMAP message %s is unreadable: %s", uid.decode(), exc.errors)
                result.unreadable += 1
            else:
                result.received += 1
            client.uid("STORE", uid, "+FLAGS", r"(\Seen)")
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    return result
