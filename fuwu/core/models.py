"""The append-only audit record (R4.9, docs/architecture.md, rule 4).

Every action writes an event in its own transaction. Events are never updated or deleted: the
model and queryset refuse it here, and database triggers refuse it underneath (migration 0002).
Each event carries the hash of the one before it, so `manage.py verify_audit` can name the first
link that was tampered with. A correction is a new event that `supersedes` the wrong one.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditRecordImmutable(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditRecordImmutable("Audit events cannot be updated.")

    def delete(self):
        raise AuditRecordImmutable("Audit events cannot be deleted.")

    def for_object(self, obj: models.Model) -> "AuditEventQuerySet":
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # A copy, so the record still reads right if the person is later renamed.
    actor_name = models.CharField(_("actor name"), max_length=150)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # HMAC of `hash` under FUWU_AUDIT_KEY (fuwu/core/audit.py); empty on events recorded before seals.
    seal = models.CharField(max_length=64, null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditRecordImmutable("Audit events cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditRecordImmutable("Audit events cannot be deleted.")


class OutboxMessage(models.Model):
    """A side effect (in-app notification, e-mail) written in the transaction that caused it.

    A worker delivers it after commit; `delivered_at` and the unique `dedupe_key` make delivery and
    re-sending idempotent (docs/architecture.md, rule 5).
    """

    created_at = models.DateTimeField(db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(blank=True)  # also send by e-mail to this address
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # E-mail retries back off (1, 2, 4 ... minutes, at most an hour); after MAX_ATTEMPTS the row is
    # dead (a dead letter an administrator sees and may retry), never tried again by itself.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    dead_at = models.DateTimeField(null=True, blank=True)
    # The Message-ID the e-mail carries (the same on every attempt): replies are threaded by it.
    message_id = models.CharField(max_length=250, blank=True, db_index=True)
    headers = models.JSONField(default=dict, blank=True)  # more headers to send (In-Reply-To, Auto-Submitted)

    class Meta:
        indexes = [
            models.Index(fields=["id"], name="outbox_pending_idx", condition=models.Q(delivered_at__isnull=True))
        ]

    def __str__(self) -> str:
        return self.subject


class Notification(models.Model):
    """An in-app notification, made from an outbox row (one per row, so re-delivery adds nothing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    outbox = models.OneToOneField(OutboxMessage, on_delete=models.PROTECT, related_name="notification")
    created_at = models.DateTimeField()
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # What the notice is about ("tickets.ticket:123", else its link, else "notice:<outbox id>"): the
    # notifications page groups by it, one row per request (`notification_topic`).
    topic = models.CharField(max_length=300, default="", blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["user", "id"], name="notification_unread_idx", condition=models.Q(read_at__isnull=True)
            ),
            models.Index(fields=["user", "topic", "id"], name="notification_topic_idx"),
        ]

    def __str__(self) -> str:
        return self.subject


def notification_topic(object_type: str, object_id: str, url: str, outbox_id: int) -> str:
    """The group a notice belongs to: its object, else its link, else itself."""
    if object_type and object_id:
        return f"{object_type}:{object_id}"[:300]
    return url[:300] if url else f"notice:{outbox_id}"


class NotificationDelivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately, as they happen")
    DAILY_DIGEST = "daily", _("One e-mail a day with the day's unread notices")


class NotificationPreference(models.Model):
    """How a person wants to hear of notices beyond the app (at once, the default, or a daily digest), and
    in which language."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    delivery = models.CharField(max_length=16, choices=NotificationDelivery.choices,
                                default=NotificationDelivery.IMMEDIATE)
    # The language the person's notices are written in: the one they last chose for the pages (empty:
    # the site's default). A notice is worded when it is queued, often by a job or by a colleague
    # working in the other language, so it cannot follow the reader's cookie.
    language = models.CharField(max_length=16, blank=True, default="")
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.delivery}"
