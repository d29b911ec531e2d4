"""What the result pages read (R9.5, R11.5): results scoped by the viewer — every staff member's with
`MERIT_VIEW`, one's own otherwise — with the figure behind each linked to the requests behind it."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from fuwu.core.errors import NotFound
from fuwu.org.policy import Perm, can, is_staff_member, require
from fuwu.quality.indicators import REGISTRY, Granularity, Indicator, Period
from fuwu.quality.indicators.tickets import DRILL_PARAMS
from fuwu.quality.merit.rules import SYMBOLS
from fuwu.quality.models import MeritResult, MeritRule
from fuwu.quality.selectors import format_value

# The query parameter of the list behind a figure that picks one staff member, where it is not the ticket
# list's `owner` (the survey figures have none: they link to the period's figures).
STAFF_PARAM = {"valid_complaints": "responsible", "satisfaction": "", "nps": ""}


def results_visible_to(viewer) -> QuerySet[MeritResult]:
    """Every result for `MERIT_VIEW`; a staff member's own otherwise; nothing for anyone else."""
    qs = MeritResult.objects.select_related("rule", "subject", "group", "decided_by")
    if can(viewer, Perm.MERIT_VIEW):
        return qs
    if is_staff_member(viewer):
        return qs.filter(subject=viewer)
    return qs.none()


def access_result(viewer, result_id: int) -> MeritResult:
    try:
        return results_visible_to(viewer).get(pk=result_id)
    except (MeritResult.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def rules_visible_to(viewer, *, retired: bool = False) -> QuerySet[MeritRule]:
    require(viewer, Perm.MERIT_VIEW)
    qs = MeritRule.objects.select_related("created_by")
    return qs if retired else qs.filter(is_active=True)


def access_rule(viewer, rule_id: int) -> MeritRule:
    try:
        return rules_visible_to(viewer, retired=True).get(pk=rule_id)
    except (MeritRule.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def figure_url(ind: Indicator | None, period: Period, staff_id: int) -> str:
    """The list of what is behind one staff member's figure, as the home pages' drill-through."""
    if ind is None or ind.drill is None:
        return ""
    base = ind.drill(period)
    param = STAFF_PARAM.get(ind.code, DRILL_PARAMS["staff"])
    return f"{base}&{param}={staff_id}" if param and "?" in base else base


@dataclass
class ResultRow:
    result: MeritResult
    indicator: Indicator | None
    period: Period
    display: str
    threshold: str
    url: str

    @property
    def tone(self) -> str:
        return {"reward": "success", "penalty": "danger", "coaching": "warning"}.get(self.result.rule.outcome,
                                                                                     "neutral")


def result_row(r: MeritResult) -> ResultRow:
    ind = REGISTRY.get(r.rule.indicator)
    period = Period(r.granularity, r.period_start)
    threshold = f"{SYMBOLS[r.rule.comparison]} {format_value(ind, r.rule.threshold) if ind else r.rule.threshold}"
    return ResultRow(r, ind, period, format_value(ind, r.value) if ind else f"{r.value:g}", threshold,
                     figure_url(ind, period, r.subject_id))


def last_closed(granularity: str, today: datetime.date | None = None) -> Period:
    return Period.containing(granularity, today or timezone.localdate()).previous()


def period_board(viewer, period: Period, *, state: str = "") -> list[dict]:
    """The period's outcomes (proposed and decided) per group, with the figures behind them: one query."""
    require(viewer, Perm.MERIT_VIEW)
    qs = results_visible_to(viewer).filter(granularity=period.granularity, period_start=period.start).exclude(
        state=MeritResult.State.NONE)
    if state in MeritResult.State.values:
        qs = qs.filter(state=state)
    groups: dict[int | None, dict] = {}
    for r in qs.order_by("group__name", "subject__last_name", "subject__first_name", "subject_id", "rule_code"):
        g = groups.setdefault(r.group_id, {"group": r.group, "rows": [], "proposed": 0})
        g["rows"].append(result_row(r))
        g["proposed"] += r.state == MeritResult.State.PROPOSED
    return list(groups.values())


def period_counts(viewer, period: Period) -> dict[str, int]:
    """How many results of the period are in each state: one query."""
    require(viewer, Perm.MERIT_VIEW)
    rows = (MeritResult.objects.filter(granularity=period.granularity, period_start=period.start).order_by()
            .values("state").annotate(n=Count("pk")))
    counts = dict.fromkeys(MeritResult.State.values, 0)
    counts.update({r["state"]: r["n"] for r in rows})
    return counts


def my_results(viewer, *, periods: int = 6) -> dict:
    """A staff member's own results of the last `periods` months and quarters, newest first, with the
    points confirmed: two queries."""
    today = timezone.localdate()
    since = Period.containing(Granularity.MONTH, today).last(periods + 1)[0].start
    qs = (MeritResult.objects.filter(subject=viewer, period_start__gte=since).select_related("rule", "decided_by")
          .order_by("-period_start", "-granularity", "rule_code"))
    rows = sorted((result_row(r) for r in qs), key=lambda row: (
        -row.result.period_start.toordinal(), row.result.granularity, row.result.state == MeritResult.State.NONE))
    points = MeritResult.objects.filter(subject=viewer, state=MeritResult.State.CONFIRMED,
                                        period_start__gte=since).aggregate(p=Sum("rule__points"))["p"] or 0
    return {"rows": rows, "points": points, "since": since}


def confirmed_outcomes(since: datetime.datetime, until: datetime.datetime) -> list[dict]:
    """Outcomes confirmed in [since, until) per rule: how many staff members, the points, one grouped query
    (the monthly report, R9.6)."""
    rows = (MeritResult.objects.filter(state=MeritResult.State.CONFIRMED, decided_at__gte=since,
                                       decided_at__lt=until).order_by()
            .values("rule__outcome", "rule__description", "rule__points")
            .annotate(people=Count("subject_id", distinct=True), n=Count("pk")))
    return sorted(({"outcome": r["rule__outcome"], "rule": r["rule__description"], "points": r["rule__points"],
                    "people": r["people"], "count": r["n"]} for r in rows),
                  key=lambda r: (["reward", "coaching", "penalty"].index(r["outcome"])
                                 if r["outcome"] in ("reward", "coaching", "penalty") else 9, r["rule"]))


def pending_count() -> int:
    return MeritResult.objects.filter(state=MeritResult.State.PROPOSED).count()

