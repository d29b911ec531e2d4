"""The breach watch (R10.4, R9.5, R3.5): warn before a clock runs out, mark breaches, escalate.

Run every minute by huey. Each step is taken once per clock: the clock row is locked, its
`escalation_level` says what was done, `SlaEscalation` is unique per (clock, level) and the
outbox rows carry a dedupe key, so running the watch twice sends nothing twice.

The chain: at the warning share of the time (75 % by default) the owner hears of it; at the breach
the owner and the group leader, by e-mail too; when the clock is overdue by a further share of
its target, the service manager; by twice that, the general manager, for major or urgent matters.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.outbox import outbox_notify
from fuwu.org.roles import Role
from fuwu.org.selectors import users_holding
from fuwu.standards.calendars import business_clock
from fuwu.standards.models import Priority
from fuwu.tickets import clocks
from fuwu.tickets.actions._common import _url
from fuwu.tickets.models import SlaClock, SlaEscalation, Ticket

WARNING, BREACH, MANAGER, GENERAL_MANAGER = 0, 1, 2, 3
BATCH = 500


@dataclass
class WatchResult:
    warned: list[int] = field(default_factory=list)
    breached: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)


def sla_watch(*, now: datetime | None = None) -> WatchResult:
    """One pass of the watch; each clock in its own transaction, so one failure stops nothing else."""
    now = now or timezone.now()
    result = WatchResult()
    running = SlaClock.objects.filter(state=SlaClock.State.RUNNING)
    due = running.filter(breached_at__isnull=True, due_at__lte=now).order_by("due_at")
    warn = running.filter(warned_at__isnull=True, breached_at__isnull=True, warn_at__lte=now).order_by("warn_at")
    later = running.filter(next_escalation_at__lte=now).order_by("next_escalation_at")
    for step, queryset, done in ((_breach, due, result.breached), (_warn, warn, result.warned),
                                 (_escalate, later, result.escalated)):
        for pk in list(queryset.values_list("pk", flat=True)[:BATCH]):
            if _step(step, pk, now):
                done.append(pk)
    return result


def _step(step, pk: int, now: datetime) -> bool:
    with transaction.atomic():
        clocks_ = SlaClock.objects.select_related("ticket__group__leader", "ticket__owner", "target")
        if connection.vendor == "postgresql":
            clocks_ = clocks_.select_for_update(skip_locked=True, of=("self",))
        clock = clocks_.filter(pk=pk, state=SlaClock.State.RUNNING).first()
        return clock is not None and step(clock, now)


def _warn(clock: SlaClock, now: datetime) -> bool:
    if clock.warned_at is not None or clock.breached_at is not None or clock.warn_at is None or clock.warn_at > now:
        return False
    clock.warned_at = now
    clock.save(update_fields=["warned_at"])
    ticket = clock.ticket
    subject = _("%(clock)s of %(t)s is due at %(due)s") % _words(clock)
    recipients = [ticket.owner or (ticket.group.leader if ticket.group else None)]
    _record(clock, WARNING, now, recipients, subject, by_email=False, action="ticket.sla_warning")
    return True


def _breach(clock: SlaClock, now: datetime) -> bool:
    if clock.breached_at is not None or clock.due_at is None or clock.due_at > now:
        return False
    clock.breached_at = clock.due_at
    clock.warned_at = clock.warned_at or now
    clock.escalation_level = BREACH
    clock.next_escalation_at = _next_escalation(clock, after=BREACH)
    clock.save(update_fields=["breached_at", "warned_at", "escalation_level", "next_escalation_at"])
    ticket = clock.ticket
    subject = _("Overdue: %(clock)s of %(t)s was due at %(due)s") % _words(clock)
    recipients = [ticket.owner, ticket.group.leader if ticket.group else None]
    _record(clock, BREACH, now, recipients, subject, by_email=True, action="ticket.sla_breached")
    return True


def _escalate(clock: SlaClock, now: datetime) -> bool:
    level = clock.escalation_level + 1
    if clock.breached_at is None or level > GENERAL_MANAGER or clock.next_escalation_at is None:
        return False
    if clock.next_escalation_at > now:
        return False
    clock.escalation_level = level
    clock.next_escalation_at = _next_escalation(clock, after=level)
    clock.save(update_fields=["escalation_level", "next_escalation_at"])
    role = Role.MANAGER if level == MANAGER else Role.GENERAL_MANAGER
    subject = _("Escalated: %(clock)s of %(t)s overdue since %(due)s") % _words(clock)
    _record(clock, level, now, users_holding(role), subject, by_email=True, action="ticket.sla_escalated")
    return True


def _next_escalation(clock: SlaClock, *, after: int) -> datetime | None:
    """Each further step waits another share of the target, in business time, after the due instant."""
    ticket = clock.ticket
    if after >= GENERAL_MANAGER or (after == MANAGER and not _is_major(ticket)):
        return None
    step = clock.target_seconds * settings.FUWU_SLA_ESCALATION_STEP_PERCENT // 100 * after
    return business_clock(clock.calendar_id).add(clock.due_at, timedelta(seconds=step)).at


def _is_major(ticket: Ticket) -> bool:
    """R3.5: major matters reach the general manager; so do urgent ones left overdue this long."""
    return ticket.is_major or ticket.priority == Priority.URGENT


def _words(clock: SlaClock) -> dict:
    due = timezone.localtime(clock.due_at)
    return {"clock": clock.get_kind_display(), "t": clock.ticket, "due": formats.date_format(due, "Y-m-d H:i")}


def _record(clock: SlaClock, level: int, now: datetime, recipients: list, subject: str, *, by_email: bool,
            action: str) -> None:
    ticket = clock.ticket
    recipients = [user for user in recipients if user is not None]
    SlaEscalation.objects.create(clock=clock, level=level, at=now, recipients=[user.pk for user in recipients])
    body = _("Owner: %(owner)s. Group: %(group)s. Status: %(status)s.") % {
        "owner": ticket.owner.get_full_name() if ticket.owner else "-",
        "group": ticket.group or "-", "status": ticket.get_status_display()}
    outbox_notify(recipients=recipients, subject=subject, body=body, url=_url(ticket), obj=ticket,
                  dedupe_key=f"sla:{clock.pk}:{level}", by_email=by_email)
    audit_record(actor=None, action=action, obj=ticket,
                 payload={"clock": clock.pk, "kind": clock.kind, "level": level, "due": clock.due_at,
                          "recipients": [user.pk for user in recipients]})
    clocks.refresh_ticket(ticket)
