"""Changes to a person's own in-app state: marking notifications read, how notices reach them, the digest.

A notification is the reader's inbox, not a business record, so reading one (or choosing how to
hear of them) writes no audit event; the outbox row it came from stays as the record of what was
sent (docs/architecture.md, rule 5), and the daily digest is such a row too.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fuwu.core.codes import CoreError
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.locking import bump_version, check_version
from fuwu.core.models import Notification, NotificationDelivery, NotificationPreference
from fuwu.core.outbox import outbox_email

DIGEST_HOUR = 18  # local time: a day's digest lists the unread notices of the 24 hours before six in the evening
DIGEST_LIST_LIMIT = 100  # notices listed in one digest; the rest are counted


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read; idempotent."""
    if notification.user_id != actor.pk:
        raise PermissionDenied(code=CoreError.NOTIFICATION_NOT_YOURS)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notifications_mark_group_read(*, actor, topic: str) -> int:
    """Mark the actor's unread notices about one request (one group of the page) read; returns how many."""
    return Notification.objects.filter(user=actor, topic=topic, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notification_preference_set(*, actor, delivery: str, version: int | None = None) -> NotificationPreference:
    """Choose how the actor hears of notices: at once, or one e-mail a day (the digest)."""
    if delivery not in NotificationDelivery.values:
        raise InvalidInput(errors={"delivery": [_("Choose one of the options.")]})
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=actor)
    check_version(preference, version if not _created else None)
    if preference.delivery != delivery:
        preference.delivery = delivery
        bump_version(preference, "delivery", "updated_at")
    return preference


@transaction.atomic
def notification_language_set(*, actor, language: str) -> NotificationPreference:
    """Remember the language the actor chose for the pages: their notices are worded in it from now on.

    Called when they switch language, so it takes no version: the last choice wins.
    """
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(errors={"language": [_("Choose one of the options.")]})
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=actor)
    if preference.language != language:
        preference.language = language
        bump_version(preference, "language", "updated_at")
    return preference


def digest_window(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The notices a day's digest covers: from six in the evening the day before to six on `day` (local)."""
    tz = timezone.get_current_timezone()
    end = datetime.datetime.combine(day, datetime.time(DIGEST_HOUR), tzinfo=tz)
    return end - datetime.timedelta(days=1), end


@transaction.atomic
def notification_digests_send(*, day: datetime.date) -> int:
    """E-mail each person who chose the daily digest one message listing their unread notices of `day`.

    Exactly once per person and day, however often it runs (the outbox row's key holds the day);
    nobody with nothing unread, and nobody without an e-mail address, gets one. Returns how many
    digests were queued. Two queries, then one look-up and one insert per digest.
    """
    start, end = digest_window(day)
    notices = (
        Notification.objects.filter(
            user__notification_preference__delivery=NotificationDelivery.DAILY_DIGEST,
            user__is_active=True, read_at__isnull=True, created_at__gte=start, created_at__lt=end,
        ).exclude(user__email="").select_related("user__notification_preference").order_by("user_id", "id")
    )
    by_user: dict[int, list[Notification]] = {}
    for notice in notices:
        by_user.setdefault(notice.user_id, []).append(notice)
    site = settings.FUWU_SITE_URL.rstrip("/")
    queued = 0
    for rows in by_user.values():
        user = rows[0].user
        with translation.override(user.notification_preference.language or settings.LANGUAGE_CODE):
            subject, body = _digest(rows, day, site)
        queued += bool(outbox_email(addresses=[user.email], subject=subject, body=body,
                                    dedupe_key=f"notification.digest:{day.isoformat()}:{user.pk}"))
    return queued


def _digest(rows: list[Notification], day: datetime.date, site: str) -> tuple[str, str]:
    """The digest's subject and body in the active language (its reader's)."""
    subject = _("Fuwu: %(count)s unread notices on %(day)s") % {"count": len(rows), "day": day.isoformat()}
    lines = [
        f"- {timezone.localtime(row.created_at):%H:%M} {row.subject}" + (f"\n  {site}{row.url}" if row.url else "")
        for row in rows[-DIGEST_LIST_LIMIT:]
    ]
    if len(rows) > DIGEST_LIST_LIMIT:
        lines.insert(0, _("… and %(count)s earlier ones.") % {"count": len(rows) - DIGEST_LIST_LIMIT})
    body = "\n".join([
        _("Your unread notices of the day:"), "", *lines, "",
        _("All notices: %(url)s") % {"url": f"{site}/notifications/"},
    ])
    return subject, body

