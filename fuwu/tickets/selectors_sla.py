"""Reading a request's SLA clocks for people (R10.4): state, due instant and business time left."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from fuwu.standards.calendars import business_clock, business_clocks
from fuwu.tickets.models import SlaClock, Ticket
from fuwu.tickets.workflow.states import SlaState

# The colour of each state, shared by the ticket page and the queue rows.
STATE_STYLE = {
    SlaState.RUNNING: "success",
    SlaState.WARNING: "warning",
    SlaState.BREACHED: "danger",
    SlaState.PAUSED: "secondary",
    "met": "primary",
    "met_late": "danger",
    "stopped": "light",
}


@dataclass(frozen=True)
class ClockView:
    clock: SlaClock
    state: str  # running / warning / breached / paused / met / met_late / stopped
    left: timedelta | None  # business time left (negative: overdue), for running clocks
    paused_for: timedelta  # wall-clock time spent paused

    @property
    def style(self) -> str:
        return STATE_STYLE[self.state]

    @property
    def overdue(self) -> timedelta | None:
        return -self.left if self.left is not None and self.left < timedelta(0) else None


def _state(clock: SlaClock, now: datetime) -> str:
    if clock.state == SlaClock.State.MET:
        return "met_late" if clock.breached_at else "met"
    if clock.state in (SlaClock.State.PAUSED, SlaClock.State.STOPPED):
        return clock.state
    if clock.breached_at or (clock.due_at and clock.due_at <= now):
        return SlaState.BREACHED
    if clock.warned_at or (clock.warn_at and clock.warn_at <= now):
        return SlaState.WARNING
    return SlaState.RUNNING


def ticket_clocks(ticket: Ticket, *, now: datetime | None = None) -> list[ClockView]:
    """Every clock of the request, live ones first, with what is left in its own calendar."""
    now = now or timezone.now()
    # The wall-clock time paused summed in the same query (an open pause counts until now).
    until = Coalesce("pauses__ended_at", Value(now, output_field=DateTimeField()))
    paused = Sum(ExpressionWrapper(until - F("pauses__started_at"), output_field=DurationField()))
    clocks = SlaClock.objects.filter(ticket=ticket).select_related("calendar").annotate(paused_for=paused)
    views = []
    for clock in clocks:
        left = None
        if clock.state == SlaClock.State.RUNNING and clock.due_at is not None:
            left = business_clock(clock.calendar).between(now, clock.due_at).duration
        views.append(ClockView(clock, _state(clock, now), left, clock.paused_for or timedelta(0)))
    live = (SlaClock.State.RUNNING, SlaClock.State.PAUSED)
    return sorted(views, key=lambda v: (v.clock.state not in live, v.clock.due_at or v.clock.started_at))


def working_time_left(tickets: list[Ticket], *, now: datetime) -> dict[int, timedelta]:
    """Business time left (negative: overdue) to each request's due instant (an open request's, or a
    resolved one's follow-up), in the calendar of the clock that sets it: the queues say it the way
    the request page does. One query per page."""
    due = {t.pk: t.sla_due_at for t in tickets if t.sla_due_at is not None}
    if not due:
        return {}
    running = [row for row in SlaClock.objects.filter(ticket_id__in=list(due), state=SlaClock.State.RUNNING)
               .values_list("ticket_id", "due_at", "calendar_id") if row[1] == due[row[0]]]
    clocks = business_clocks({calendar_id for _t, _d, calendar_id in running})
    left = {}
    for ticket_id, due_at, calendar_id in running:
        left.setdefault(ticket_id, clocks[calendar_id].between(now, due_at).duration)
    return left
