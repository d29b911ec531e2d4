"""Quality monitoring's state changes (R9.5): targets, the snapshot job and its alerts."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput
from fuwu.core.locking import bump_version, lock_row
from fuwu.core.outbox import outbox_notify
from fuwu.improvements.actions import improvement_action_open
from fuwu.improvements.models import ImprovementAction
from fuwu.org.policy import Perm, require
from fuwu.quality.codes import QualityAction, QualityError
from fuwu.quality.indicators import REGISTRY, TOTAL_KEY, Dimension, Direction, Granularity, Period
from fuwu.quality.indicators.rolled import one_reading
from fuwu.quality.models import Alert, Snapshot, Target
from fuwu.quality.rollup import rollup_refresh

# The breakdowns the job keeps for the home pages' rankings, beside every indicator's total.
RANKED = (("resolution_sla", Dimension.GROUP), ("resolution_sla", Dimension.STAFF),
          ("backlog", Dimension.GROUP), ("satisfaction", Dimension.GROUP))


def _check_target(indicator: str, dimension: str, target: float, alert_level: float) -> None:
    ind = REGISTRY.get(indicator)
    if ind is None:
        raise InvalidInput(code=QualityError.UNKNOWN_INDICATOR, errors={"indicator": [_("No such indicator.")]})
    if dimension not in ind.dimensions:
        raise InvalidInput(code=QualityError.BAD_DIMENSION,
                           errors={"dimension": [_("This indicator has no such dimension.")]})
    worse = alert_level <= target if ind.direction == Direction.HIGHER else alert_level >= target
    if not worse:
        raise InvalidInput(code=QualityError.BAD_LEVELS, errors={"alert_level": [
            _("The alert level must lie on the wrong side of the target.")]})


@transaction.atomic
def target_set(*, actor, indicator: str, granularity: str, target: float, alert_level: float, owner,
               dimension: str = Dimension.TOTAL, dimension_key: str = "") -> Target:
    """Set the target of an indicator for a period (and a key of a dimension): a new row, or the active
    one changed."""
    require(actor, Perm.QUALITY_MANAGE)
    if granularity not in Granularity.values:
        raise InvalidInput(errors={"granularity": [_("Choose a period.")]})
    _check_target(indicator, dimension, target, alert_level)
    if dimension == Dimension.TOTAL:
        dimension_key = ""
    now = timezone.now()
    existing = Target.objects.select_for_update().filter(
        indicator=indicator, granularity=granularity, dimension=dimension, dimension_key=dimension_key,
        is_active=True).first()
    old = None
    if existing is None:
        row = Target.objects.create(indicator=indicator, granularity=granularity, dimension=dimension,
                                    dimension_key=dimension_key, target=target, alert_level=alert_level,
                                    owner=owner, created_at=now, updated_at=now)
    else:
        row = existing
        old = {"target": row.target, "alert_level": row.alert_level, "owner": row.owner_id}
        row.target, row.alert_level, row.owner, row.updated_at = target, alert_level, owner, now
        bump_version(row, "target", "alert_level", "owner", "updated_at")
    audit_record(actor=actor, action=QualityAction.TARGET_SET, obj=row, payload={
        "indicator": indicator, "granularity": granularity, "dimension": dimension, "key": dimension_key,
        "target": target, "alert_level": alert_level, "owner": owner.pk, "old": old})
    return row


@transaction.atomic
def target_retire(*, actor, target: Target, version: int) -> Target:
    require(actor, Perm.QUALITY_MANAGE)
    row = lock_row(Target.objects.all(), target.pk, expected_version=version)
    row.is_active = False
    row.updated_at = timezone.now()
    bump_version(row, "is_active", "updated_at")
    audit_record(actor=actor, action=QualityAction.TARGET_RETIRED, obj=row, payload={"indicator": row.indicator})
    return row


def _wanted(targets: list[Target]) -> set[tuple[str, str]]:
    wanted = {(code, Dimension.TOTAL) for code in REGISTRY} | set(RANKED)
    wanted |= {(t.indicator, t.dimension) for t in targets}
    return {(code, dim) for code, dim in wanted if code in REGISTRY and dim in REGISTRY[code].dimensions}


def _compute_period(period: Period, wanted: set[tuple[str, str]], now) -> list[Snapshot]:
    with one_reading():
        return _compute_rows(period, wanted, now)


def _compute_rows(period: Period, wanted: set[tuple[str, str]], now) -> list[Snapshot]:
    rows = []
    for code, dimension in sorted(wanted):
        ind = REGISTRY[code]
        for key, v in ind.compute(period.since, period.until, dimension).items():
            if dimension != Dimension.TOTAL and key == TOTAL_KEY:
                continue  # the total is kept once, under the total dimension
            rows.append(Snapshot(indicator=code, granularity=period.granularity, period_start=period.start,
                                 dimension=dimension, dimension_key=key, numerator=v.numerator,
                                 denominator=v.denominator, value=ind.value_of(v), computed_at=now))
    return rows


def snapshots_compute(*, actor=None, day: datetime.date | None = None,
                      granularities: tuple[str, ...] = tuple(Granularity.values), previous: bool = False) -> int:
    """Compute every indicator for the periods containing `day` (and, with `previous`, the periods
    before them) and raise the alerts their targets call for. Idempotent: a snapshot is replaced,
    an alert is raised once per target and period. Returns the snapshots written."""
    day = day or timezone.localdate()
    targets = list(Target.objects.filter(is_active=True).select_related("owner"))
    wanted = _wanted(targets)
    written = 0
    for granularity in granularities:
        period = Period.containing(granularity, day)
        for p in ([period.previous(), period] if previous else [period]):
            with transaction.atomic():
                now = timezone.now()
                rows = _compute_period(p, wanted, now)
                Snapshot.objects.bulk_create(
                    rows, update_conflicts=True,
                    unique_fields=["indicator", "granularity", "period_start", "dimension", "dimension_key"],
                    update_fields=["numerator", "denominator", "value", "computed_at"])
                written += len(rows)
                _raise_alerts(p, [t for t in targets if t.granularity == granularity], rows)
    if actor is not None or written:
        with transaction.atomic():
            audit_record(actor=actor, action=QualityAction.SNAPSHOTS_COMPUTED,
                         payload={"day": day.isoformat(), "granularities": list(granularities), "written": written})
    return written


def rollup_compute(*, actor=None, today: datetime.date | None = None) -> int:
    """Bring the daily rollup up to date (R9.6, R15.1): every finished day not yet rolled up,
    yesterday, and the days touched by requests changed since the last run (fuwu/quality/rollup.py).
    Idempotent. Returns the days written."""
    written = rollup_refresh(today=today)
    if actor is not None or written:
        with transaction.atomic():
            audit_record(actor=actor, action=QualityAction.ROLLUP_COMPUTED,
                         payload={"day": (today or timezone.localdate()).isoformat(), "days": written})
    return written


def _raise_alerts(period: Period, targets: list[Target], rows: list[Snapshot]) -> None:
    values = {(r.indicator, r.dimension, r.dimension_key): r.value for r in rows}
    for target in targets:
        value = values.get((target.indicator, target.dimension, target.dimension_key))
        if value is None:
            continue
        ind = REGISTRY[target.indicator]
        crossed = value < target.alert_level if ind.direction == Direction.HIGHER else value > target.alert_level
        if crossed:
            alert_raise(target=target, period=period, value=value)


def alert_raise(*, target: Target, period: Period, value: float) -> Alert | None:
    """One alert per target and period, its notice to the responsible manager queued once (R9.5)."""
    with transaction.atomic():
        if Alert.objects.filter(target=target, period_start=period.start).exists():
            return None
        alert = Alert.objects.create(target=target, period_start=period.start, value=value, raised_at=timezone.now())
        ind = REGISTRY[target.indicator]
        outbox_notify(
            recipients=[target.owner],
            subject=lambda: _("%(indicator)s %(period)s: %(value)s, alert level %(level)s") % {
                "indicator": ind.label, "period": period.label, "value": round(value, 1),
                "level": target.alert_level},
            url=reverse("quality:alerts"), obj=alert, dedupe_key=f"quality.alert:{alert.pk}")
        audit_record(actor=None, action=QualityAction.ALERT_RAISED, obj=alert, payload={
            "indicator": target.indicator, "period": period.start.isoformat(), "granularity": target.granularity,
            "value": value, "alert_level": target.alert_level, "owner": target.owner_id})
    return alert


@transaction.atomic
def alert_acknowledge(*, actor, alert: Alert, version: int) -> Alert:
    require(actor, Perm.QUALITY_MANAGE)
    row = lock_row(Alert.objects.all(), alert.pk, expected_version=version)
    if row.state != Alert.State.ACKNOWLEDGED:
        row.state = Alert.State.ACKNOWLEDGED
        bump_version(row, "state")
        audit_record(actor=actor, action=QualityAction.ALERT_ACKNOWLEDGED, obj=row, payload={})
    return row


@transaction.atomic
def alert_open_improvement(*, actor, alert: Alert, version: int, title: str, goal: str, measures: str, owner,
                           due_on: datetime.date):
    """Open a corrective improvement action from an alert (R9.5, R17.1), once: the alert keeps its id and
    is acknowledged by it."""
    require(actor, Perm.QUALITY_MANAGE)
    row = lock_row(Alert.objects.all(), alert.pk, expected_version=version)
    if row.improvement_id is not None:
        raise InvalidInput(code=QualityError.ALREADY_IMPROVING, errors={"title": [
            _("An improvement action is already open for this alert.")]})
    improvement = improvement_action_open(
        actor=actor, kind=ImprovementAction.Kind.CORRECTIVE, title=title, goal=goal, measures=measures, owner=owner,
        due_on=due_on, source_kind=ImprovementAction.SourceKind.KPI_ALERT, source_id=row.pk)
    row.improvement_id = improvement.pk
    row.state = Alert.State.ACKNOWLEDGED
    bump_version(row, "improvement_id", "state")
    audit_record(actor=actor, action=QualityAction.ALERT_IMPROVEMENT_OPENED, obj=row,
                 payload={"improvement": improvement.pk, "indicator": row.target.indicator})
    return improvement
