"""Inspection rounds (检查轮次, 质量巡检, R9.7): planned for a period with a checklist version, the
inspectors and the targets; opened when the period starts (by hand or by the daily job), completed
or cancelled. The status moves only through `fuwu.inspections.workflow`'s table."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput
from fuwu.core.locking import lock_row
from fuwu.core.outbox import outbox_notify
from fuwu.core.validation import Errors, storable
from fuwu.inspections import workflow
from fuwu.inspections.codes import InspectionAction, InspectionError
from fuwu.inspections.models import Checklist, ChecklistStatus, InspectionRound, RoundStatus
from fuwu.org.policy import Perm, can, require

MAX_SAMPLE = 500


def _url(round_: InspectionRound) -> str:
    return f"/inspections/rounds/{round_.pk}/"


@transaction.atomic
def round_plan(*, actor, title: str, checklist: Checklist, period_start: datetime.date,
               period_end: datetime.date, inspectors: Iterable, groups: Iterable = (), staff: Iterable = (),
               sample_size: int = 0, note: str = "") -> InspectionRound:
    """Plan a round; its inspectors hold INSPECTION_PERFORM and none of them is among the staff it
    inspects (R1.2)."""
    require(actor, Perm.INSPECTION_MANAGE)
    inspectors, groups, staff = list(inspectors), list(groups), list(staff)
    errors = Errors()
    if not title.strip() or not storable(title) or len(title.strip()) > 120:
        errors.add("title", _("Give the round a title (at most 120 characters)."))
    if checklist is None or checklist.status != ChecklistStatus.PUBLISHED:
        errors.add("checklist", _("Choose a published checklist."))
    if period_start is None or period_end is None or period_end < period_start:
        errors.add("period_end", _("The period ends on or after the day it starts."))
    if not inspectors:
        errors.add("inspectors", _("Name at least one inspector."))
    elif not all(can(person, Perm.INSPECTION_PERFORM) for person in inspectors):
        errors.add("inspectors", _("Every inspector must be a quality supervisor."))
    if {p.pk for p in inspectors} & {p.pk for p in staff}:
        errors.add("staff", _("Nobody inspects themselves: an inspector is among the staff inspected."))
    if not groups and not staff and not sample_size:
        errors.add("groups", _("Name the groups or staff inspected, or a number of requests to sample."))
    if not isinstance(sample_size, int) or not 0 <= sample_size <= MAX_SAMPLE:
        errors.add("sample_size", _("From 0 to %(n)s requests.") % {"n": MAX_SAMPLE})
    if not storable(note) or len(note) > 2000:
        errors.add("note", _("At most 2,000 characters."))
    errors.raise_if_any()
    round_ = InspectionRound.objects.create(title=title.strip(), checklist=checklist, period_start=period_start,
                                            period_end=period_end, sample_size=sample_size, note=note.strip(),
                                            created_by=actor, created_at=timezone.now())
    round_.inspectors.set(inspectors)
    round_.target_groups.set(groups)
    round_.target_staff.set(staff)
    audit_record(actor=actor, action=InspectionAction.ROUND_PLANNED, obj=round_, payload={
        "title": round_.title, "checklist": checklist.pk, "edition": checklist.edition,
        "period": [period_start.isoformat(), period_end.isoformat()], "inspectors": sorted(p.pk for p in inspectors),
        "groups": sorted(g.pk for g in groups), "staff": sorted(p.pk for p in staff), "sample_size": sample_size})
    outbox_notify(recipients=inspectors,
                  subject=lambda: _("Inspection round planned: %(title)s") % {"title": round_.title},
                  body=lambda: _("%(start)s to %(end)s") % {"start": period_start, "end": period_end}, url=_url(round_),
                  obj=round_)
    return round_


def _apply(actor, locked: InspectionRound, move: str, reason: str) -> InspectionRound:
    transition = workflow.transition_for(locked.status, move)
    if transition is None:
        raise InvalidInput(code=InspectionError.MOVE_NOT_ALLOWED, errors={"move": [
            _("This step is not possible while the round is “%(status)s”.") % {
                "status": locked.get_status_display()}]})
    if move in workflow.NEEDS_REASON and not reason.strip():
        raise InvalidInput(errors={"reason": [_("Say why the round is cancelled.")]})
    if not storable(reason) or len(reason) > 500:
        raise InvalidInput(errors={"reason": [_("At most 500 characters.")]})
    before = locked.status
    now = timezone.now()
    locked.status = transition.target.value
    fields = ["status"]
    if transition.target == workflow.RoundStatus.IN_PROGRESS:
        locked.started_at = now
        fields.append("started_at")
    else:
        locked.ended_at = now
        fields.append("ended_at")
    if move == workflow.RoundMove.CANCEL:
        locked.cancel_reason = reason.strip()
        fields.append("cancel_reason")
    locked.version += 1
    locked.save(update_fields=[*fields, "version"])
    audit_record(actor=actor, action=InspectionAction.ROUND_MOVED, obj=locked, payload={
        "move": str(move), "from": before, "to": locked.status, "reason": reason.strip()})
    if transition.target == workflow.RoundStatus.IN_PROGRESS:
        outbox_notify(recipients=list(locked.inspectors.all()),
                      subject=lambda: _("Inspection round open: %(title)s") % {"title": locked.title}, url=_url(locked),
                      obj=locked, dedupe_key=f"inspection_round.open:{locked.pk}")
    return locked


@transaction.atomic
def round_move(*, actor, round_: InspectionRound, expected_version: int | None, move: str,
               reason: str = "") -> InspectionRound:
    require(actor, Perm.INSPECTION_MANAGE)
    locked = lock_row(InspectionRound.objects.all(), round_.pk, expected_version=expected_version,
                      report=("status",))
    return _apply(actor, locked, move, reason)


def rounds_open_due(*, today: datetime.date | None = None) -> int:
    """Open every planned round whose period has started (the daily job); returns how many. Run twice,
    the second run finds nothing planned and due: each round opens once (the row is locked and its
    status read again)."""
    today = today or timezone.localdate()
    opened = 0
    due = InspectionRound.objects.filter(status=RoundStatus.PLANNED, period_start__lte=today)
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            locked = InspectionRound.objects.select_for_update().get(pk=pk)
            if not workflow.is_due(locked.status, locked.period_start.toordinal(), today.toordinal()):
                continue
            _apply(None, locked, workflow.RoundMove.START, "")
            opened += 1
    return opened
