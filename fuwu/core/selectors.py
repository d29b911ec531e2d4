from fuwu.core.errors import NotFound
from fuwu.core.models import Notification


def notifications_for(
    viewer, *, before_id: int | None = None, unread_only: bool = False, size: int = 50
) -> tuple[list[Notification], bool]:
    """The viewer's own in-app notifications, newest first, one keyset page; and whether more follow."""
    if viewer is None or not viewer.is_authenticated:
        return [], False
    qs = Notification.objects.filter(user=viewer)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if before_id:
        qs = qs.filter(pk__lt=before_id)
    rows = list(qs.order_by("-id")[: size + 1])
    return rows[:size], len(rows) > size


def unread_notification_count(viewer) -> int:
    """One cheap query on the partial index of unread notifications."""
    if viewer is None or not viewer.is_authenticated:
        return 0
    return Notification.objects.filter(user=viewer, read_at__isnull=True).count()


def access_notification(viewer, notification_id: int) -> Notification:
    found = Notification.objects.filter(pk=notification_id, user=viewer).first()
    if found is None:
        raise NotFound()
    return found
