"""The due badge of a follow-up, drawn like the request queues' deadline column (R8.1, R10.4)."""

import datetime

from django.utils import timezone
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

from fuwu.followups.models import FollowUp
from fuwu.tickets.selectors_sla import STATE_STYLE
from fuwu.tickets.workflow.states import SlaState


def due_badge(follow_up: FollowUp, now: datetime.datetime) -> dict[str, str]:
    """Overdue by, or due in, the deadline; the next call's time after a miss; nothing once closed."""
    if not follow_up.is_open:
        return {}
    due = follow_up.due_at
    today_ends = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    if due < now:
        state = SlaState.BREACHED
        label = _("%(d)s overdue") % {"d": timesince(due, now)}
    else:
        state = SlaState.WARNING if due <= today_ends else SlaState.RUNNING
        label = _("in %(d)s") % {"d": timeuntil(due, now)}
    local = timezone.localtime(due)
    badge = {"label": label, "css": f"text-bg-{STATE_STYLE[state]}", "state": str(state),
             "at": local.strftime("%Y-%m-%d %H:%M"), "at_short": local.strftime("%m-%d %H:%M")}
    if follow_up.next_attempt_at:
        badge["next"] = timezone.localtime(follow_up.next_attempt_at).strftime("%m-%d %H:%M")
    return badge
