"""Reads of service standards and published commitments (R10.1, R10.2).

Staff with `Perm.STANDARDS_VIEW` read the catalogue and every version of a standard (its history);
anyone, logged in or not, reads the commitments in force on a day (`published_commitments`).
Texts come in the viewer's language: `shown_statement` and `shown_commitment` fall back to Chinese
when no English text was written.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import translation
from django.utils.translation import gettext as _

from fuwu.core.errors import NotFound
from fuwu.core.models import AuditEvent
from fuwu.org.policy import Perm, can, require
from fuwu.standards.models import ServiceStandard
from fuwu.standards.models.commitments import Factor, Touchpoint

State = ServiceStandard.State
TOUCHPOINT_ORDER = list(Touchpoint.values)  # the service cycle, from reaching us to complaints
STATE_FILTERS = ("in_force", "draft", "retired", "all")


@dataclass(frozen=True)
class StandardFilters:
    """One filter definition for the catalogue page and `GET /api/v1/standards` (one filter for page and API)."""

    touchpoint: str = ""
    factor: str = ""
    state: str = "in_force"  # or draft, retired, all
    q: str = ""

    @classmethod
    def from_params(cls, params) -> "StandardFilters":
        """From a query dict, silently dropping values that are not choices."""
        touchpoint = params.get("touchpoint", "")
        factor = params.get("factor", "")
        state = params.get("state", "") or "in_force"
        return cls(
            touchpoint=touchpoint if touchpoint in Touchpoint.values else "",
            factor=factor if factor in Factor.values else "",
            state=state if state in STATE_FILTERS else "in_force",
            q=(params.get("q", "") or "").strip()[:100],
        )


def _cycle_order() -> Case:
    return Case(
        *[When(touchpoint=value, then=Value(index)) for index, value in enumerate(TOUCHPOINT_ORDER)],
        default=Value(len(TOUCHPOINT_ORDER)),
        output_field=IntegerField(),
    )


def localise(standards):
    """Set `shown_statement` and `shown_commitment` in the active language; returns the same rows."""
    english = translation.get_language() == "en"
    for standard in standards:
        standard.shown_statement = (english and standard.statement_en) or standard.statement
        standard.shown_commitment = (english and standard.commitment_text_en) or standard.commitment_text
    return standards


def standards_visible_to(viewer) -> QuerySet[ServiceStandard]:
    if not can(viewer, Perm.STANDARDS_VIEW):
        return ServiceStandard.objects.none()
    return ServiceStandard.objects.all()


def standard_catalogue(viewer, filters: StandardFilters) -> list[ServiceStandard]:
    """The catalogue in service-cycle order; with `state="all"` every version is listed."""
    qs = standards_visible_to(viewer).select_related("owner", "supersedes")
    if filters.state != "all":
        qs = qs.filter(state=filters.state)
    if filters.touchpoint:
        qs = qs.filter(touchpoint=filters.touchpoint)
    if filters.factor:
        qs = qs.filter(factor=filters.factor)
    if filters.q:
        qs = qs.filter(
            Q(code__icontains=filters.q) | Q(statement__icontains=filters.q) | Q(statement_en__icontains=filters.q)
            | Q(indicator__icontains=filters.q) | Q(commitment_text__icontains=filters.q)
        )
    rows = list(qs.annotate(cycle=_cycle_order()).order_by("cycle", "code", "-edition"))
    return localise(rows)


def by_touchpoint(rows: list[ServiceStandard]) -> list[tuple[Touchpoint, list[ServiceStandard]]]:
    """Rows grouped by touchpoint, in the order of the service cycle (服务圈)."""
    groups: dict[str, list[ServiceStandard]] = defaultdict(list)
    for row in rows:
        groups[row.touchpoint].append(row)
    return [(Touchpoint(value), groups[value]) for value in TOUCHPOINT_ORDER if groups.get(value)]


def state_counts(viewer) -> dict[str, int]:
    """How many versions are in each state, for the catalogue's filter tabs."""
    counts = {value: 0 for value in State.values}
    for row in standards_visible_to(viewer).values("state").order_by():
        counts[row["state"]] += 1
    counts["all"] = sum(counts.values())
    return counts


@dataclass(frozen=True)
class Standing:
    """Where a version stands on a day: a key for the badge's colour, and a sentence."""

    key: str  # draft, scheduled, in_force, ending, retired, withdrawn
    label: str


def standing(standard: ServiceStandard, today: datetime.date) -> Standing:
    start, until = standard.effective_from, standard.effective_until
    if standard.state == State.DRAFT:
        return Standing("draft", _("Draft"))
    if standard.state == State.IN_FORCE:
        if start and start > today:
            return Standing("scheduled", _("Takes effect on %(d)s") % {"d": start.isoformat()})
        return Standing("in_force", _("In force since %(d)s") % {"d": start.isoformat() if start else "—"})
    if start is None:
        return Standing("withdrawn", _("Withdrawn draft"))
    if until is not None and until < start:
        return Standing("retired", _("Replaced before it took effect"))
    if until is not None and start <= today <= until:
        return Standing("ending", _("In force until %(d)s") % {"d": until.isoformat()})
    return Standing("retired", _("Retired after %(d)s") % {"d": until.isoformat() if until else "—"})


@dataclass
class VersionHistory:
    """One version with its standing and the events written about it (who did what, when, why)."""

    standard: ServiceStandard
    standing: Standing
    events: list[AuditEvent] = field(default_factory=list)


@dataclass
class StandardHistory:
    code: str
    versions: list[VersionHistory]  # newest first

    @property
    def current(self) -> ServiceStandard:
        """The version in force, or else the latest one."""
        return next((v.standard for v in self.versions if v.standard.state == State.IN_FORCE),
                    self.versions[0].standard)

    @property
    def draft(self) -> ServiceStandard | None:
        return next((v.standard for v in self.versions if v.standard.state == State.DRAFT), None)

    @property
    def latest(self) -> ServiceStandard:
        return self.versions[0].standard


def standard_history(viewer, code: str, *, today: datetime.date) -> StandardHistory:
    """Every version of a standard, newest first, with its audit events (R10.2). Three queries."""
    require(viewer, Perm.STANDARDS_VIEW)
    versions = localise(list(
        ServiceStandard.objects.filter(code=code).select_related("owner", "created_by", "supersedes")
        .order_by("-edition")
    ))
    if not versions:
        raise NotFound()
    events: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in AuditEvent.objects.filter(
        object_type=ServiceStandard._meta.label_lower, object_id__in=[str(v.pk) for v in versions]
    ).order_by("id"):
        events[event.object_id].append(event)
    for version in versions:
        version.standing = standing(version, today)
    return StandardHistory(
        code=code, versions=[VersionHistory(v, v.standing, events[str(v.pk)]) for v in versions]
    )


def access_standard(viewer, code: str, edition: int, *, for_write: bool = False) -> ServiceStandard:
    """One version of a standard the viewer may see (and, with for_write, change), or raise."""
    require(viewer, Perm.STANDARDS_MANAGE if for_write else Perm.STANDARDS_VIEW)
    found = ServiceStandard.objects.select_related("owner").filter(code=code, edition=edition).first()
    if found is None:
        raise NotFound()
    return localise([found])[0]


def published_commitments(today: datetime.date) -> list[ServiceStandard]:
    """The commitments to customers (服务承诺) in force on `today`, in service-cycle order (R10.1).

    Public: no viewer. A version published to take effect later is not shown before its date; a
    version it replaces, or one retired from a later date, is shown until its last day.
    """
    qs = (
        ServiceStandard.objects.filter(
            is_commitment=True,
            state__in=[State.IN_FORCE, State.RETIRED],
            effective_from__lte=today,
        )
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=today))
        .annotate(cycle=_cycle_order())
        .order_by("cycle", "code")
    )
    return localise(list(qs))


def commitments_by_touchpoint(today: datetime.date) -> list[tuple[Touchpoint, list[ServiceStandard]]]:
    return by_touchpoint(published_commitments(today))

