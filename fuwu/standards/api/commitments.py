"""Service standards API (R10.1, R10.2), mounted at `/api/v1/standards`.

- `GET /standards`: the catalogue for staff (in force unless `?state=draft|retired|all`), with the
  page's filters (`touchpoint`, `factor`, `q`);
- `GET /standards/commitments`: the commitments to customers in force today. Public information:
  no authentication (`auth=None`), texts in the language asked for (Accept-Language);
- `GET /standards/{code}`: one standard with every version and its history (who, when, why).

Changes go through the pages (the actions); there is no write endpoint yet.
"""

import datetime

from django.utils import timezone
from ninja import Query, Router, Schema

from fuwu.core.codes import action_label
from fuwu.org.policy import Perm, require
from fuwu.standards.models import ServiceStandard
from fuwu.standards.selectors.commitments import (
    StandardFilters,
    published_commitments,
    standard_catalogue,
    standard_history,
    standing,
)

router = Router(tags=["standards"])


class StandardOut(Schema):
    code: str
    version: int  # the edition: 1 for v1, 2 for v2, …
    state: str
    standing: str  # draft, scheduled, in_force, ending, retired, withdrawn: where it stands today
    statement: str
    statement_en: str
    touchpoint: str
    touchpoint_label: str
    factor: str
    factor_label: str
    indicator: str
    target: str
    measuring_method: str
    owner: str | None  # department code
    is_commitment: bool
    commitment_text: str
    commitment_text_en: str
    effective_from: datetime.date | None
    effective_until: datetime.date | None
    revision_reason: str
    supersedes_version: int | None
    row_version: int  # the edit counter (the model's `version`), bumped by every change of this edition


class EventOut(Schema):
    action: str
    label: str
    occurred_at: datetime.datetime
    actor: str
    reason: str


class VersionOut(StandardOut):
    events: list[EventOut]


class StandardDetailOut(Schema):
    code: str
    current_version: int  # the version in force, or else the latest
    versions: list[VersionOut]  # newest first


class CommitmentOut(Schema):
    code: str
    version: int
    touchpoint: str
    touchpoint_label: str
    commitment: str  # in the language asked for, Chinese when there is no English text
    commitment_zh: str
    commitment_en: str
    effective_from: datetime.date
    effective_until: datetime.date | None


def _standard_out(standard: ServiceStandard, today: datetime.date) -> dict:
    return {
        **{name: getattr(standard, name) for name in (
            "code", "state", "statement", "statement_en", "touchpoint", "factor", "indicator", "target",
            "measuring_method", "is_commitment", "commitment_text", "commitment_text_en", "effective_from",
            "effective_until", "revision_reason",
        )},
        # The public JSON keeps its names: `version` is the edition (v1, v2, …), `row_version` the edit counter.
        "version": standard.edition,
        "row_version": standard.version,
        "standing": standing(standard, today).key,
        "touchpoint_label": standard.get_touchpoint_display(),
        "factor_label": standard.get_factor_display(),
        "owner": standard.owner.code if standard.owner else None,
        "supersedes_version": standard.supersedes.edition if standard.supersedes else None,
    }


class CatalogueParams(Schema):
    state: str = "in_force"  # in_force, draft, retired or all
    touchpoint: str = ""
    factor: str = ""
    q: str = ""


@router.get("", response=list[StandardOut], summary="The catalogue of service standards (in force by default)")
def standard_list(request, params: Query[CatalogueParams]):
    require(request.auth, Perm.STANDARDS_VIEW)
    today = timezone.localdate()
    rows = standard_catalogue(request.auth, StandardFilters.from_params(params.dict()))
    return [_standard_out(row, today) for row in rows]


@router.get("/commitments", response=list[CommitmentOut], auth=None,
            summary="The commitments to customers in force today (public)")
def commitment_list(request):
    return [
        {
            "code": s.code, "version": s.edition, "touchpoint": s.touchpoint,
            "touchpoint_label": s.get_touchpoint_display(), "commitment": s.shown_commitment,
            "commitment_zh": s.commitment_text, "commitment_en": s.commitment_text_en,
            "effective_from": s.effective_from, "effective_until": s.effective_until,
        }
        for s in published_commitments(timezone.localdate())
    ]


@router.get("/{code}", response=StandardDetailOut, summary="One standard with every version and its history")
def standard_retrieve(request, code: str):
    today = timezone.localdate()
    history = standard_history(request.auth, code, today=today)
    return {
        "code": history.code,
        "current_version": history.current.edition,
        "versions": [
            {
                **_standard_out(v.standard, today),
                "events": [
                    {"action": e.action, "label": action_label(e.action), "occurred_at": e.occurred_at,
                     "actor": e.actor_name, "reason": (e.payload or {}).get("reason", "")}
                    for e in v.events
                ],
            }
            for v in history.versions
        ],
    }
