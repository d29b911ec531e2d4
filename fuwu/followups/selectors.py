"""Reads of follow-ups, scoped to the viewer (R8.1–R8.3): the queue's tabs, one follow-up, the
request page's panel."""

import datetime
from enum import StrEnum

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuwu.core.errors import NotFound
from fuwu.core.validation import MAX_ID
from fuwu.customers.models import Contact
from fuwu.followups.models import OPEN_VALUES, CareMessage, FollowUp, FollowUpPlanRule, FollowUpRule, FollowUpState
from fuwu.org.policy import Perm, can
from fuwu.tickets.lifecycle import Status

QUEUE_SIZE = 100
# A request in one of these has been resolved at least once (a reopened one keeps its withdrawn follow-up).
_FOLLOWED_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED, Status.REOPENED})


class Tab(StrEnum):
    TODAY = "today"
    DUE = "due"
    OVERDUE = "overdue"
    RETRIES = "retries"
    DONE = "done"


TAB_LABELS = {
    Tab.TODAY: _("Today"),
    Tab.DUE: _("To call"),
    Tab.OVERDUE: _("Overdue"),
    Tab.RETRIES: _("Call again"),
    Tab.DONE: _("Recorded"),
}


def may_see(viewer) -> bool:
    return can(viewer, Perm.FOLLOWUP_WORK) or can(viewer, Perm.FOLLOWUP_MANAGE)


def follow_ups_visible_to(viewer) -> QuerySet[FollowUp]:
    """Follow-up staff and those who set its rules see every follow-up; nobody else any."""
    return FollowUp.objects.all() if may_see(viewer) else FollowUp.objects.none()


def _end_of_today(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)


def _tab_filter(tab: Tab, now: datetime.datetime) -> Q:
    is_open = Q(state__in=OPEN_VALUES)
    return {
        Tab.TODAY: is_open & Q(call_at__lt=_end_of_today(now)),
        Tab.DUE: Q(state=FollowUpState.DUE),
        Tab.OVERDUE: is_open & Q(due_at__lt=now),
        Tab.RETRIES: Q(state=FollowUpState.RETRY),
        Tab.DONE: ~is_open,
    }[tab]


def queue(viewer, tab: Tab, *, kind: str = "", now: datetime.datetime | None = None,
          size: int = QUEUE_SIZE) -> list[FollowUp]:
    """One tab of the follow-up queue, the next call first (the most recent record first when done),
    with the request, its type and owner, the customer and the product fetched together."""
    now = now or timezone.now()
    qs = follow_ups_visible_to(viewer).annotate(call_at=Coalesce("next_attempt_at", "due_at")).filter(
        _tab_filter(tab, now))
    if kind:
        qs = qs.filter(kind=kind)
    order = ("-recorded_at", "-id") if tab == Tab.DONE else ("call_at", "id")
    contacts = Prefetch("customer__contacts", queryset=Contact.objects.filter(is_active=True).order_by(
        "-is_primary", "id"), to_attr="active_contacts")
    return list(qs.select_related("ticket", "ticket__service_type", "ticket__owner", "customer", "product",
                                  "complaint").prefetch_related(contacts).order_by(*order)[:size])


def tab_counts(viewer, *, kind: str = "", now: datetime.datetime | None = None) -> dict[Tab, int]:
    """How many in each open tab, in one query."""
    now = now or timezone.now()
    qs = follow_ups_visible_to(viewer).filter(state__in=OPEN_VALUES).annotate(
        call_at=Coalesce("next_attempt_at", "due_at"))
    if kind:
        qs = qs.filter(kind=kind)
    found = qs.aggregate(**{tab.value: Count("pk", filter=_tab_filter(tab, now)) for tab in Tab if tab != Tab.DONE})
    return {Tab(name): n for name, n in found.items()}


def follow_up_for(viewer, follow_up_id: int) -> FollowUp:
    if not isinstance(follow_up_id, int) or not 0 < follow_up_id <= MAX_ID:
        raise NotFound()
    found = follow_ups_visible_to(viewer).select_related(
        "ticket", "ticket__service_type", "ticket__owner", "customer", "product", "complaint", "recorded_by",
    ).filter(pk=follow_up_id).first()
    if found is None:
        raise NotFound()
    return found


def attempts_of(follow_up: FollowUp) -> list:
    return list(follow_up.attempt_rows.select_related("by").order_by("seq"))


def ticket_follow_ups_panel(viewer, ticket) -> dict | None:
    """The request page's panel (registered in `FollowUpsConfig.ready`): its follow-ups, newest first.
    A request that was never resolved has none: no query for it."""
    if not may_see(viewer) or ticket.status not in _FOLLOWED_STATUSES:
        return None
    rows = list(FollowUp.objects.filter(ticket=ticket).select_related("complaint").order_by("-id")[:5])
    if not rows:
        return None
    return {"follow_ups": rows, "can_record": can(viewer, Perm.FOLLOWUP_WORK)}


def config_rows(viewer) -> dict | None:
    """The rules page: follow-up rules, plan rules and care messages."""
    if not can(viewer, Perm.FOLLOWUP_MANAGE):
        return None
    return {
        "rules": list(FollowUpRule.objects.select_related("service_type", "calendar")),
        "plan_rules": list(FollowUpPlanRule.objects.all()),
        "care_messages": list(CareMessage.objects.all()),
    }
