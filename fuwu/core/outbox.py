"""Side effects after commit (docs/architecture.md, rule 5): write outbox rows now, deliver them in the worker."""

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, models, transaction
from django.utils import timezone, translation

from fuwu.core.models import (
    Notification,
    NotificationDelivery,
    NotificationPreference,
    OutboxMessage,
    notification_topic,
)

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8  # then the e-mail is dead: shown to administrators, retried only by one of them
BACKOFF_FIRST = timedelta(minutes=1)  # after a failure: 1, 2, 4 ... minutes
BACKOFF_CAP = timedelta(hours=1)
NOTIFICATION_BATCH = 200
# A loop header on every mail we send: a mail that comes back with it is ours, never answered.
LOOP_HEADER = "X-Fuwu-Loop"

# Hooks of higher apps that dress an outgoing mail (docs/architecture.md, "Layers"): each takes the
# row, the subject and the headers (a dict it may change) and returns the subject. The mail app
# tags the subject of a mail about a request with its number ([FW-2026-000123]).
MailDressing = Callable[[OutboxMessage, str, dict], str]
_dressings: list[MailDressing] = []


def register_mail_dressing(dressing: MailDressing) -> None:
    if dressing not in _dressings:
        _dressings.append(dressing)


# Hooks of higher apps that attach files to an outgoing mail, made when it is sent (so the row keeps no
# bytes): each takes the row and returns (filename, content, mimetype) triples, none when the row is not
# theirs. The faults app attaches the fault analysis report to the mail to an affected customer (R7.2).
MailAttachments = Callable[[OutboxMessage], list[tuple[str, bytes, str]]]
_attachments: list[MailAttachments] = []


def register_mail_attachments(provider: MailAttachments) -> None:
    if provider not in _attachments:
        _attachments.append(provider)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: doubling from a minute, at most an hour."""
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


# A notice's words, or a function that words it: called once per recipient in that person's language
# (`NotificationPreference.language`), so each reads their notices in the language they work in.
Words = str | Callable[[], str]


def notice_language(user_ids: Iterable[int]) -> dict[int, str]:
    """Each person's notice language (one query); the site's default for those who never chose."""
    chosen = dict(NotificationPreference.objects.filter(user_id__in=list(user_ids)).exclude(language="")
                  .values_list("user_id", "language"))
    return {pk: chosen.get(pk, settings.LANGUAGE_CODE) for pk in user_ids}


def _worded(words: Words, language: str) -> str:
    if not callable(words):
        return str(words)
    with translation.override(language):
        return str(words())


def outbox_notify(
    *,
    recipients: Iterable,
    subject: Words,
    body: Words = "",
    url: str = "",
    obj: models.Model | None = None,
    dedupe_key: str | None = None,
    by_email: bool = False,
) -> list[OutboxMessage]:
    """Queue a notification to each recipient (users; None and duplicates are skipped).

    Call inside the action's transaction. With a `dedupe_key`, the same notice to the same person
    is queued once, however often the caller runs (e.g. a periodic job). `subject` and `body` given
    as functions (`lambda: _("…") % {…}`) are worded in each recipient's language.
    """
    now = timezone.now()
    people = list({user.pk: user for user in recipients if user is not None}.values())
    languages = notice_language([user.pk for user in people]) if callable(subject) or callable(body) else {}
    rows = []
    for user in people:
        key = f"{dedupe_key}:{user.pk}" if dedupe_key else None
        if key and OutboxMessage.objects.filter(dedupe_key=key).exists():
            continue
        language = languages.get(user.pk, settings.LANGUAGE_CODE)
        rows.append(
            OutboxMessage(
                created_at=now,
                recipient=user,
                email=user.email if by_email else "",
                subject=_worded(subject, language)[:200],
                body=_worded(body, language),
                url=url,
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                dedupe_key=key,
            )
        )
    OutboxMessage.objects.bulk_create(rows)
    if rows and not _wake_pending():
        # Robust: with the queue (Redis) down the wake-up is logged and lost, never the request; the
        # rows are committed and the minute's sweep delivers them (durable intent lives in the database).
        transaction.on_commit(_wake_worker, robust=True)
    return rows


def outbox_email(*, addresses: Iterable[str], subject: str, body: str, dedupe_key: str,
                 obj: models.Model | None = None, headers: dict | None = None) -> list[OutboxMessage]:
    """Queue an e-mail to addresses that are not logins (e.g. the audit anchors' off-site copies), once per key.

    `headers` are sent with it (e.g. In-Reply-To and `Auto-Submitted: auto-replied` on an
    acknowledgement); `obj` says what it is about (a request's mail carries its number).
    """
    rows = [OutboxMessage(created_at=timezone.now(), email=address, subject=subject[:200], body=body,
                          dedupe_key=f"{dedupe_key}:{address}", headers=dict(headers or {}),
                          object_type=obj._meta.label_lower if obj is not None else "",
                          object_id=str(obj.pk) if obj is not None else "")
            for address in dict.fromkeys(addresses)
            if not OutboxMessage.objects.filter(dedupe_key=f"{dedupe_key}:{address}").exists()]
    OutboxMessage.objects.bulk_create(rows)
    if rows and not _wake_pending():
        transaction.on_commit(_wake_worker, robust=True)
    return rows


def outbox_wake() -> None:
    """Wake the worker after the commit (once per transaction): for a row made due again, e.g. a retry."""
    if not _wake_pending():
        transaction.on_commit(_wake_worker, robust=True)


def _wake_pending() -> bool:
    """One wake-up per transaction is enough, however many rows it queues."""
    return any(callback is _wake_worker for _sids, callback, _robust in connection.run_on_commit)


def _wake_worker() -> None:
    from fuwu.core.tasks import outbox_deliver

    outbox_deliver.enqueue()


def outbox_deliver_pending(*, limit: int = 500) -> int:
    """Deliver undelivered rows, oldest first; safe to run concurrently and repeatedly. Returns how many.

    In-app notifications only touch the database: they are delivered in batches, each batch in one
    transaction with the rows it marks delivered, so a batch is all done or all pending. A row with
    an e-mail is delivered in its own transaction, so a worker killed mid-run leaves every row it
    finished delivered and every other row pending: the in-app notification is made exactly once,
    and the only e-mail that can go out twice is the one being sent at the moment of the kill, with
    the same Message-ID both times so a mail client shows it once.
    """
    delivered = 0
    while delivered < limit and (batch := _deliver_in_app_batch(size=min(NOTIFICATION_BATCH, limit - delivered))):
        delivered += batch
    tried: list[int] = []
    while delivered + len(tried) < limit:
        outcome = _deliver_next(exclude=tried)
        if outcome is None:
            break
        message_id, ok = outcome
        tried.append(message_id)
        delivered += ok
    return delivered


def _pending() -> models.QuerySet:
    """Rows to deliver now: not delivered, not dead, and due (a failed e-mail waits out its backoff)."""
    due = models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=timezone.now())
    pending = OutboxMessage.objects.filter(due, delivered_at__isnull=True, dead_at__isnull=True,
                                          attempts__lt=MAX_ATTEMPTS).order_by("id")
    return pending.select_for_update(skip_locked=True) if connection.vendor == "postgresql" else pending


@transaction.atomic
def _deliver_in_app_batch(*, size: int) -> int:
    rows = list(_pending().filter(email="")[:size])
    if not rows:
        return 0
    done = set(Notification.objects.filter(outbox__in=rows).values_list("outbox_id", flat=True))
    Notification.objects.bulk_create([
        Notification(outbox=row, user_id=row.recipient_id, created_at=row.created_at, subject=row.subject,
                     body=row.body, url=row.url,
                     topic=notification_topic(row.object_type, row.object_id, row.url, row.pk))
        for row in rows if row.recipient_id and row.pk not in done])
    OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
        delivered_at=timezone.now(), attempts=models.F("attempts") + 1)
    return len(rows)


def _deliver_next(*, exclude: list[int]) -> tuple[int, bool] | None:
    with transaction.atomic():
        message = _pending().exclude(email="").exclude(pk__in=exclude).first()
        if message is None:
            return None
        try:
            with transaction.atomic():  # a savepoint: a failed send leaves the row to count the attempt
                _deliver(message)
        except Exception as exc:
            _notify_in_app(message)  # the person hears of it in the app even while the mail fails
            _failed(message, exc)
            return message.pk, False
        return message.pk, True


def _failed(message: OutboxMessage, exc: Exception) -> None:
    """Count the attempt: due again after the backoff, or dead after MAX_ATTEMPTS. One log line per attempt."""
    now = timezone.now()
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:1000]
    if message.attempts >= MAX_ATTEMPTS:
        message.dead_at, message.next_attempt_at = now, None
        logger.error("Outbox e-mail %s is dead after %s attempts: %s", message.pk, message.attempts,
                     message.last_error)
    else:
        message.next_attempt_at = now + backoff(message.attempts)
        logger.warning("Outbox e-mail %s failed (attempt %s of %s, next at %s): %s", message.pk, message.attempts,
                       MAX_ATTEMPTS, message.next_attempt_at.isoformat(timespec="seconds"), message.last_error)
    message.save(update_fields=["attempts", "last_error", "next_attempt_at", "dead_at"])


def mail_domain() -> str:
    """The domain of our Message-IDs: a reply's In-Reply-To that ends in it refers to a mail of ours."""
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "fuwu.local"


def send_email(message: OutboxMessage) -> None:
    """Send the row's e-mail with a Message-ID of its own, the same however often it is sent.

    Every mail we send is automatic (`Auto-Submitted: auto-generated` unless the row says
    otherwise, e.g. `auto-replied`) and carries the loop header, so our own mail is never answered.
    """
    message.message_id = message.message_id or f"<outbox-{message.pk}@{mail_domain()}>"
    headers = {"Auto-Submitted": "auto-generated", LOOP_HEADER: mail_domain(), **(message.headers or {}),
               "Message-ID": message.message_id}
    subject = message.subject
    for dressing in _dressings:
        subject = dressing(message, subject, headers)
    attachments = [item for provider in _attachments for item in provider(message)]
    EmailMessage(
        subject=subject, body=f"{message.body}\n\n{message.url}".strip(), to=[message.email], headers=headers,
        attachments=attachments or None,
    ).send()


def _notify_in_app(message: OutboxMessage) -> None:
    if message.recipient_id:
        Notification.objects.get_or_create(
            outbox=message,
            defaults={
                "user_id": message.recipient_id, "created_at": message.created_at, "subject": message.subject,
                "body": message.body, "url": message.url,
                "topic": notification_topic(message.object_type, message.object_id, message.url, message.pk),
            },
        )


def _prefers_digest(user_id: int) -> bool:
    """A person who chose the daily digest gets a notice in the app now and by e-mail only in the digest."""
    return NotificationPreference.objects.filter(user_id=user_id, delivery=NotificationDelivery.DAILY_DIGEST).exists()


def _deliver(message: OutboxMessage) -> None:
    now = timezone.now()
    _notify_in_app(message)
    if message.email and not (message.recipient_id and _prefers_digest(message.recipient_id)):
        send_email(message)
    message.delivered_at = now
    message.attempts += 1
    message.next_attempt_at = None
    message.save(update_fields=["delivered_at", "attempts", "next_attempt_at", "message_id"])
