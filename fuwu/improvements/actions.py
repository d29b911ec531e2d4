"""Every change to an improvement action (R17.1) and an employee's suggestion (R17.2): one
transaction, one permission check, one audit event each; the status moves only through
`fuwu.improvements.workflow`'s table, and every step leaves a line on the action's timeline."""

import datetime

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.locking import lock_row
from fuwu.core.outbox import outbox_notify
from fuwu.improvements import rules, sources, workflow
from fuwu.improvements.codes import ImprovementError, ImprovementEvent
from fuwu.improvements.models import (
    ActionKind,
    ActionMove,
    ActionStatus,
    ImprovementAction,
    ProgressEntry,
    Suggestion,
    SuggestionStatus,
)
from fuwu.org.policy import Perm, can, is_staff_member
from fuwu.org.roles import Role
from fuwu.org.selectors import users_holding

SourceKind = ImprovementAction.SourceKind
# The timeline entry and the audit event each move leaves.
_MOVE_RECORD = {
    ActionMove.APPROVE: (ProgressEntry.Kind.APPROVED, ImprovementEvent.APPROVED),
    ActionMove.START: (ProgressEntry.Kind.STARTED, ImprovementEvent.STARTED),
    ActionMove.COMPLETE: (ProgressEntry.Kind.DONE, ImprovementEvent.COMPLETED),
    ActionMove.VERIFY: (ProgressEntry.Kind.VERIFIED, ImprovementEvent.VERIFIED),
    ActionMove.REJECT: (ProgressEntry.Kind.NOT_EFFECTIVE, ImprovementEvent.REJECTED),
    ActionMove.CANCEL: (ProgressEntry.Kind.CANCELLED, ImprovementEvent.CANCELLED),
}


def action_url(action: ImprovementAction) -> str:
    return reverse("improvements:detail", args=[action.pk])


def _entry(action: ImprovementAction, kind: str, author, text: str = "") -> ProgressEntry:
    return ProgressEntry.objects.create(action=action, kind=kind, author=author, written_at=timezone.now(),
                                        text=text.strip()[:4000])


def _clean_fields(*, kind: str, title: str, goal: str, measures: str, owner, due_on) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in ActionKind.values:
        errors["kind"] = [_("Choose corrective or preventive.")]
    if not (title or "").strip():
        errors["title"] = [_("Give the action a title.")]
    if not (goal or "").strip():
        errors["goal"] = [_("Say what the action is to achieve.")]
    if not (measures or "").strip():
        errors["measures"] = [_("List the measures to take.")]
    if owner is None or not owner.is_active or not is_staff_member(owner):
        errors["owner"] = [_("Choose a staff member as the owner.")]
    if not isinstance(due_on, datetime.date) or isinstance(due_on, datetime.datetime):
        errors["due_on"] = [_("Give the due date.")]
    elif due_on < timezone.localdate():
        errors["due_on"] = [_("The due date cannot be in the past.")]
    return errors


@transaction.atomic
def improvement_action_open(*, actor, kind: str, title: str, goal: str, measures: str, owner, due_on,
                            source_kind: str, source_id: int | None = None) -> ImprovementAction:
    """Propose a corrective or preventive action (R17.1) from its source (a complaint, a major fault
    report, a KPI alert, an inspection, a suggestion) or none; the service manager approves it next."""
    if not (rules.may_manage(actor) or (source_kind == SourceKind.SUGGESTION and can(actor, Perm.SUGGESTION_REVIEW))):
        raise PermissionDenied(code=ImprovementError.FORBIDDEN_MANAGE)
    errors = _clean_fields(kind=kind, title=title, goal=goal, measures=measures, owner=owner, due_on=due_on)
    if source_kind not in SourceKind.values:
        errors["source_kind"] = [_("Choose where the action comes from.")]
    elif source_kind == SourceKind.MANUAL:
        source_id = None
    elif source_id is None:
        errors["source_id"] = [_("Name the source of the action.")]
    elif sources.source_type(source_kind) is not None and sources.source_label(source_kind, source_id) is None:
        errors["source_id"] = [_("The source of the action is not known.")]
    if errors:
        raise InvalidInput(code=ImprovementError.UNKNOWN_SOURCE if set(errors) == {"source_id"} else None,
                           errors=errors)
    now = timezone.now()
    action = ImprovementAction.objects.create(
        kind=kind, title=title.strip()[:200], goal=goal.strip(), measures=measures.strip(), owner=owner,
        due_on=due_on, source_kind=source_kind, source_id=source_id, proposed_by=actor, proposed_at=now,
        updated_at=now)
    _entry(action, ProgressEntry.Kind.PROPOSED, actor)
    audit_record(actor=actor, action=ImprovementEvent.OPENED, obj=action, payload={
        "kind": kind, "owner": owner.pk, "due_on": due_on.isoformat(), "source_kind": source_kind,
        "source_id": source_id})
    outbox_notify(recipients=[u for u in users_holding(Role.MANAGER) if u.pk != actor.pk],
                  subject=lambda: _("Improvement action %(number)s awaits approval: %(title)s") % {
                      "number": action.number, "title": action.title},
                  body=action.goal, url=action_url(action), obj=action, dedupe_key=f"improvement.opened:{action.pk}")
    return action


def _lock(action: ImprovementAction, expected_version: int | None) -> ImprovementAction:
    return lock_row(ImprovementAction.objects.all(), action.pk, expected_version=expected_version,
                    report=("status",))


def _save(locked: ImprovementAction, *fields: str) -> None:
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=[*fields, "version", "updated_at"])


@transaction.atomic
def improvement_action_update(*, actor, action: ImprovementAction, expected_version: int | None, kind: str,
                              title: str, goal: str, measures: str, owner, due_on) -> ImprovementAction:
    """Change what an action is, who owns it and by when, until the work is done."""
    if not rules.may_manage(actor):
        raise PermissionDenied(code=ImprovementError.FORBIDDEN_MANAGE)
    locked = _lock(action, expected_version)
    if locked.status not in workflow.OWED:
        raise InvalidInput(code=ImprovementError.MOVE_NOT_ALLOWED, errors={"title": [
            _("The action is “%(status)s” and can no longer be changed.") % {"status": locked.get_status_display()}]})
    errors = _clean_fields(kind=kind, title=title, goal=goal, measures=measures, owner=owner, due_on=due_on)
    if "due_on" in errors and due_on == locked.due_on:
        del errors["due_on"]  # an overdue action keeps its date until someone moves it
    if errors:
        raise InvalidInput(errors=errors)
    before = {"owner": locked.owner_id, "due_on": locked.due_on.isoformat(), "kind": locked.kind}
    locked.kind, locked.title, locked.goal, locked.measures = kind, title.strip()[:200], goal.strip(), measures.strip()
    locked.owner, locked.due_on = owner, due_on
    _save(locked, "kind", "title", "goal", "measures", "owner", "due_on")
    audit_record(actor=actor, action=ImprovementEvent.UPDATED, obj=locked, payload={
        "owner": owner.pk, "due_on": due_on.isoformat(), "kind": kind, "before": before})
    if before["owner"] != owner.pk and locked.status != ActionStatus.PROPOSED:
        outbox_notify(recipients=[owner], subject=lambda: _("Improvement action %(number)s is now yours: %(title)s") % {
            "number": locked.number, "title": locked.title}, url=action_url(locked), obj=locked)
    return locked


def _move(actor, action: ImprovementAction, expected_version: int | None, move: str, note: str,
          *, note_field: str = "note") -> ImprovementAction:
    locked = _lock(action, expected_version)
    transition = workflow.transition_for(locked.status, move)
    if transition is None:
        raise InvalidInput(code=ImprovementError.MOVE_NOT_ALLOWED, errors={"move": [
            _("This step is not possible while the action is “%(status)s”.") % {
                "status": locked.get_status_display()}]})
    side = transition.side
    if side == workflow.Side.VERIFIER and rules.is_owner(actor, locked):
        raise PermissionDenied(code=ImprovementError.OWN_VERIFICATION)
    if side == workflow.Side.APPROVER and locked.proposed_by_id == actor.pk:
        raise PermissionDenied(code=ImprovementError.OWN_APPROVAL)
    if not rules.may_move(actor, locked, move):
        raise PermissionDenied(code={
            workflow.Side.APPROVER: ImprovementError.FORBIDDEN_APPROVE,
            workflow.Side.OWNER: ImprovementError.NOT_OWNER,
            workflow.Side.VERIFIER: ImprovementError.FORBIDDEN_VERIFY,
        }.get(side, ImprovementError.FORBIDDEN_MANAGE))
    if move in workflow.NEEDS_REASON and not note.strip():
        raise InvalidInput(errors={note_field: [_("Give the reason.")]})
    locked.status = transition.target.value
    return locked


def _record(actor, locked: ImprovementAction, move: str, note: str, fields: tuple[str, ...]) -> ImprovementAction:
    _save(locked, "status", *fields)
    entry_kind, event = _MOVE_RECORD[move]
    _entry(locked, entry_kind, actor, note)
    audit_record(actor=actor, action=event, obj=locked, payload={"status": locked.status, "note": note.strip()[:500]})
    return locked


@transaction.atomic
def improvement_action_approve(*, actor, action: ImprovementAction, expected_version: int | None,
                               note: str = "") -> ImprovementAction:
    """The service manager approves the action (R17.1); never the one who proposed it (R1.2)."""
    locked = _move(actor, action, expected_version, ActionMove.APPROVE, note)
    locked.approved_by, locked.approved_at = actor, timezone.now()
    _record(actor, locked, ActionMove.APPROVE, note, ("approved_by", "approved_at"))
    outbox_notify(recipients=[locked.owner], subject=lambda: _(
        "Improvement action %(number)s approved: yours, due %(due)s") % {
        "number": locked.number, "due": locked.due_on.isoformat()}, body=locked.measures, url=action_url(locked),
        obj=locked, dedupe_key=f"improvement.approved:{locked.pk}")
    return locked


@transaction.atomic
def improvement_action_start(*, actor, action: ImprovementAction, expected_version: int | None,
                             note: str = "") -> ImprovementAction:
    """The owner starts carrying out the measures."""
    locked = _move(actor, action, expected_version, ActionMove.START, note)
    locked.started_at = timezone.now()
    return _record(actor, locked, ActionMove.START, note, ("started_at",))


@transaction.atomic
def improvement_action_complete(*, actor, action: ImprovementAction, expected_version: int | None,
                                note: str) -> ImprovementAction:
    """The owner reports the measures carried out; a quality supervisor verifies the effect next."""
    if not note.strip():
        raise InvalidInput(errors={"note": [_("Say what was done.")]})
    locked = _move(actor, action, expected_version, ActionMove.COMPLETE, note)
    locked.completed_at = timezone.now()
    _record(actor, locked, ActionMove.COMPLETE, note, ("completed_at",))
    outbox_notify(recipients=[u for u in users_holding(Role.QUALITY_SUPERVISOR) if u.pk != locked.owner_id],
                  subject=lambda: _("Improvement action %(number)s is done: verify its effect") % {
                      "number": locked.number},
                  body=note.strip(), url=action_url(locked), obj=locked)
    return locked


@transaction.atomic
def improvement_action_verify(*, actor, action: ImprovementAction, expected_version: int | None, effective: bool,
                              note: str) -> ImprovementAction:
    """A quality supervisor who is not the owner verifies the effect (R17.1, R1.2): effective closes
    the action; not effective sends it back to work, with the reason."""
    if not note.strip():
        raise InvalidInput(errors={"note": [_("Describe how the effect was checked.")]})
    move = ActionMove.VERIFY if effective else ActionMove.REJECT
    locked = _move(actor, action, expected_version, move, note)
    locked.verified_by, locked.verification_note = actor, note.strip()[:2000]
    locked.verified_at = timezone.now() if effective else None
    if not effective:
        locked.completed_at = None
    _record(actor, locked, move, note, ("verified_by", "verified_at", "verification_note", "completed_at"))
    outbox_notify(recipients=[locked.owner], subject=lambda: (
        _("Improvement action %(number)s verified effective") if effective
        else _("Improvement action %(number)s found not effective: back to work")) % {"number": locked.number},
                  body=note.strip(),
                  url=action_url(locked), obj=locked)
    return locked


@transaction.atomic
def improvement_action_cancel(*, actor, action: ImprovementAction, expected_version: int | None,
                              reason: str) -> ImprovementAction:
    """Cancel an action before it is done, with the reason."""
    locked = _move(actor, action, expected_version, ActionMove.CANCEL, reason, note_field="reason")
    locked.cancelled_by, locked.cancelled_at, locked.cancel_reason = actor, timezone.now(), reason.strip()[:500]
    _record(actor, locked, ActionMove.CANCEL, reason, ("cancelled_by", "cancelled_at", "cancel_reason"))
    if locked.owner_id != actor.pk:
        outbox_notify(recipients=[locked.owner], subject=lambda: _("Improvement action %(number)s cancelled") % {
            "number": locked.number}, body=locked.cancel_reason, url=action_url(locked), obj=locked)
    return locked


@transaction.atomic
def improvement_action_add_note(*, actor, action: ImprovementAction, text: str) -> ProgressEntry:
    """A progress note on the timeline (append-only): by the owner or whoever manages the actions."""
    locked = _lock(action, None)
    if not rules.may_note(actor, locked):
        if not locked.is_open:
            raise InvalidInput(code=ImprovementError.MOVE_NOT_ALLOWED, errors={"text": [_("The action is closed.")]})
        raise PermissionDenied(code=ImprovementError.NOT_OWNER)
    if not text.strip():
        raise InvalidInput(errors={"text": [_("Write the note.")]})
    entry = _entry(locked, ProgressEntry.Kind.NOTE, actor, text)
    _save(locked)
    audit_record(actor=actor, action=ImprovementEvent.NOTE_ADDED, obj=locked, payload={"entry": entry.pk,
                                                                                       "text": entry.text[:500]})
    return entry


def improvement_actions_notify_overdue(*, today: datetime.date | None = None) -> int:
    """Each action past its due date whose work is still owed: its owner and the service managers are
    told once per due date (the row's `overdue_notified_for` and the outbox's dedupe key). Idempotent;
    the periodic task calls it. Returns how many actions were notified now."""
    today = today or timezone.localdate()
    pending = list(ImprovementAction.objects.filter(status__in=workflow.OWED, due_on__lt=today).filter(
        Q(overdue_notified_for__isnull=True) | ~Q(overdue_notified_for=F("due_on"))).order_by("due_on", "pk")
        .values_list("pk", flat=True)[:1000])
    notified = 0
    for pk in pending:
        notified += _notify_overdue(pk, today)
    return notified


@transaction.atomic
def _notify_overdue(pk: int, today: datetime.date) -> int:
    locked = lock_row(ImprovementAction.objects.select_related("owner"), pk, expected_version=None)
    if locked.status not in workflow.OWED or locked.due_on >= today or locked.overdue_notified_for == locked.due_on:
        return 0
    locked.overdue_notified_for = locked.due_on
    locked.save(update_fields=["overdue_notified_for"])
    days = (today - locked.due_on).days
    _entry(locked, ProgressEntry.Kind.OVERDUE, None, _("Due on %(due)s; owner and manager notified.") % {
        "due": locked.due_on.isoformat()})
    audit_record(actor=None, action=ImprovementEvent.OVERDUE, obj=locked, payload={
        "due_on": locked.due_on.isoformat(), "owner": locked.owner_id, "days": days})
    outbox_notify(recipients=[locked.owner, *users_holding(Role.MANAGER)],
                  subject=lambda: _("Improvement action %(number)s is overdue: %(title)s") % {
                      "number": locked.number, "title": locked.title},
                  body=lambda: _("It was due on %(due)s.") % {"due": locked.due_on.isoformat()}, url=action_url(locked),
                  obj=locked, dedupe_key=f"improvement.overdue:{locked.pk}:{locked.due_on.isoformat()}",
                  by_email=True)
    return 1


# Suggestions (R17.2)

def suggestion_url(suggestion: Suggestion) -> str:
    return reverse("improvements:suggestion", args=[suggestion.pk])


@transaction.atomic
def suggestion_submit(*, actor, title: str, description: str) -> Suggestion:
    """Any staff member puts forward an improvement suggestion; the reviewers hear of it."""
    if not can(actor, Perm.SUGGESTION_SUBMIT):
        raise PermissionDenied(code=ImprovementError.FORBIDDEN_SUBMIT)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the suggestion a title.")]
    if not description.strip():
        errors["description"] = [_("Describe the suggestion.")]
    if errors:
        raise InvalidInput(errors=errors)
    suggestion = Suggestion.objects.create(title=title.strip()[:200], description=description.strip(),
                                           submitted_by=actor, submitted_at=timezone.now())
    audit_record(actor=actor, action=ImprovementEvent.SUGGESTION_SUBMITTED, obj=suggestion,
                 payload={"title": suggestion.title})
    outbox_notify(recipients=[u for u in users_holding(Role.MANAGER, Role.QUALITY_SUPERVISOR) if u.pk != actor.pk],
                  subject=lambda: _("New improvement suggestion %(number)s: %(title)s") % {
                      "number": suggestion.number, "title": suggestion.title},
                  body=suggestion.description, url=suggestion_url(suggestion), obj=suggestion,
                  dedupe_key=f"suggestion.submitted:{suggestion.pk}")
    return suggestion


def _lock_for_review(actor, suggestion: Suggestion, expected_version: int | None) -> Suggestion:
    locked = lock_row(Suggestion.objects.select_related("submitted_by"), suggestion.pk,
                      expected_version=expected_version, report=("status",))
    if locked.submitted_by_id == actor.pk:
        raise PermissionDenied(code=ImprovementError.OWN_SUGGESTION)
    if not rules.may_review(actor, locked):
        raise PermissionDenied(code=ImprovementError.FORBIDDEN_REVIEW)
    if locked.status != SuggestionStatus.SUBMITTED:
        raise InvalidInput(code=ImprovementError.ALREADY_REVIEWED, errors={"move": [
            _("The suggestion has been reviewed already.")]})
    return locked


@transaction.atomic
def suggestion_accept(*, actor, suggestion: Suggestion, expected_version: int | None, kind: str, goal: str,
                      measures: str, owner, due_on, title: str = "") -> ImprovementAction:
    """Accept a suggestion: an improvement action is proposed from it (source: suggestion) and the
    submitter is told."""
    locked = _lock_for_review(actor, suggestion, expected_version)
    action = improvement_action_open(actor=actor, kind=kind, title=title.strip() or locked.title, goal=goal,
                                     measures=measures, owner=owner, due_on=due_on,
                                     source_kind=SourceKind.SUGGESTION, source_id=locked.pk)
    locked.status, locked.action = SuggestionStatus.ACCEPTED, action
    locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "action", "reviewed_by", "reviewed_at", "version"])
    audit_record(actor=actor, action=ImprovementEvent.SUGGESTION_ACCEPTED, obj=locked,
                 payload={"action": action.pk})
    outbox_notify(recipients=[locked.submitted_by], subject=lambda: _(
        "Your suggestion %(number)s is accepted: improvement action %(action)s") % {
        "number": locked.number, "action": action.number}, url=action_url(action), obj=locked,
        dedupe_key=f"suggestion.reviewed:{locked.pk}")
    return action


@transaction.atomic
def suggestion_decline(*, actor, suggestion: Suggestion, expected_version: int | None, reason: str) -> Suggestion:
    """Decline a suggestion with the reason the submitter reads."""
    locked = _lock_for_review(actor, suggestion, expected_version)
    if not reason.strip():
        raise InvalidInput(errors={"reason": [_("Give the reason, as the submitter will read it.")]})
    locked.status, locked.decline_reason = SuggestionStatus.DECLINED, reason.strip()[:1000]
    locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "decline_reason", "reviewed_by", "reviewed_at", "version"])
    audit_record(actor=actor, action=ImprovementEvent.SUGGESTION_DECLINED, obj=locked,
                 payload={"reason": locked.decline_reason[:500]})
    outbox_notify(recipients=[locked.submitted_by], subject=lambda: _("Your suggestion %(number)s was declined") % {
        "number": locked.number}, body=locked.decline_reason, url=suggestion_url(locked), obj=locked,
        dedupe_key=f"suggestion.reviewed:{locked.pk}")
    return locked
