from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Q, Window
from django.db.models.functions import RowNumber

from fuwu.core.errors import NotFound
from fuwu.core.models import Notification, NotificationDelivery, NotificationPreference

GROUP_PAGE = 25  # groups (requests) per page
GROUP_ITEMS = 8  # notices shown inside an opened group; the rest behind "all N notices"


def notifications_for(
    viewer, *, before_id: int | None = None, unread_only: bool = False, size: int = 50, topic: str = ""
) -> tuple[list[Notification], bool]:
    """The viewer's own in-app notifications, newest first, one keyset page; and whether more follow."""
    if viewer is None or not viewer.is_authenticated:
        return [], False
    qs = Notification.objects.filter(user=viewer)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if topic:
        qs = qs.filter(topic=topic)
    if before_id:
        qs = qs.filter(pk__lt=before_id)
    rows = list(qs.order_by("-id")[: size + 1])
    return rows[:size], len(rows) > size


@dataclass
class NotificationGroup:
    """One request (or other object) on the notifications page: its latest notice and how many there are."""

    topic: str
    latest: Notification
    total: int
    unread: int
    items: list[Notification] = field(default_factory=list)

    @property
    def more(self) -> bool:
        return self.total > len(self.items)


def notification_groups(
    viewer, *, before_id: int | None = None, unread_only: bool = False, size: int = GROUP_PAGE
) -> tuple[list[NotificationGroup], int | None]:
    """The viewer's notices grouped by what they are about, the group with the newest notice first.

    Three queries whatever the page holds: the groups (count, unread, newest id), their newest
    notices, and at most GROUP_ITEMS notices of each group. Keyset pages on the newest id; returns
    the groups and the `before` of the next page (None on the last).
    """
    if viewer is None or not viewer.is_authenticated:
        return [], None
    qs = Notification.objects.filter(user=viewer)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    summary = qs.values("topic").annotate(
        newest=Max("id"), total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True))
    )
    if before_id:
        summary = summary.filter(newest__lt=before_id)
    found = list(summary.order_by("-newest")[: size + 1])
    page = found[:size]
    if not page:
        return [], None
    latest = Notification.objects.in_bulk([row["newest"] for row in page])
    ranked = qs.filter(topic__in=[row["topic"] for row in page]).annotate(
        rank=Window(RowNumber(), partition_by=[F("topic")], order_by=F("id").desc())
    ).filter(rank__lte=GROUP_ITEMS).order_by("-id")
    items: dict[str, list[Notification]] = {}
    for notice in ranked:
        items.setdefault(notice.topic, []).append(notice)
    groups = [
        NotificationGroup(topic=row["topic"], latest=latest[row["newest"]], total=row["total"],
                          unread=row["unread"], items=items.get(row["topic"], []))
        for row in page
    ]
    return groups, (page[-1]["newest"] if len(found) > size else None)


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


def notification_preference_of(viewer) -> NotificationPreference:
    """The viewer's delivery preference (an unsaved default, at once, when never chosen)."""
    found = NotificationPreference.objects.filter(user=viewer).first()
    return found or NotificationPreference(user=viewer, delivery=NotificationDelivery.IMMEDIATE)
