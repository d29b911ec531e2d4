"""What the quality pages and the home pages read (R9.5, R15.1): snapshots, targets and alerts, in a
fixed handful of queries however many requests there are."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from fuwu.core.errors import NotFound
from fuwu.org.models import Group
from fuwu.org.policy import Perm, can, require
from fuwu.quality.indicators import REGISTRY, Dimension, Granularity, Indicator, Period, Unit
from fuwu.quality.indicators.tickets import DRILL_PARAMS
from fuwu.quality.models import Alert, Snapshot, Target
from fuwu.standards.models import ServiceStandard
from fuwu.tickets.models import OPEN_STATUS_LIST, Ticket

# The figures of service health: (indicator, the period it is shown for).
HEALTH = (
    ("backlog", Granularity.DAY),
    ("breaches", Granularity.DAY),
    ("resolution_sla", Granularity.MONTH),
    ("first_response_sla", Granularity.MONTH),
    ("first_contact_resolution", Granularity.MONTH),
    ("satisfaction", Granularity.MONTH),
    ("complaints_per_thousand", Granularity.MONTH),
    ("complaint_success", Granularity.MONTH),
    ("repair_timeliness", Granularity.MONTH),
    ("onsite_arrival", Granularity.MONTH),
)
TREND_LENGTH = {Granularity.DAY: 30, Granularity.MONTH: 12}


@dataclass
class Tile:
    indicator: Indicator
    period: Period
    value: float | None
    target: Target | None
    url: str
    trend: list[tuple[str, float | None]] = field(default_factory=list)
    computed_at: datetime.datetime | None = None
    periods: list[Period] = field(default_factory=list)  # the trend's periods, oldest first

    @property
    def tone(self) -> str:
        """success within target, warning between target and alert level, danger past the alert level."""
        if self.value is None or self.target is None:
            return "neutral"
        if self.indicator.is_good(self.value, self.target.target):
            return "success"
        if self.indicator.is_good(self.value, self.target.alert_level):
            return "warning"
        return "danger"

    @property
    def display(self) -> str:
        return format_value(self.indicator, self.value)


def format_value(ind: Indicator, value: float | None) -> str:
    if value is None:
        return "—"
    if ind.unit == Unit.COUNT:
        return f"{int(value):,}"
    if ind.unit == Unit.PERCENT:
        return f"{value:.1f}%"
    return f"{value:.1f}"


def may_see(viewer) -> bool:
    return can(viewer, Perm.QUALITY_VIEW)


def targets_by_indicator(granularity: str | None = None) -> dict[tuple[str, str], Target]:
    qs = Target.objects.filter(is_active=True, dimension=Dimension.TOTAL)
    if granularity:
        qs = qs.filter(granularity=granularity)
    return {(t.indicator, t.granularity): t for t in qs}


def service_health(viewer, *, today: datetime.date | None = None) -> list[Tile]:
    """The service-health figures with their targets and trends: three queries (targets, snapshots,
    the live backlog)."""
    require(viewer, Perm.QUALITY_VIEW)
    today = today or timezone.localdate()
    targets = targets_by_indicator()
    periods = {g: Period.containing(g, today) for g in TREND_LENGTH}
    trend_periods = {g: p.last(TREND_LENGTH[g]) for g, p in periods.items()}
    starts = {g: trend_periods[g][0].start for g in periods}
    wanted = Q()
    for g in TREND_LENGTH:
        wanted |= Q(granularity=g, period_start__gte=starts[g], indicator__in=[c for c, cg in HEALTH if cg == g])
    rows = Snapshot.objects.filter(wanted, dimension=Dimension.TOTAL).values_list(
        "indicator", "granularity", "period_start", "value", "computed_at")
    by = {(code, g, start): (value, at) for code, g, start, value, at in rows}
    tiles = []
    for code, granularity in HEALTH:
        ind, period = REGISTRY[code], periods[granularity]
        current = by.get((code, granularity, period.start), (None, None))
        past = trend_periods[granularity]
        trend = [(p.label, by.get((code, granularity, p.start), (None,))[0]) for p in past]
        tiles.append(Tile(ind, period, current[0], targets.get((code, granularity)),
                          ind.drill(period) if ind.drill else "", trend, current[1], past))
    backlog = tiles[0]
    backlog.value = Ticket.objects.filter(status__in=OPEN_STATUS_LIST).count()  # live: the one figure always now
    backlog.computed_at = timezone.now()
    return tiles


@dataclass
class RankRow:
    label: str
    value: float | None
    display: str
    volume: int
    url: str


MIN_VOLUME = 3  # a staff member with fewer settled clocks in the month is not ranked (one breach is not a rate)


def rankings(viewer, *, today: datetime.date | None = None, size: int = 5) -> list[dict]:
    """Groups and staff ranked by this month's resolution compliance: one query for the snapshots, one
    for each kind of label. With few rows the best half and the lowest half; else the top and bottom `size`."""
    require(viewer, Perm.QUALITY_VIEW)
    period = Period.containing(Granularity.MONTH, today or timezone.localdate())
    wanted = (("resolution_sla", Dimension.GROUP), ("resolution_sla", Dimension.STAFF))
    rows = list(Snapshot.objects.filter(granularity=Granularity.MONTH, period_start=period.start,
                                        dimension__in=[d for _, d in wanted], indicator="resolution_sla",
                                        denominator__gt=0))
    keys = {d: [int(r.dimension_key) for r in rows if r.dimension == d and r.dimension_key.isdigit()]
            for _, d in wanted}
    labels = {Dimension.GROUP: {str(g.pk): str(g.name) for g in Group.objects.filter(pk__in=keys[Dimension.GROUP])},
              Dimension.STAFF: {str(u.pk): u.get_full_name() or u.get_username()
                                for u in get_user_model().objects.filter(pk__in=keys[Dimension.STAFF])}}
    result = []
    for code, dim in wanted:
        ind = REGISTRY[code]
        least = MIN_VOLUME if dim == Dimension.STAFF else 1
        mine = sorted((r for r in rows if r.dimension == dim and r.value is not None and r.denominator >= least),
                      key=lambda r: (-r.value, -(r.denominator or 0)))
        base = ind.drill(period) if ind.drill else ""
        half = min(size, (len(mine) + 1) // 2)

        def row(r, base=base, dim=dim, ind=ind):
            return RankRow(labels[dim].get(r.dimension_key, "—"), r.value, format_value(ind, r.value),
                           int(r.denominator or 0),
                           f"{base}&{DRILL_PARAMS[dim]}={r.dimension_key}" if base else "")
        result.append({"indicator": ind, "dimension": Dimension(dim).label, "period": period,
                       "best": [row(r) for r in mine[:half]],
                       "worst": [row(r) for r in mine[half:][::-1][:size]]})
    return result


def my_day(viewer) -> dict:
    """An agent's work for today: one query over the requests they own."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    end = start + datetime.timedelta(days=1)
    mine = Ticket.objects.filter(owner=viewer).order_by()
    counts = mine.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUS_LIST)),
        breached=Count("pk", filter=Q(status__in=OPEN_STATUS_LIST, sla_state="breached")),
        warning=Count("pk", filter=Q(status__in=OPEN_STATUS_LIST, sla_state="warning")),
        due_today=Count("pk", filter=Q(status__in=OPEN_STATUS_LIST, sla_due_at__lt=end)),
        resolved=Count("pk", filter=Q(resolved_at__gte=start, resolved_at__lt=end)),
    )
    return {"counts": counts, "today": today}


def catalogue(viewer) -> list[dict]:
    """Every indicator with its definition, the standard it measures and its targets."""
    require(viewer, Perm.QUALITY_VIEW)
    targets: dict[str, list[Target]] = {}
    for t in Target.objects.filter(is_active=True).select_related("owner"):
        targets.setdefault(t.indicator, []).append(t)
    standards = {std.code: std for std in ServiceStandard.objects.filter(
        code__in={i.standard for i in REGISTRY.values()}, state=ServiceStandard.State.IN_FORCE)}
    return [{"indicator": ind, "targets": targets.get(ind.code, []), "standard": standards.get(ind.standard),
             "dimensions": [Dimension(d).label for d in ind.dimensions]} for ind in REGISTRY.values()]


def alerts_visible_to(viewer) -> QuerySet[Alert]:
    require(viewer, Perm.QUALITY_VIEW)
    return Alert.objects.select_related("target", "target__owner")


def access_alert(viewer, alert_id: int) -> Alert:
    try:
        return alerts_visible_to(viewer).get(pk=alert_id)
    except (Alert.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def access_target(viewer, target_id: int) -> Target:
    require(viewer, Perm.QUALITY_VIEW)
    try:
        return Target.objects.get(pk=target_id, is_active=True)
    except (Target.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def home_health(viewer) -> dict:
    """Everything the managers' home pages show of service health, with the chart data."""
    tiles = service_health(viewer)
    chart = {"tiles": []}
    for t in tiles:
        ind = t.indicator
        periods = t.periods
        chart["tiles"].append({
            "name": str(ind.label), "labels": [label for label, _v in t.trend],
            "values": [None if v is None else round(v, 2) for _l, v in t.trend],
            "urls": [ind.drill(p) if ind.drill else "" for p in periods],
            "target": t.target.target if t.target else None, "alert": t.target.alert_level if t.target else None})
    open_alerts = Alert.objects.filter(state=Alert.State.OPEN).count()
    computed = [t.computed_at for t in tiles[1:] if t.computed_at]
    return {"tiles": tiles, "rankings": rankings(viewer), "chart": chart, "open_alerts": open_alerts,
            "alerts_label": ngettext("%(n)d open alert", "%(n)d open alerts", open_alerts) % {"n": open_alerts},
            "computed_at": min(computed) if computed else None}


def alert_label(alert_id: int) -> str | None:
    """How an improvement action names the alert it came from, or None for no such alert."""
    alert = Alert.objects.select_related("target").filter(pk=alert_id).first()
    if alert is None:
        return None
    ind = REGISTRY.get(alert.target.indicator)
    period = Period(alert.target.granularity, alert.period_start)
    if ind is None:
        return f"{alert.target.indicator} {period.label}: {alert.value}"
    return f"{ind.label} {period.label}: {format_value(ind, alert.value)}"


def alert_url(alert_id: int) -> str:
    return f"{reverse('quality:alerts')}#alert-{alert_id}"
