"""Reads of inspections (R9.4, R9.7), filtered by the viewer: INSPECTION_VIEW sees every result; any
staff member sees the results about themselves (`/inspections/mine/`).

`inspection_scores` is the indicator input the quality dashboards and reports call (above this app):
average scores per touchpoint, group, staff member, checklist, kind or month for a period, aggregated
in the database.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from fuwu.core.errors import NotFound
from fuwu.core.validation import MAX_ID
from fuwu.inspections.models import (
    Checklist,
    ChecklistKind,
    Finding,
    Inspection,
    InspectionRound,
    RoundStatus,
    Touchpoint,
)
from fuwu.org.models import Group
from fuwu.org.policy import Perm, can, is_staff_member, permission_denied
from fuwu.tickets.models import Ticket


def may_view(viewer) -> bool:
    return can(viewer, Perm.INSPECTION_VIEW)


def checklists_visible_to(viewer) -> QuerySet[Checklist]:
    if not may_view(viewer):
        return Checklist.objects.none()
    return Checklist.objects.select_related("created_by").annotate(
        item_count=Count("items", distinct=True), inspection_count=Count("inspections", distinct=True))


def checklist_for(viewer, checklist_id: int) -> Checklist:
    if not may_view(viewer):
        raise permission_denied(Perm.INSPECTION_VIEW)
    checklist = checklists_visible_to(viewer).filter(pk=checklist_id).first() if 0 < checklist_id <= MAX_ID else None
    if checklist is None:
        raise NotFound()
    return checklist


def versions_of(checklist: Checklist) -> QuerySet[Checklist]:
    return Checklist.objects.filter(code=checklist.code).annotate(
        inspection_count=Count("inspections")).order_by("-edition")


def published_checklists(viewer) -> QuerySet[Checklist]:
    return checklists_visible_to(viewer).filter(status="published").order_by("touchpoint", "title")


def rounds_visible_to(viewer, *, status: str = "") -> QuerySet[InspectionRound]:
    if not may_view(viewer):
        return InspectionRound.objects.none()
    qs = InspectionRound.objects.select_related("checklist").annotate(
        inspection_count=Count("inspections", distinct=True),
        finding_count=Count("inspections__finding", distinct=True))
    if status == "open":
        qs = qs.filter(status__in=[RoundStatus.PLANNED, RoundStatus.IN_PROGRESS])
    elif status in RoundStatus.values:
        qs = qs.filter(status=status)
    return qs


def rounds_for_inspector(viewer) -> QuerySet[InspectionRound]:
    """The rounds in progress this person inspects on (their scoring list)."""
    return rounds_visible_to(viewer).filter(status=RoundStatus.IN_PROGRESS, inspectors=viewer)


def round_for(viewer, round_id: int) -> InspectionRound:
    if not may_view(viewer):
        raise permission_denied(Perm.INSPECTION_VIEW)
    found = InspectionRound.objects.select_related("checklist", "created_by").prefetch_related(
        "inspectors", "target_groups", "target_staff").filter(pk=round_id).first() if 0 < round_id <= MAX_ID else None
    if found is None:
        raise NotFound()
    return found


def inspections_visible_to(viewer) -> QuerySet[Inspection]:
    qs = Inspection.objects.select_related("checklist", "inspector", "staff", "group", "ticket", "round",
                                           "finding", "finding__ticket")
    if may_view(viewer):
        return qs
    if is_staff_member(viewer):
        return qs.filter(staff=viewer)  # one's own results (R9.5: feedback to the person)
    return qs.none()


def inspection_for(viewer, inspection_id: int) -> Inspection:
    found = inspections_visible_to(viewer).filter(pk=inspection_id).first() if 0 < inspection_id <= MAX_ID else None
    if found is None:
        if not is_staff_member(viewer):
            raise permission_denied(Perm.INSPECTION_VIEW)
        raise NotFound()
    return found


def item_scores(inspection: Inspection) -> list:
    return list(inspection.scores.select_related("item").order_by("item__position", "item_id"))


def findings_visible_to(viewer) -> QuerySet[Finding]:
    if not may_view(viewer):
        return Finding.objects.none()
    return Finding.objects.select_related("inspection", "inspection__checklist", "group", "ticket")


def finding_label(finding_id: int) -> str | None:
    """How an improvement action names the finding it comes from: the request it became."""
    finding = Finding.objects.select_related("ticket", "inspection__checklist").filter(pk=finding_id).first() \
        if 0 < finding_id <= MAX_ID else None
    if finding is None:
        return None
    return f"{finding.ticket.number if finding.ticket_id else ''} {finding.inspection.checklist.title}".strip()


def finding_url(finding_id: int) -> str | None:
    inspection_id = Finding.objects.filter(pk=finding_id).values_list("inspection_id", flat=True).first()
    return f"/inspections/{inspection_id}/#finding" if inspection_id else None


def inspection_targets(round_: InspectionRound) -> dict:
    """Whom a round inspects: its groups and staff, and the requests sampled for it (registered in the
    period, resolved or closed, by the groups named, at random but the same on every load)."""
    requests = Ticket.objects.none()
    if round_.sample_size:
        start = timezone.make_aware(datetime.datetime.combine(round_.period_start, datetime.time.min))
        end = timezone.make_aware(datetime.datetime.combine(round_.period_end, datetime.time.max))
        requests = Ticket.objects.filter(received_at__range=(start, end)).select_related("owner", "group")
        groups = [g.pk for g in round_.target_groups.all()]
        if groups:
            requests = requests.filter(group_id__in=groups)
        ids = sorted(requests.values_list("pk", flat=True)[:5000])
        step = max(1, len(ids) // round_.sample_size) if ids else 1
        chosen = ids[round_.pk % step::step][:round_.sample_size] if ids else []
        requests = Ticket.objects.filter(pk__in=chosen).select_related("owner", "group").order_by("received_at")
    return {"groups": list(round_.target_groups.all()), "staff": list(round_.target_staff.all()),
            "requests": list(requests)}


# --- the indicator input -------------------------------------------------------------------------

BREAKDOWNS = ("touchpoint", "group", "staff", "checklist", "kind", "month")


@dataclass(frozen=True)
class ScoreRow:
    """One line of `inspection_scores`: the key (a touchpoint or kind value, a group/staff/checklist id,
    or the first day of a month), its label, how many inspections, their average score in percent
    (two decimals), how many passed, and how many gave a finding."""

    key: object
    label: str
    count: int
    average: Decimal
    passed: int
    findings: int

    @property
    def pass_rate(self) -> Decimal:
        return (Decimal(self.passed) * 100 / self.count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) \
            if self.count else Decimal(0)


def _labels(by: str, keys: list) -> dict:
    if by == "touchpoint":
        return dict(Touchpoint.choices)
    if by == "kind":
        return dict(ChecklistKind.choices)
    if by == "group":
        return dict(Group.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "staff":
        users = get_user_model().objects.filter(pk__in=keys)
        return {u.pk: u.get_full_name() or u.username for u in users}
    if by == "checklist":
        return {c.pk: str(c) for c in Checklist.objects.filter(pk__in=keys)}
    return {key: key.strftime("%Y-%m") if key else "" for key in keys}


def inspection_scores(*, viewer, start: datetime.date, end: datetime.date, by: str = "touchpoint",
                      kind: str = "", group_id: int | None = None, staff_id: int | None = None) -> list[ScoreRow]:
    """Average inspection scores observed from `start` to `end` (both inclusive, local days), one row
    per `by` value (one of BREAKDOWNS), best average first (months in order). One grouped query.

    A viewer with INSPECTION_VIEW reads everyone's; any other staff member only their own results
    (a dashboard shown to them shows their own averages); others nothing. `kind` narrows to service
    inspections or mystery shopping, `group_id` to one group, `staff_id` to one person's results.
    """
    if by not in BREAKDOWNS:
        raise ValueError(f"by must be one of {BREAKDOWNS}")
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    qs = inspections_visible_to(viewer).filter(observed_at__gte=since, observed_at__lt=until).select_related(None)
    if kind:
        qs = qs.filter(kind=kind)
    if group_id:
        qs = qs.filter(group_id=group_id)
    if staff_id:
        qs = qs.filter(staff_id=staff_id)
    field = {"group": "group_id", "staff": "staff_id", "checklist": "checklist_id"}.get(by, by)
    if by == "month":
        qs = qs.annotate(month=TruncMonth("observed_at", tzinfo=zone))
    elif by == "staff":
        qs = qs.filter(staff__isnull=False)
    rows = list(qs.order_by().values(field).annotate(
        n=Count("id"), avg=Avg("score"), ok=Count("id", filter=Q(passed=True)),
        found=Count("finding", distinct=True)))
    keys = [row[field] for row in rows]
    labels = _labels(by, keys)
    result = [ScoreRow(key=row[field].date() if isinstance(row[field], datetime.datetime) else row[field],
                       label=str(labels.get(row[field], row[field])), count=row["n"],
                       average=Decimal(str(row["avg"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                       passed=row["ok"], findings=row["found"]) for row in rows]
    if by == "month":
        return sorted(result, key=lambda r: r.key)
    return sorted(result, key=lambda r: (-r.average, r.label))


def inspection_summary(*, viewer, start: datetime.date, end: datetime.date) -> dict:
    """The totals of a period: inspections, average score, passed, findings."""
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    totals = inspections_visible_to(viewer).filter(observed_at__gte=since, observed_at__lt=until).order_by(
    ).aggregate(n=Count("id"), avg=Avg("score"), ok=Count("id", filter=Q(passed=True)),
                found=Count("finding", distinct=True))
    if totals["avg"] is not None:
        totals["avg"] = Decimal(str(totals["avg"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return totals
