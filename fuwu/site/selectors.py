"""Reads for the site's own pages: the audit record page (R4.9)."""

from django.db.models import QuerySet

from fuwu.core.models import AuditEvent
from fuwu.org.policy import Perm, can


def audit_visible_to(viewer) -> QuerySet[AuditEvent]:
    if not can(viewer, Perm.AUDIT_VIEW):
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()


def audit_page(viewer, *, action: str = "", before_id: int | None = None, size: int = 50):
    qs = audit_visible_to(viewer)
    if action:
        qs = qs.filter(action=action)
    if before_id:
        qs = qs.filter(pk__lt=before_id)
    rows = list(qs.order_by("-id")[: size + 1])
    return rows[:size], len(rows) > size
