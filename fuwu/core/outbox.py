"""Side effects after commit (docs/architecture.md, rule 5): write outbox rows now, deliver them in the worker."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, models, transaction
from django.utils import timezone

from fuwu.core.models import Notification, OutboxMessage

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
NOTIFICATION_BATCH = 200


def outbox_notify(
    *,
    recipients: Iterable,
    subject: str,
    body: str = "",
    url: str = "",
    obj: models.Model | None = None,
    dedupe_key: str | None = None,
    by_email: bool = False,
) -> list[OutboxMessage]:
    """Queue a notification to each recipient (users; None and duplicates are skipped).

    Call inside the action's transaction. With a `dedupe_key`, the same notice to the same person
    is queued once, however often the caller runs (e.g. a periodic job).
    """
    now = timezone.now()
    rows = []
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        key = f"{dedupe_key}:{user.pk}" if dedupe_key else None
        if key and OutboxMessage.objects.filter(dedupe_key=key).exists():
            continue
        rows.append(
            OutboxMessage(
                created_at=now,
                recipient=user,
                email=user.email if by_email else "",
                subject=str(subject)[:200],
                body=str(body),
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


def outbox_email(*, addresses: Iterable[str], subject: str, body: str, dedupe_key: str) -> list[OutboxMessage]:
    """Queue an e-mail to addresses that are not logins (e.g. the audit anchors' off-site copies), once per key."""
    rows = [OutboxMessage(created_at=timezone.now(), email=address, subject=subject[:200], body=body,
                          dedupe_key=f"{dedupe_key}:{address}")
            for address in dict.fromkeys(addresses)
            if not OutboxMessage.objects.filter(dedupe_key=f"{dedupe_key}:{address}").exists()]
    OutboxMessage.objects.bulk_create(rows)
    if rows and not _wake_pending():
        transaction.on_commit(_wake_worker, robust=True)
    return rows


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
    pending = OutboxMessage.objects.filter(delivered_at__isnull=True, attempts__lt=MAX_ATTEMPTS).order_by("id")
    return pending.select_for_update(skip_locked=True) if connection.vendor == "postgresql" else pending


@transaction.atomic
def _deliver_in_app_batch(*, size: int) -> int:
    rows = list(_pending().filter(email="")[:size])
    if not rows:
        return 0
    done = set(Notification.objects.filter(outbox__in=rows).values_list("outbox_id", flat=True))
    Notification.objects.bulk_create([
        Notification(outbox=row, user_id=row.recipient_id, created_at=row.created_at, subject=row.subject,
                     body=row.body, url=row.url)
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
            logger.warning("Outbox message %s failed: %s", message.pk, exc)
            message.attempts += 1
            message.last_error = str(exc)[:1000]
            message.save(update_fields=["attempts", "last_error"])
            return message.pk, False
        return message.pk, True


def send_email(message: OutboxMessage) -> None:
    """Send the row's e-mail with a Message-ID of its own, the same however often it is sent."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "fuwu.local"
    EmailMessage(
        subject=message.subject, body=f"{message.body}\n\n{message.url}".strip(), to=[message.email],
        headers={"Message-ID": f"<outbox-{message.pk}@{domain}>"},
    ).send()


def _deliver(message: OutboxMessage) -> None:
    now = timezone.now()
    if message.recipient_id:
        Notification.objects.get_or_create(
            outbox=message,
            defaults={
                "user_id": message.recipient_id, "created_at": message.created_at, "subject": message.subject,
                "body": message.body, "url": message.url,
            },
        )
    if message.email:
        send_email(message)
    message.delivered_at = now
    message.attempts += 1
    message.save(update_fields=["delivered_at", "attempts"])
