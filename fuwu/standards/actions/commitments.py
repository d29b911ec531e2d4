"""Every change to service standards and published commitments (服务标准 · 服务承诺, R10.1, R10.2).

A standard is a chain of versions sharing one `code`. Only a draft can be edited; publishing puts a
draft in force from a date and retires the version it replaces the day before; a revision is a new
draft copied from the version in force, with its reason; retiring ends the version in force. A
published version is never changed again nor deleted (R4.9): its later history is new versions
and audit events.

Each action: keyword-only, the acting user first, one transaction, `Perm.STANDARDS_MANAGE`, the
rows of the code locked, `version` checked on stale edits, an audit event written.
"""

import dataclasses
import datetime
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fuwu.core.audit import audit_record
from fuwu.core.errors import FuwuError, InvalidInput
from fuwu.core.locking import bump_version, check_version
from fuwu.org.models import Department
from fuwu.org.policy import Perm, require
from fuwu.standards.codes import StandardsAction, StandardsError
from fuwu.standards.models import ServiceStandard
from fuwu.standards.models.commitments import Factor, Touchpoint

State = ServiceStandard.State
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,31}$")
RESERVED_CODES = frozenset({"new"})  # `/standards/catalogue/new/` is the page that drafts one


class StandardStateError(FuwuError):
    """The move does not fit the version's state (editing a published version, retiring a draft …)."""

    code = StandardsError.STANDARD_STATE
    status = 409
    default_message = gettext_lazy("This is not possible in the standard's current state.")


@dataclasses.dataclass
class StandardInput:
    """What a manager writes about one version of a standard (R10.1)."""

    statement: str
    touchpoint: str
    factor: str
    indicator: str
    target: str
    measuring_method: str
    statement_en: str = ""
    owner: Department | None = None
    is_commitment: bool = False
    commitment_text: str = ""
    commitment_text_en: str = ""


FIELDS = tuple(f.name for f in dataclasses.fields(StandardInput))
_TEXT_LIMITS = {"indicator": 200, "target": 200}


def clean_standard(data: StandardInput) -> dict[str, list[str]]:
    """Field errors of `data`, all at once, keyed by field name (R10.1: objective and measurable)."""
    errors: dict[str, list[str]] = {}
    for name in ("statement", "indicator", "target", "measuring_method"):
        value = getattr(data, name).strip()
        if not value:
            errors[name] = [_("This field is required.")]
        elif name in _TEXT_LIMITS and len(value) > _TEXT_LIMITS[name]:
            errors[name] = [_("At most %(n)d characters.") % {"n": _TEXT_LIMITS[name]}]
    if data.touchpoint not in Touchpoint.values:
        errors["touchpoint"] = [_("Choose where in the service cycle this standard applies.")]
    if data.factor not in Factor.values:
        errors["factor"] = [_("Choose a factor: basic, performance or delight.")]
    if data.is_commitment and not data.commitment_text.strip():
        errors["commitment_text"] = [_("A published commitment needs the words customers will read.")]
    if data.commitment_text_en.strip() and not data.commitment_text.strip():
        errors.setdefault("commitment_text", [_("Write the Chinese commitment as well.")])
    return errors


def _values(data: StandardInput) -> dict[str, Any]:
    values = {name: getattr(data, name) for name in FIELDS}
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
    return values


def _snapshot(standard: ServiceStandard, names=FIELDS) -> dict[str, Any]:
    """JSON-friendly values for the audit payload (the owner as its code)."""
    return {
        name: (standard.owner.code if standard.owner else None) if name == "owner" else getattr(standard, name)
        for name in names
    }


def _lock_code(code: str) -> list[ServiceStandard]:
    """Lock every version of a code, so two managers cannot publish or revise it at once."""
    return list(ServiceStandard.objects.select_for_update().filter(code=code).order_by("edition"))


def _reload(standard: ServiceStandard, versions: list[ServiceStandard], expected_version: int | None):
    current = next(v for v in versions if v.pk == standard.pk)
    check_version(current, expected_version, report=("state",))
    return current


def _today() -> datetime.date:
    return timezone.localdate()


@transaction.atomic
def standard_draft(*, actor, code: str, data: StandardInput) -> ServiceStandard:
    """Draft a new standard: a new code, version 1, not yet in force (R10.1)."""
    require(actor, Perm.STANDARDS_MANAGE)
    code = code.strip().lower()
    errors = clean_standard(data)
    if not CODE_PATTERN.match(code) or code in RESERVED_CODES:
        errors["code"] = [_("Use 2–32 lower-case letters, digits or hyphens, starting with a letter or digit.")]
    elif ServiceStandard.objects.filter(code=code).exists():
        errors["code"] = [_("A standard with this code already exists; revise it instead.")]
    if errors:
        raise InvalidInput(errors=errors)
    try:
        with transaction.atomic():
            standard = ServiceStandard.objects.create(
                code=code, edition=1, state=State.DRAFT, created_by=actor, created_at=timezone.now(), **_values(data)
            )
    except IntegrityError:  # the same code drafted at the same moment by someone else
        raise InvalidInput(errors={"code": [_("A standard with this code already exists; revise it instead.")]}) \
            from None
    audit_record(
        actor=actor, action=StandardsAction.STANDARD_DRAFTED, obj=standard,
        payload={"code": code, "version": 1, "new": _snapshot(standard)},
    )
    return standard


@transaction.atomic
def standard_edit_draft(
    *,
    actor,
    standard: ServiceStandard,
    expected_version: int | None,
    data: StandardInput,
    revision_reason: str | None = None,
) -> ServiceStandard:
    """Change a draft. A version in force or retired is never changed (R10.2, R4.9); a stale
    `expected_version` is a Conflict, never a silent overwrite (docs/architecture.md, rule 3)."""
    require(actor, Perm.STANDARDS_MANAGE)
    locked = _reload(standard, _lock_code(standard.code), expected_version)
    if locked.state != State.DRAFT:
        raise StandardStateError(
            _("Version %(v)d is published and can no longer be changed; revise it to make a new version.")
            % {"v": locked.edition},
            code=StandardsError.STANDARD_NOT_DRAFT,
        )
    errors = clean_standard(data)
    reason = locked.revision_reason if revision_reason is None else revision_reason.strip()
    if locked.edition > 1 and not reason:
        errors["revision_reason"] = [_("Say why the standard is revised.")]
    if errors:
        raise InvalidInput(errors=errors)
    before = _snapshot(locked) | {"revision_reason": locked.revision_reason}
    for name, value in _values(data).items():
        setattr(locked, name, value)
    locked.revision_reason = reason
    after = _snapshot(locked) | {"revision_reason": locked.revision_reason}
    changed = [name for name in after if after[name] != before[name]]
    if not changed:
        return locked
    bump_version(locked, *FIELDS, "revision_reason")
    audit_record(
        actor=actor, action=StandardsAction.STANDARD_DRAFT_EDITED, obj=locked,
        payload={"old": {n: before[n] for n in changed}, "new": {n: after[n] for n in changed}},
    )
    return locked


@transaction.atomic
def standard_publish(
    *,
    actor,
    standard: ServiceStandard,
    expected_version: int | None,
    effective_from: datetime.date,
) -> ServiceStandard:
    """Put a draft in force from `effective_from` (today or later). The version of the same code
    in force until then is retired, in force until the day before, and the new one `supersedes` it
    (R10.2). Until that date customers still see the old commitment (`published_commitments`)."""
    require(actor, Perm.STANDARDS_MANAGE)
    versions = _lock_code(standard.code)
    locked = _reload(standard, versions, expected_version)
    if locked.state != State.DRAFT:
        raise StandardStateError(_("Only a draft can be published."), code=StandardsError.STANDARD_NOT_DRAFT)
    errors = clean_standard(StandardInput(**{name: getattr(locked, name) for name in FIELDS}))
    if errors:
        raise InvalidInput(_("Complete the draft before publishing it."), errors=errors)
    if effective_from < _today():
        raise InvalidInput(errors={"effective_from": [_("A standard cannot take effect in the past.")]})
    previous = next((v for v in versions if v.state == State.IN_FORCE), None)
    if previous is not None and previous.effective_from and effective_from < previous.effective_from:
        raise InvalidInput(errors={"effective_from": [
            _("Version %(v)d takes effect on %(d)s; the new version cannot start earlier.")
            % {"v": previous.edition, "d": previous.effective_from.isoformat()}
        ]})
    if previous is None:  # a reinstatement: the last published version, retired meanwhile
        superseded = {v.supersedes_id for v in versions}
        previous = next(
            (v for v in reversed(versions)
             if v.edition < locked.edition and v.effective_from is not None and v.pk not in superseded),
            None,
        )
    retired = None
    if previous is not None and previous.state == State.IN_FORCE:
        previous.state = State.RETIRED
        previous.effective_until = effective_from - datetime.timedelta(days=1)
        bump_version(previous, "state", "effective_until")
        retired = previous
    locked.state = State.IN_FORCE
    locked.effective_from = effective_from
    locked.supersedes = previous
    bump_version(locked, "state", "effective_from", "supersedes")
    if retired is not None:
        audit_record(
            actor=actor, action=StandardsAction.STANDARD_RETIRED, obj=retired,
            payload={"effective_until": retired.effective_until, "superseded_by": locked.pk,
                     "superseded_by_version": locked.edition, "reason": locked.revision_reason},
        )
    audit_record(
        actor=actor, action=StandardsAction.STANDARD_PUBLISHED, obj=locked,
        payload={"effective_from": effective_from, "version": locked.edition,
                 "supersedes": previous.pk if previous else None, "reason": locked.revision_reason},
    )
    return locked


@transaction.atomic
def standard_revise(*, actor, standard: ServiceStandard, reason: str) -> ServiceStandard:
    """Start a revision: the next version, a draft copied from the version in force (or from the
    last version, to reinstate a retired standard), with the reason for revising (R10.2). The
    version in force stays in force until the draft is published."""
    require(actor, Perm.STANDARDS_MANAGE)
    versions = _lock_code(standard.code)
    current = _reload(standard, versions, None)
    draft = next((v for v in versions if v.state == State.DRAFT), None)
    if draft is not None:
        raise StandardStateError(
            _("Version %(v)d is already being drafted; finish or withdraw it first.") % {"v": draft.edition},
            code=StandardsError.STANDARD_DRAFT_EXISTS, data={"draft_version": draft.edition},
        )
    if current.state != State.IN_FORCE and current.pk != versions[-1].pk:
        raise StandardStateError(
            _("Revise the version in force, or the latest version of a retired standard."),
            code=StandardsError.STANDARD_NOT_CURRENT,
        )
    if not reason.strip():
        raise InvalidInput(errors={"reason": [_("Say why the standard is revised.")]})
    next_version = versions[-1].edition + 1
    revision = ServiceStandard.objects.create(
        code=current.code, edition=next_version, state=State.DRAFT, revision_reason=reason.strip(),
        created_by=actor, created_at=timezone.now(), **{name: getattr(current, name) for name in FIELDS},
    )
    audit_record(
        actor=actor, action=StandardsAction.STANDARD_REVISED, obj=revision,
        payload={"code": current.code, "from_version": current.edition, "version": next_version,
                 "reason": revision.revision_reason},
    )
    return revision


@transaction.atomic
def standard_retire(
    *,
    actor,
    standard: ServiceStandard,
    expected_version: int | None,
    reason: str,
    retire_on: datetime.date,
) -> ServiceStandard:
    """End the version in force: from `retire_on` (today or later) it no longer applies. It stays
    on record with its reason (R10.2); customers see it until the day before."""
    require(actor, Perm.STANDARDS_MANAGE)
    locked = _reload(standard, _lock_code(standard.code), expected_version)
    if locked.state != State.IN_FORCE:
        raise StandardStateError(_("Only the version in force can be retired."),
                                 code=StandardsError.STANDARD_NOT_IN_FORCE)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Say why the standard is retired.")]
    if retire_on < _today():
        errors["retire_on"] = [_("A standard cannot be retired in the past.")]
    elif locked.effective_from and retire_on < locked.effective_from:
        errors["retire_on"] = [_("This version takes effect on %(d)s; retire it on that day or later.")
                               % {"d": locked.effective_from.isoformat()}]
    if errors:
        raise InvalidInput(errors=errors)
    locked.state = State.RETIRED
    locked.effective_until = retire_on - datetime.timedelta(days=1)
    bump_version(locked, "state", "effective_until")
    audit_record(
        actor=actor, action=StandardsAction.STANDARD_RETIRED, obj=locked,
        payload={"effective_until": locked.effective_until, "reason": reason.strip()},
    )
    return locked


@transaction.atomic
def standard_withdraw_draft(
    *, actor, standard: ServiceStandard, expected_version: int | None, reason: str
) -> ServiceStandard:
    """Abandon a draft that will not be published. It is kept, retired without ever having been in
    force, so a new revision can be started (R4.9: nothing is deleted)."""
    require(actor, Perm.STANDARDS_MANAGE)
    locked = _reload(standard, _lock_code(standard.code), expected_version)
    if locked.state != State.DRAFT:
        raise StandardStateError(_("Only a draft can be withdrawn."), code=StandardsError.STANDARD_NOT_DRAFT)
    if not reason.strip():
        raise InvalidInput(errors={"reason": [_("Say why the draft is withdrawn.")]})
    locked.state = State.RETIRED
    bump_version(locked, "state")
    audit_record(
        actor=actor, action=StandardsAction.STANDARD_DRAFT_WITHDRAWN, obj=locked, payload={"reason": reason.strip()},
    )
    return locked
