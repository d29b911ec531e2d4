"""The breach watch (R10.4, R9.5, R3.5): warn before a clock runs out, mark breaches, escalate.

Run every minute by huey. The steps and when they are due are `fuwu.tickets.workflow.watch`; this
writes them. Each step is taken once per clock: the clock row is locked, its `escalation_level`
says what was done, `SlaEscalation` is unique per (clock, level) and the outbox rows carry a
dedupe key, so running the watch twice sends nothing twice.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.outbox import outbox_notify
from fuwu.org.roles import Role
from fuwu.org.selectors import users_holding
from fuwu.standards.businesstime import to_us
from fuwu.standards.calendars import business_clock
from fuwu.tickets.actions._common import _url
from fuwu.tickets.cases import at, clock_of, refresh_ticket
from fuwu.tickets.codes import TicketAction
from fuwu.tickets.models import SlaClock, SlaEscalation
from fuwu.tickets.workflow import watch
from fuwu.tickets.workflow.states import Level
from fuwu.tickets.workflow.watch import Recipient, Step

BATCH = 500
_SUBJECTS = {
    Level.WARNING: lambda: _("%(clock)s of %(t)s is due at %(due)s"),
    Level.BREACH: lambda: _("Overdue: %(clock)s of %(t)s was due at %(due)s"),
    Level.MANAGER: lambda: _("Escalated: %(clock)s of %(t)s overdue since %(due)s"),
    Level.GENERAL_MANAGER: lambda: _("Escalated: %(clock)s of %(t)s overdue since %(due)s"),
}


@dataclass
class WatchResult:
    warned: list[int] = field(default_factory=list)
    breached: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)


def _warn(clock, now: int, calendar, **_options) -> Step | None:
    return watch.warn(clock, now)


def sla_watch(*, now: datetime | None = None) -> WatchResult:
    """One pass of the watch; each clock in its own transaction, so one failure stops nothing else."""
    now = now or timezone.now()
    result = WatchResult()
    running = SlaClock.objects.filter(state=SlaClock.State.RUNNING)
    due = running.filter(breached_at__isnull=True, due_at__lte=now).order_by("due_at")
    warn = running.filter(warned_at__isnull=True, breached_at__isnull=True, warn_at__lte=now).order_by("warn_at")
    later = running.filter(next_escalation_at__lte=now).order_by("next_escalation_at")
    for step, queryset, done in ((watch.breach, due, result.breached), (_warn, warn, result.warned),
                                 (watch.escalate, later, result.escalated)):
        for pk in list(queryset.values_list("pk", flat=True)[:BATCH]):
            if _step(step, pk, now):
                done.append(pk)
    return result


def _step(rule, pk: int, now: datetime) -> bool:
    with transaction.atomic():
        clocks_ = SlaClock.objects.select_related("ticket__group__leader", "ticket__owner", "target")
        if connection.vendor == "postgresql":
            clocks_ = clocks_.select_for_update(skip_locked=True, of=("self",))
        row = clocks_.filter(pk=pk, state=SlaClock.State.RUNNING).first()
        if row is None:
            return False
        clock = clock_of(row)
        ticket = row.ticket
        step = rule(clock, to_us(now), business_clock(row.calendar_id),
                    major=watch.is_major(major=ticket.is_major, priority=ticket.priority),
                    step_percent=settings.FUWU_SLA_ESCALATION_STEP_PERCENT)
        if step is None:
            return False
        SlaClock.objects.filter(pk=pk).update(warned_at=at(clock.warned_at), breached_at=at(clock.breached_at),
                                              escalation_level=clock.escalation_level,
                                              next_escalation_at=at(clock.next_escalation_at))
        _record(row, clock, step, now)
        return True


def _recipients(row: SlaClock, step: Step) -> list:
    ticket = row.ticket
    wanted = {recipient for recipient in step.recipients}
    return watch.recipients(
        step, owner=ticket.owner, leader=ticket.group.leader if ticket.group else None,
        managers=users_holding(Role.MANAGER) if Recipient.MANAGERS in wanted else [],
        general_managers=users_holding(Role.GENERAL_MANAGER) if Recipient.GENERAL_MANAGERS in wanted else [])


def _record(row: SlaClock, clock, step: Step, now: datetime) -> None:
    ticket = row.ticket
    recipients = _recipients(row, step)
    ids = [user.pk for user in recipients]
    SlaEscalation.objects.create(clock=row, level=step.level, at=now, recipients=ids)
    due = timezone.localtime(row.due_at)
    outbox_notify(recipients=recipients, subject=lambda: _SUBJECTS[step.level]() % {
        "clock": row.get_kind_display(), "t": ticket, "due": formats.date_format(due, "Y-m-d H:i")},
                  body=lambda: _("Owner: %(owner)s. Group: %(group)s. Status: %(status)s.") % {
                      "owner": ticket.owner.get_full_name() if ticket.owner else "-",
                      "group": ticket.group or "-", "status": ticket.get_status_display()}, url=_url(ticket),
                  obj=ticket, dedupe_key=f"sla:{row.pk}:{int(step.level)}", by_email=step.by_email)
    audit_record(actor=None, action=TicketAction(step.event), obj=ticket,
                 payload=watch.payload(row.pk, clock, step.level, ids, at))
    refresh_ticket(ticket)
