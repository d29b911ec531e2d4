"""Follow-up calls after service (回访, R8.1): a follow-up falls due when a request is resolved, the
agent records each call (reached or not), an unsatisfied customer's answer reopens the request or
opens a complaint.

The deadline is the request's follow-up SLA clock when its policy sets one (so the follow-up queue
and the request queues show one due instant), else the follow-up rule's working days
(`fuwu.followups.rules`). A reopened request withdraws its open follow-up; the next resolution makes
a new one. A follow-up entry written on the request page (or by the demo) records the open
follow-up as reached, so the request's follow-up clock and its follow-up never disagree.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.locking import lock_row
from fuwu.core.outbox import outbox_notify
from fuwu.followups import rules as pure
from fuwu.followups.actions._common import active_rules, apply_move, calendar_of, rule_of
from fuwu.followups.codes import FollowUpAction, FollowUpError
from fuwu.followups.models import (
    OPEN_VALUES,
    DueSource,
    FollowUp,
    FollowUpAttempt,
    FollowUpKind,
    FollowUpMove,
    NextStep,
)
from fuwu.followups.workflow import SATISFACTION, is_unsatisfied
from fuwu.org.policy import Perm, can
from fuwu.org.roles import Role
from fuwu.org.selectors import users_holding
from fuwu.standards.businesstime import from_us, to_us
from fuwu.standards.models import Channel, ClockKind, ServiceKind, ServiceType
from fuwu.tickets import rules as ticket_rules
from fuwu.tickets.actions import ticket_add_entry, ticket_link, ticket_move, ticket_register
from fuwu.tickets.lifecycle import Move, Status
from fuwu.tickets.models import Entry, SlaClock, Ticket
from fuwu.tickets.validation import TicketInput

# (user id, ticket id) while `followup_record` writes on that request; see `follow_up_recording_grant`.
_recording: ContextVar[tuple[int, int] | None] = ContextVar("followup_recording", default=None)


def follow_up_recording_grant(user, ticket: Ticket, move: str | None = None) -> bool:
    """Write and move grant for `fuwu.tickets.rules`: the agent recording a follow-up writes its entry
    on the request and may reopen it, whoever owns it; only while `followup_record` runs."""
    if _recording.get() != (getattr(user, "pk", None), ticket.pk):
        return False
    return move is None or move == Move.REOPEN


@contextmanager
def _writing_on(actor, ticket: Ticket):
    token = _recording.set((actor.pk, ticket.pk))
    try:
        yield
    finally:
        _recording.reset(token)


def _url(follow_up: FollowUp) -> str:
    return f"/followups/{follow_up.pk}/"


# -- the request's life (listeners registered in FollowUpsConfig.ready) --------------------------------


def on_ticket_moved(actor, ticket: Ticket, move: str) -> None:
    """Inside `ticket_move`'s transaction: resolution makes a follow-up fall due; reopening withdraws it."""
    if move == Move.RESOLVE:
        follow_up_fall_due(actor=actor, ticket=ticket)
    elif move == Move.REOPEN:
        follow_ups_withdraw(actor=actor, ticket=ticket, reason="reopened")


def on_ticket_entry(actor, ticket: Ticket, entry: Entry) -> None:
    """Inside `ticket_add_entry`'s transaction: a follow-up entry written on the request (not by
    `followup_record`) records its open follow-up as reached, with the entry's text as the opinion."""
    if entry.kind != Entry.Kind.FOLLOW_UP or entry.supersedes_id or _recording.get() is not None:
        return
    follow_up = FollowUp.objects.select_for_update().filter(ticket=ticket, state__in=OPEN_VALUES).first()
    if follow_up is None:
        return
    follow_up.attempts += 1
    FollowUpAttempt.objects.create(follow_up=follow_up, seq=follow_up.attempts, at=entry.created_at, by=actor,
                                   reached=True)
    follow_up.opinion = strip_tags(entry.body).strip()[:4000]
    follow_up.entry_id, follow_up.recorded_by, follow_up.recorded_at = entry.pk, actor, entry.created_at
    follow_up.next_attempt_at = None
    apply_move(follow_up, FollowUpMove.REACH, "attempts", "opinion", "entry_id", "recorded_by", "recorded_at",
               "next_attempt_at")
    audit_record(actor=actor, action=FollowUpAction.RECORDED_ON_REQUEST, obj=follow_up,
                 payload={"ticket": ticket.number, "entry": entry.pk})


@transaction.atomic
def follow_up_fall_due(*, actor, ticket: Ticket) -> FollowUp | None:
    """A resolved request's follow-up falls due (R8.1), unless its rule asks for none and no policy
    times one. Called by the resolve move, which was the permitted act: no check of its own."""
    existing = FollowUp.objects.filter(ticket=ticket, state__in=OPEN_VALUES).first()
    if existing is not None:
        return existing
    rule = pure.rule_for(active_rules(), service_kind=ticket.kind, service_type_id=ticket.service_type_id)
    clock = SlaClock.objects.filter(ticket=ticket, kind=ClockKind.FOLLOW_UP, state=SlaClock.State.RUNNING).order_by(
        "-id").first()
    if not pure.needs_follow_up(rule, service_kind=ticket.kind, has_clock=clock is not None):
        return None
    now = timezone.now()
    if clock is not None and clock.due_at is not None:
        due, source = clock.due_at, DueSource.SLA
    else:
        resolved = ticket.resolved_at or now
        due, source = from_us(pure.due_after_working_days(calendar_of(rule), to_us(resolved), rule.working_days)), \
            DueSource.RULE
    follow_up = FollowUp.objects.create(kind=FollowUpKind.AFTER_SERVICE, ticket=ticket, customer_id=ticket.customer_id,
                                        due_at=due, due_source=source, max_attempts=rule.max_attempts,
                                        created_at=now)
    audit_record(actor=actor, action=FollowUpAction.FELL_DUE, obj=follow_up,
                 payload={"ticket": ticket.number, "due_at": due.isoformat(), "due_by": str(source)})
    return follow_up


@transaction.atomic
def follow_ups_withdraw(*, actor, ticket: Ticket, reason: str) -> int:
    """The request's open follow-ups are withdrawn (it was reopened: there is nothing to follow up yet)."""
    withdrawn = 0
    for follow_up in FollowUp.objects.select_for_update().filter(ticket=ticket, state__in=OPEN_VALUES):
        follow_up.reason = reason[:200]
        apply_move(follow_up, FollowUpMove.WITHDRAW, "reason")
        audit_record(actor=actor, action=FollowUpAction.WITHDRAWN, obj=follow_up,
                     payload={"ticket": ticket.number, "reason": follow_up.reason})
        withdrawn += 1
    return withdrawn


# -- the call ---------------------------------------------------------------------------------------


@transaction.atomic
def followup_record(*, actor, follow_up: FollowUp, expected_version: int | None, reached: bool, note: str = "",
                    opinion: str = "", satisfaction: int | None = None, next_step: str = "") -> FollowUp:
    """Record one call (R8.1): not reached, an attempt and the next one scheduled by the retry rule
    (or given up: unreachable); reached, the customer's opinion and satisfaction 1–5 (for the needs
    survey, next year's needs), a follow-up entry on the request that meets its follow-up clock, and
    for an unsatisfied customer (1–2) the next step: reopen the request or open a complaint."""
    if not can(actor, Perm.FOLLOWUP_WORK):
        raise PermissionDenied(code=FollowUpError.FORBIDDEN_WORK)
    # Only the follow-up's row is locked (its request and customer are read as they come).
    locked = lock_row(FollowUp.objects.all(), follow_up.pk, expected_version=expected_version, report=("state",))
    if not locked.is_open:
        raise InvalidInput(code=FollowUpError.MOVE_NOT_ALLOWED,
                           errors={"reached": [_("This follow-up is already closed.")]})
    now = timezone.now()
    if not reached:
        return _not_reached(actor, locked, note.strip()[:500], now)
    return _reached(actor, locked, note=note.strip()[:500], opinion=opinion.strip(), satisfaction=satisfaction,
                    next_step=next_step or NextStep.NONE, now=now)


def _not_reached(actor, follow_up: FollowUp, note: str, now) -> FollowUp:
    rule = rule_of(follow_up)
    attempts = follow_up.attempts + 1
    found = pure.next_attempt(calendar_of(rule), to_us(now), attempts=attempts, retry_hours=rule.retry_hours,
                              max_attempts=follow_up.max_attempts)
    next_at = from_us(found) if found is not None else None
    FollowUpAttempt.objects.create(follow_up=follow_up, seq=attempts, at=now, by=actor, reached=False, note=note,
                                   next_attempt_at=next_at)
    follow_up.attempts, follow_up.next_attempt_at = attempts, next_at
    if next_at is None:
        follow_up.recorded_by, follow_up.recorded_at = actor, now
        apply_move(follow_up, FollowUpMove.GIVE_UP, "attempts", "next_attempt_at", "recorded_by", "recorded_at")
        if follow_up.ticket is not None:
            outbox_notify(recipients=[follow_up.ticket.owner],
                          subject=lambda: _("Follow-up of %(t)s given up: the customer could not be reached")
                          % {"t": follow_up.ticket.number}, url=_url(follow_up), obj=follow_up,
                          dedupe_key=f"follow-up-unreachable:{follow_up.pk}")
        audit_record(actor=actor, action=FollowUpAction.UNREACHABLE, obj=follow_up,
                     payload={"attempt": attempts, "note": note})
    else:
        apply_move(follow_up, FollowUpMove.MISS, "attempts", "next_attempt_at")
        audit_record(actor=actor, action=FollowUpAction.NOT_REACHED, obj=follow_up,
                     payload={"attempt": attempts, "note": note, "next_attempt_at": next_at.isoformat()})
    return follow_up


def _check_answer(follow_up: FollowUp, *, opinion: str, satisfaction: int | None, next_step: str) -> None:
    errors: dict[str, list[str]] = {}
    survey = follow_up.kind == FollowUpKind.NEEDS_SURVEY
    if not opinion:
        errors["opinion"] = [_("Write down next year's needs the customer named.") if survey
                             else _("Write down what the customer said.")]
    if satisfaction is not None and satisfaction not in SATISFACTION:
        errors["satisfaction"] = [_("Choose a satisfaction from 1 to 5.")]
    elif satisfaction is None and follow_up.kind == FollowUpKind.AFTER_SERVICE:
        errors["satisfaction"] = [_("Choose how satisfied the customer is, from 1 to 5.")]
    if next_step not in NextStep.values:
        errors["next_step"] = [_("Choose a next step.")]
    elif is_unsatisfied(satisfaction) and not survey and next_step == NextStep.NONE:
        errors["next_step"] = [_("The customer is not satisfied: reopen the request or open a complaint.")]
    elif next_step == NextStep.REOPEN and follow_up.ticket is None:
        errors["next_step"] = [_("Only a follow-up of a request can reopen it.")]
    elif next_step == NextStep.REOPEN and not (follow_up.ticket.status == Status.RESOLVED
                                               and ticket_rules.reopen_window_open(follow_up.ticket)):
        errors["next_step"] = [_("The request is closed or its reopen period has passed: open a complaint "
                                 "instead.")]
    if errors:
        code = FollowUpError.NEXT_STEP_REQUIRED if "next_step" in errors and len(errors) == 1 else None
        raise InvalidInput(code=code, errors=errors)


def _reached(actor, follow_up: FollowUp, *, note: str, opinion: str, satisfaction: int | None, next_step: str,
             now) -> FollowUp:
    _check_answer(follow_up, opinion=opinion, satisfaction=satisfaction, next_step=next_step)
    ticket = follow_up.ticket
    follow_up.attempts += 1
    FollowUpAttempt.objects.create(follow_up=follow_up, seq=follow_up.attempts, at=now, by=actor, reached=True,
                                   note=note)
    follow_up.opinion, follow_up.satisfaction, follow_up.next_step = opinion[:4000], satisfaction, next_step
    follow_up.recorded_by, follow_up.recorded_at, follow_up.next_attempt_at = actor, now, None
    # Reached first: the reopen below withdraws only follow-ups still open.
    apply_move(follow_up, FollowUpMove.REACH, "attempts", "opinion", "satisfaction", "next_step", "recorded_by",
               "recorded_at", "next_attempt_at")
    found: list[str] = []
    if ticket is not None:
        # The entry meets the request's follow-up clock (R10.4); the reopen uses the customer's words.
        body = f"<p>{escape(opinion)}</p>"
        if satisfaction is not None:
            mark = _("Follow-up: satisfaction %(n)s of 5.") % {"n": satisfaction}
            body = f"<p>{escape(mark)}</p>{body}"
        with _writing_on(actor, ticket):
            entry = ticket_add_entry(actor=actor, ticket=ticket, kind=Entry.Kind.FOLLOW_UP, body=body)
            if next_step == NextStep.REOPEN:
                ticket_move(actor=actor, ticket=ticket, expected_version=None, move=Move.REOPEN, reason=opinion)
        follow_up.entry_id = entry.pk
        found.append("entry_id")
    if next_step == NextStep.COMPLAINT:
        follow_up.complaint = _open_complaint(actor, follow_up, opinion)
        found.append("complaint")
    if found:  # what the call led to, in the same change (the version counted once above)
        follow_up.save(update_fields=found)
    if is_unsatisfied(satisfaction):
        recipients = [ticket.owner] if ticket is not None and ticket.owner_id else []
        recipients += users_holding(Role.MANAGER)
        what = ticket.number if ticket is not None else str(follow_up.customer or "")
        outbox_notify(recipients=recipients, url=_url(follow_up), obj=follow_up,
                      subject=lambda: _("Unsatisfied at follow-up: %(what)s (%(n)s of 5)") % {
                          "what": what, "n": satisfaction},
                      body=opinion, dedupe_key=f"follow-up-unsatisfied:{follow_up.pk}")
    audit_record(actor=actor, action=FollowUpAction.REACHED, obj=follow_up, payload={
        "attempt": follow_up.attempts, "satisfaction": satisfaction, "next_step": str(next_step),
        "entry": follow_up.entry_id, "complaint": follow_up.complaint.number if follow_up.complaint else None})
    return follow_up


def _open_complaint(actor, follow_up: FollowUp, opinion: str) -> Ticket:
    """A complaint (R6.1) registered from the follow-up call, linked to the request it is about."""
    service_type = ServiceType.objects.filter(kind=ServiceKind.COMPLAINT, is_active=True).order_by(
        "sort_order", "pk").first()
    if service_type is None:
        raise InvalidInput(code=FollowUpError.NO_COMPLAINT_TYPE,
                           errors={"next_step": [_("No complaint service type is active.")]})
    ticket, customer = follow_up.ticket, follow_up.customer
    contact = customer.contacts.filter(is_active=True).order_by("-is_primary", "id").first() if customer else None
    if ticket is not None:
        title = _("Complaint at follow-up of %(t)s") % {"t": ticket.number}
        name, phone, email = ticket.contact_name, ticket.contact_phone, ticket.contact_email
    else:
        title = _("Complaint at follow-up of %(what)s") % {"what": follow_up.product or customer}
        name, phone, email = (contact.name, contact.phone, contact.email) if contact else ("", "", "")
    data = TicketInput(service_type_id=service_type.pk, title=title[:200], contact_name=name or (contact.name if contact
                       else ""), channel=Channel.PHONE, description=opinion, customer_id=getattr(customer, "pk", None),
                       contact_phone=phone or (contact.phone if contact else ""), contact_email=email,
                       region_id=ticket.region_id if ticket is not None else None)
    try:
        complaint = ticket_register(actor=actor, data=data)
    except InvalidInput as exc:  # e.g. a complaint needs a customer and a phone: said beside the next step
        messages = [str(m) for found in exc.errors.values() for m in found] or [str(exc.message)]
        raise InvalidInput(errors={"next_step": messages}) from None
    if ticket is not None:
        ticket_link(actor=actor, source=complaint, target=ticket)
    return complaint
