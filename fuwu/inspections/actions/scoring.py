"""Filling a checklist (R9.4) and what a failed one gives (R9.7): the score is computed by
`workflow.score`; a failed critical item or a score below the pass mark makes one finding, which is
registered as one service request of the quality-issue type and handed over to the responsible group.

Separation of duties (R1.2): nobody scores themselves or their own group, and only the round's
inspectors score on a round. The request is registered by the inspections login
(`FUWU_INSPECTIONS_ACTOR`, an agent made on first use, who cannot log in): supervision does not work
requests, it raises them.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.outbox import outbox_notify
from fuwu.core.validation import Errors, storable
from fuwu.inspections import workflow
from fuwu.inspections.codes import InspectionAction, InspectionError
from fuwu.inspections.models import (
    Checklist,
    ChecklistStatus,
    Finding,
    FindingReason,
    Inspection,
    InspectionRound,
    ItemScore,
)
from fuwu.org import actions as org_actions
from fuwu.org.models import Group, Profile
from fuwu.org.policy import Perm, require
from fuwu.org.roles import Role
from fuwu.standards.models import Channel, ServiceType
from fuwu.tickets.actions import ticket_hand_over, ticket_register
from fuwu.tickets.models import Ticket
from fuwu.tickets.validation import TicketInput


@dataclass
class ScoreInput:
    """What the supervisor enters: the target, and each item's score (and note) by item id."""

    checklist_id: int
    scores: dict[int, int]
    item_notes: dict[int, str] = field(default_factory=dict)
    staff_id: int | None = None
    group_id: int | None = None
    ticket_id: int | None = None
    work_order_number: str = ""
    notes: str = ""
    observed_at: datetime.datetime | None = None  # empty: now


def inspections_actor():
    """The login that registers findings as requests (FUWU_INSPECTIONS_ACTOR), made once."""
    User = get_user_model()
    user = User.objects.filter(username=settings.FUWU_INSPECTIONS_ACTOR).first()
    if user is None:
        try:
            with transaction.atomic():
                profile = org_actions.staff_create(actor=None, username=settings.FUWU_INSPECTIONS_ACTOR, password=None,
                                                   full_name=_("Quality inspections"), roles=[Role.AGENT])
        except (IntegrityError, InvalidInput):
            return User.objects.get(username=settings.FUWU_INSPECTIONS_ACTOR)
        user = User.objects.get(pk=profile.user_id)
    return user


def _target(data: ScoreInput, errors: Errors) -> tuple:
    """The staff member, group and request inspected; the group defaults to the person's, then the request's."""
    User = get_user_model()
    ticket = Ticket.objects.filter(pk=data.ticket_id).first() if data.ticket_id else None
    if data.ticket_id and ticket is None:
        errors.add("ticket_id", _("Choose an existing request."))
    staff = User.objects.filter(pk=data.staff_id, is_active=True).first() if data.staff_id else None
    if data.staff_id and staff is None:
        errors.add("staff_id", _("Choose an active staff member."))
    if staff is None and ticket is not None and ticket.owner_id:
        staff = ticket.owner
    group = Group.objects.filter(pk=data.group_id).first() if data.group_id else None
    if data.group_id and group is None:
        errors.add("group_id", _("Choose a group."))
    if group is None and staff is not None:
        group = Group.objects.filter(members__user=staff, members__is_active=True).first()
    if group is None and ticket is not None:
        group = ticket.group
    if group is None and not errors.fields:
        errors.add("group_id", _("Name the group inspected (the staff member has none)."))
    return staff, group, ticket


def _check_duties(actor, round_: InspectionRound | None, staff, group, errors: Errors) -> None:
    if staff is not None and staff.pk == actor.pk:
        raise PermissionDenied(code=InspectionError.OWN_INSPECTION)
    if group is not None and Profile.objects.filter(user=actor, group=group, is_active=True).exists():
        raise PermissionDenied(code=InspectionError.OWN_INSPECTION)
    if round_ is None:
        return
    if not round_.inspectors.filter(pk=actor.pk).exists():
        raise PermissionDenied(code=InspectionError.NOT_INSPECTOR)
    if round_.status not in workflow.SCORING:
        errors.add("round", _("Checklists are scored on a round that is in progress."))


@transaction.atomic
def inspection_record(*, actor, data: ScoreInput, round_: InspectionRound | None = None) -> Inspection:
    """Record one filled checklist; a failed one gives its finding and the finding's request at once."""
    require(actor, Perm.INSPECTION_PERFORM)
    errors = Errors()
    checklist = Checklist.objects.filter(pk=data.checklist_id).first()
    if round_ is not None:
        round_ = InspectionRound.objects.select_for_update().get(pk=round_.pk)
        checklist = round_.checklist
    if checklist is None or (checklist.status != ChecklistStatus.PUBLISHED and round_ is None):
        raise InvalidInput(code=InspectionError.NOT_PUBLISHED, errors={"checklist": [
            _("Choose a published checklist.")]})
    staff, group, ticket = _target(data, errors)
    _check_duties(actor, round_, staff, group, errors)
    items = list(checklist.items.order_by("position", "id"))
    scored: list[workflow.Item] = []
    for item in items:
        value = data.scores.get(item.pk)
        if not isinstance(value, int) or not 0 <= value <= item.max_score:
            errors.add(f"item_{item.pk}", _("Give a score from 0 to %(n)s.") % {"n": item.max_score})
            continue
        scored.append(workflow.Item(item.weight, item.max_score, item.critical, value))
        note = data.item_notes.get(item.pk, "")
        if not storable(note) or len(note) > 500:
            errors.add(f"note_{item.pk}", _("At most 500 characters."))
    if not storable(data.notes) or len(data.notes) > 4000:
        errors.add("notes", _("At most 4,000 characters."))
    number = (data.work_order_number or "").strip()
    if not storable(number) or len(number) > 32:
        errors.add("work_order_number", _("At most 32 characters."))
    observed_at = data.observed_at or timezone.now()
    if observed_at > timezone.now():
        errors.add("observed_at", _("The observation cannot be in the future."))
    if not items:
        errors.add("checklist", _("This checklist has no items."))
    errors.raise_if_any()
    result = workflow.score(scored, checklist.pass_mark)
    now = timezone.now()
    inspection = Inspection.objects.create(
        checklist=checklist, round=round_, touchpoint=checklist.touchpoint, kind=checklist.kind, inspector=actor,
        staff=staff, group=group, ticket=ticket, work_order_number=number, observed_at=observed_at, recorded_at=now,
        score=result.percent, pass_mark=checklist.pass_mark, passed=result.passed,
        critical_failed=result.critical_failed, notes=data.notes.strip())
    ItemScore.objects.bulk_create([
        ItemScore(inspection=inspection, item=item, score=data.scores[item.pk],
                  note=data.item_notes.get(item.pk, "").strip()) for item in items])
    audit_record(actor=actor, action=InspectionAction.INSPECTION_RECORDED, obj=inspection, payload={
        "checklist": checklist.pk, "edition": checklist.edition, "round": getattr(round_, "pk", None),
        "staff": getattr(staff, "pk", None), "group": group.pk, "ticket": getattr(ticket, "number", None),
        "score": str(result.percent), "passed": result.passed, "critical_failed": result.critical_failed,
        "scores": {str(item.pk): data.scores[item.pk] for item in items}})
    if staff is not None:
        outbox_notify(recipients=[staff], subject=lambda: _("Your service was inspected: %(score)s%%") % {
            "score": result.percent}, url="/inspections/mine/", obj=inspection)
    if not result.passed:
        finding_raise(actor=actor, inspection=inspection)
    return inspection


def _summary(inspection: Inspection, reason: str) -> str:
    failed = [f"{s.item.text}: {s.score}/{s.item.max_score}" + (f" ({s.note})" if s.note else "")
              for s in inspection.scores.select_related("item") if s.score < s.item.max_score]
    head = (_("%(n)s critical item(s) failed.") % {"n": inspection.critical_failed} if reason == FindingReason.CRITICAL
            else _("Score %(score)s%% below the pass mark of %(mark)s%%.") % {"score": inspection.score,
                                                                           "mark": inspection.pass_mark})
    lines = [head, *failed]
    if inspection.notes:
        lines.append(inspection.notes)
    return "\n".join(lines)[:4000]


@transaction.atomic
def finding_raise(*, actor, inspection: Inspection) -> Finding:
    """The finding of a failed inspection and its service request, once: called again, it returns the
    finding it made (the inspection row is locked and the finding is one-to-one)."""
    require(actor, Perm.INSPECTION_PERFORM)
    locked = Inspection.objects.select_for_update(of=("self",)).select_related("checklist", "group", "staff").get(
        pk=inspection.pk)
    existing = Finding.objects.filter(inspection=locked).first()
    if existing is not None:
        return existing
    if locked.passed:
        raise InvalidInput(errors={"inspection": [_("This inspection passed: there is no finding.")]})
    reason = FindingReason.CRITICAL if locked.critical_failed else FindingReason.BELOW_PASS
    summary = _summary(locked, reason)
    service_type = ServiceType.objects.filter(code=settings.FUWU_INSPECTIONS_SERVICE_TYPE, is_active=True).first()
    if service_type is None:
        raise InvalidInput(code=InspectionError.NO_SERVICE_TYPE, errors={"inspection": [
            _("The service type for quality issues (%(code)s) does not exist.") % {
                "code": settings.FUWU_INSPECTIONS_SERVICE_TYPE}]})
    system = inspections_actor()
    target = locked.staff.get_full_name() if locked.staff else locked.group.name
    title = _("Inspection finding: %(checklist)s · %(target)s") % {"checklist": locked.checklist.title,
                                                                   "target": target}
    ticket = ticket_register(actor=system, data=TicketInput(
        service_type_id=service_type.pk, title=title[:200], channel=Channel.API, description=summary,
        contact_name=(actor.get_full_name() or actor.username)[:100]))
    finding = Finding.objects.create(inspection=locked, reason=reason, summary=summary, group=locked.group,
                                     ticket=ticket, created_at=timezone.now())
    ticket_hand_over(actor=system, ticket=ticket, expected_version=ticket.version, to_group=locked.group,
                     note=_("Quality inspection finding for your group: please act on it.") + "\n" + summary)
    audit_record(actor=actor, action=InspectionAction.FINDING_RAISED, obj=finding, payload={
        "inspection": locked.pk, "reason": reason, "ticket": ticket.number, "group": locked.group_id})
    return finding
