"""Checklists in versions (R9.4): a draft is built item by item and published; a published version
is never changed again, revising it drafts the next version with the same items."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput
from fuwu.core.locking import lock_row
from fuwu.core.validation import Errors, storable
from fuwu.inspections.codes import InspectionAction, InspectionError
from fuwu.inspections.models import Checklist, ChecklistItem, ChecklistKind, ChecklistStatus, Touchpoint
from fuwu.org.policy import Perm, require

MAX_WEIGHT = 100
MAX_SCORE = 100


def _clean_head(errors: Errors, *, title: str, kind: str, touchpoint: str, pass_mark) -> None:
    if not title.strip() or not storable(title) or len(title.strip()) > 120:
        errors.add("title", _("Give the checklist a title (at most 120 characters)."))
    if kind not in ChecklistKind.values:
        errors.add("kind", _("Choose the kind of checklist."))
    if touchpoint not in Touchpoint.values:
        errors.add("touchpoint", _("Choose the touchpoint."))
    if not isinstance(pass_mark, int) or not 0 <= pass_mark <= 100:
        errors.add("pass_mark", _("The pass mark is a percentage from 0 to 100."))


def _lock_draft(checklist: Checklist, expected_version: int | None, field: str = "text") -> Checklist:
    locked = lock_row(Checklist.objects.all(), checklist.pk, expected_version=expected_version, report=("status",))
    if not locked.is_draft:
        raise InvalidInput(code=InspectionError.NOT_DRAFT, errors={field: [
            _("This version has been published and is never changed; revise it to make the next version.")]})
    return locked


def _bump(locked: Checklist, *fields: str) -> None:
    locked.version += 1
    locked.save(update_fields=[*fields, "version"])


@transaction.atomic
def checklist_create(*, actor, code: str, title: str, kind: str, touchpoint: str, pass_mark: int = 80,
                     intro: str = "") -> Checklist:
    require(actor, Perm.INSPECTION_MANAGE)
    errors = Errors()
    code = (code or "").strip().lower()
    if not code or len(code) > 40 or not code.replace("-", "").replace("_", "").isalnum() or not code.isascii():
        errors.add("code", _("Use letters, digits, - and _ for the code (at most 40)."))
    elif Checklist.objects.filter(code=code).exists():
        errors.add("code", _("A checklist with this code exists; revise it instead."))
    _clean_head(errors, title=title, kind=kind, touchpoint=touchpoint, pass_mark=pass_mark)
    if not storable(intro) or len(intro) > 2000:
        errors.add("intro", _("At most 2,000 characters."))
    errors.raise_if_any()
    try:
        with transaction.atomic():
            checklist = Checklist.objects.create(code=code, title=title.strip(), kind=kind, touchpoint=touchpoint,
                                                 pass_mark=pass_mark, intro=intro.strip(), created_by=actor,
                                                 created_at=timezone.now())
    except IntegrityError:  # the same code drafted at the same moment
        raise InvalidInput(errors={"code": [_("A checklist with this code exists; revise it instead.")]}) from None
    audit_record(actor=actor, action=InspectionAction.CHECKLIST_CREATED, obj=checklist,
                 payload={"code": code, "edition": 1, "kind": kind, "touchpoint": touchpoint})
    return checklist


@transaction.atomic
def checklist_edit(*, actor, checklist: Checklist, expected_version: int | None, title: str, kind: str,
                   touchpoint: str, pass_mark: int, intro: str = "") -> Checklist:
    require(actor, Perm.INSPECTION_MANAGE)
    locked = _lock_draft(checklist, expected_version, field="title")
    errors = Errors()
    _clean_head(errors, title=title, kind=kind, touchpoint=touchpoint, pass_mark=pass_mark)
    if not storable(intro) or len(intro) > 2000:
        errors.add("intro", _("At most 2,000 characters."))
    errors.raise_if_any()
    before = {"title": locked.title, "kind": locked.kind, "touchpoint": locked.touchpoint,
              "pass_mark": locked.pass_mark}
    locked.title, locked.kind, locked.touchpoint = title.strip(), kind, touchpoint
    locked.pass_mark, locked.intro = pass_mark, intro.strip()
    _bump(locked, "title", "kind", "touchpoint", "pass_mark", "intro")
    audit_record(actor=actor, action=InspectionAction.CHECKLIST_EDITED, obj=locked, payload={
        "before": before, "after": {"title": locked.title, "kind": kind, "touchpoint": touchpoint,
                                    "pass_mark": pass_mark}})
    return locked


@transaction.atomic
def checklist_add_item(*, actor, checklist: Checklist, expected_version: int | None, text: str, weight: int = 1,
                       max_score: int = 5, critical: bool = False, guidance: str = "") -> ChecklistItem:
    require(actor, Perm.INSPECTION_MANAGE)
    locked = _lock_draft(checklist, expected_version)
    errors = Errors()
    if not text.strip() or not storable(text) or len(text.strip()) > 300:
        errors.add("text", _("Say what is checked (at most 300 characters)."))
    if not storable(guidance) or len(guidance) > 500:
        errors.add("guidance", _("At most 500 characters."))
    if not isinstance(weight, int) or not 1 <= weight <= MAX_WEIGHT:
        errors.add("weight", _("The weight is a whole number from 1 to %(n)s.") % {"n": MAX_WEIGHT})
    if not isinstance(max_score, int) or not 1 <= max_score <= MAX_SCORE:
        errors.add("max_score", _("The maximum score is a whole number from 1 to %(n)s.") % {"n": MAX_SCORE})
    errors.raise_if_any()
    position = (locked.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    item = ChecklistItem.objects.create(checklist=locked, position=position, text=text.strip(),
                                        guidance=guidance.strip(), weight=weight, max_score=max_score,
                                        critical=bool(critical))
    _bump(locked)
    audit_record(actor=actor, action=InspectionAction.CHECKLIST_ITEM_ADDED, obj=locked, payload={
        "item": item.pk, "text": item.text, "weight": weight, "max_score": max_score, "critical": item.critical})
    return item


@transaction.atomic
def checklist_remove_item(*, actor, checklist: Checklist, expected_version: int | None,
                          item: ChecklistItem) -> Checklist:
    require(actor, Perm.INSPECTION_MANAGE)
    locked = _lock_draft(checklist, expected_version)
    if item.checklist_id != locked.pk:
        raise InvalidInput(errors={"item": [_("This item is not on this checklist.")]})
    item_id, text = item.pk, item.text
    item.delete()
    _bump(locked)
    audit_record(actor=actor, action=InspectionAction.CHECKLIST_ITEM_REMOVED, obj=locked,
                 payload={"item": item_id, "text": text})
    return locked


@transaction.atomic
def checklist_publish(*, actor, checklist: Checklist, expected_version: int | None) -> Checklist:
    """Publish the draft; the version it replaces is retired (its inspections keep pointing at it)."""
    require(actor, Perm.INSPECTION_MANAGE)
    locked = _lock_draft(checklist, expected_version)
    if not locked.items.exists():
        raise InvalidInput(code=InspectionError.EMPTY, errors={"text": [_("Add at least one item before publishing.")]})
    now = timezone.now()
    replaced = list(Checklist.objects.select_for_update().filter(code=locked.code, status=ChecklistStatus.PUBLISHED))
    for old in replaced:
        old.status, old.retired_at = ChecklistStatus.RETIRED, now
        _bump(old, "status", "retired_at")
    locked.status, locked.published_at = ChecklistStatus.PUBLISHED, now
    _bump(locked, "status", "published_at")
    audit_record(actor=actor, action=InspectionAction.CHECKLIST_PUBLISHED, obj=locked, payload={
        "code": locked.code, "edition": locked.edition, "items": locked.items.count(),
        "retired": [old.edition for old in replaced]})
    return locked


@transaction.atomic
def checklist_revise(*, actor, checklist: Checklist) -> Checklist:
    """Draft the next version of a published or retired checklist, with its items copied."""
    require(actor, Perm.INSPECTION_MANAGE)
    source = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if source.is_draft:
        raise InvalidInput(code=InspectionError.NOT_DRAFT, errors={"title": [_("This version is still a draft.")]})
    if Checklist.objects.filter(code=source.code, status=ChecklistStatus.DRAFT).exists():
        raise InvalidInput(code=InspectionError.DRAFT_EXISTS, errors={"title": [
            _("A draft of this checklist already exists; edit it.")]})
    edition = Checklist.objects.filter(code=source.code).order_by("-edition").values_list("edition", flat=True)[0] + 1
    draft = Checklist.objects.create(code=source.code, edition=edition, title=source.title, kind=source.kind,
                                     touchpoint=source.touchpoint, pass_mark=source.pass_mark, intro=source.intro,
                                     created_by=actor, created_at=timezone.now())
    ChecklistItem.objects.bulk_create([
        ChecklistItem(checklist=draft, position=i.position, text=i.text, guidance=i.guidance, weight=i.weight,
                      max_score=i.max_score, critical=i.critical) for i in source.items.order_by("position", "id")])
    audit_record(actor=actor, action=InspectionAction.CHECKLIST_REVISED, obj=draft,
                 payload={"code": draft.code, "edition": edition, "from_edition": source.edition})
    return draft


@transaction.atomic
def checklist_retire(*, actor, checklist: Checklist, expected_version: int | None) -> Checklist:
    require(actor, Perm.INSPECTION_MANAGE)
    locked = lock_row(Checklist.objects.all(), checklist.pk, expected_version=expected_version, report=("status",))
    if locked.status != ChecklistStatus.PUBLISHED:
        raise InvalidInput(code=InspectionError.NOT_PUBLISHED, errors={"title": [
            _("Only a published version is retired.")]})
    locked.status, locked.retired_at = ChecklistStatus.RETIRED, timezone.now()
    _bump(locked, "status", "retired_at")
    audit_record(actor=actor, action=InspectionAction.CHECKLIST_RETIRED, obj=locked,
                 payload={"code": locked.code, "edition": locked.edition})
    return locked
