"""Changes to a person's own in-app state: marking notifications read.

A notification is the reader's inbox, not a business record, so reading one writes no audit event;
the outbox row it came from stays as the record of what was sent (DESIGN rule 5).
"""

from django.db import transaction
from django.utils import timezone

from fuwu.core.codes import CoreError
from fuwu.core.errors import PermissionDenied
from fuwu.core.models import Notification


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
