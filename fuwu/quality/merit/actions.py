"""Rewards and penalties linked to results (R9.5, R11.5): result rules, judging a closed period and the
manager's decision on each proposed outcome. Every change: actor first, one transaction, an audit event."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput
from fuwu.core.locking import bump_version, lock_row
from fuwu.core.outbox import outbox_notify
from fuwu.org.policy import Perm, require
from fuwu.org.roles import Role
from fuwu.quality.codes import QualityAction, QualityError
from fuwu.quality.indicators import REGISTRY, Dimension, Granularity, Period, Unit
from fuwu.quality.merit.rules import SYMBOLS, judge, points_fit
from fuwu.quality.models import MeritResult, MeritRule

RULE_GRANULARITIES = (Granularity.MONTH, Granularity.QUARTER)
RULE_FIELDS = ("indicator", "granularity", "comparison", "threshold", "min_volume", "outcome", "points",
               "description")


def _check_rule(*, indicator: str, granularity: str, comparison: str, outcome: str, points: int,
                description: str) -> None:
    ind = REGISTRY.get(indicator)
    if ind is None:
        raise InvalidInput(code=QualityError.UNKNOWN_INDICATOR, errors={"indicator": [_("No such indicator.")]})
    if Dimension.STAFF not in ind.dimensions:
        raise InvalidInput(code=QualityError.MERIT_NO_STAFF_FIGURES, errors={"indicator": [
            _("This indicator has no figures per staff member.")]})
    if granularity not in RULE_GRANULARITIES:
        raise InvalidInput(errors={"granularity": [_("Choose a month or a quarter.")]})
    if comparison not in MeritRule.Comparison.values:
        raise InvalidInput(errors={"comparison": [_("Choose a comparison.")]})
    if outcome not in MeritRule.Outcome.values:
        raise InvalidInput(errors={"outcome": [_("Choose an outcome.")]})
    if not points_fit(outcome, points):
        raise InvalidInput(code=QualityError.MERIT_BAD_POINTS, errors={"points": [
            _("A reward gives points and a penalty takes them.")]})
    if not description.strip():
        raise InvalidInput(errors={"description": [_("Describe the rule as the staff will read it.")]})


@transaction.atomic
def merit_rule_save(*, actor, indicator: str, granularity: str, comparison: str, threshold: float,
                    min_volume: int, outcome: str, points: int, description: str, code: str = "",
                    rule: MeritRule | None = None, version: int | None = None) -> MeritRule:
    """A new result rule, or a new revision of `rule` (seen at `version`): the old revision is retired,
    never changed, so the results judged by it keep naming it (R4.9)."""
    require(actor, Perm.MERIT_MANAGE)
    _check_rule(indicator=indicator, granularity=granularity, comparison=comparison, outcome=outcome,
                points=points, description=description)
    now = timezone.now()
    fields = {"indicator": indicator, "granularity": granularity, "comparison": comparison,
              "threshold": threshold, "min_volume": min_volume, "outcome": outcome, "points": points,
              "description": description.strip()}
    old = None
    if rule is not None:
        old = lock_row(MeritRule.objects.all(), rule.pk, expected_version=version)
        if not old.is_active:
            raise InvalidInput(errors={"": [_("This rule has been retired.")]})
        old.is_active, old.retired_at = False, now
        bump_version(old, "is_active", "retired_at")
        code, revision = old.code, old.revision + 1
    else:
        if not code:  # the code is what ties a rule's revisions together; nobody has to read it
            code = f"rule-{(MeritRule.objects.order_by('-pk').values_list('pk', flat=True).first() or 0) + 1}"
        if MeritRule.objects.filter(code=code).exists():
            raise InvalidInput(errors={"code": [_("A rule with this code exists; revise it instead.")]})
        revision = 1
    row = MeritRule.objects.create(code=code, revision=revision, created_by=actor, created_at=now, **fields)
    audit_record(actor=actor, action=QualityAction.MERIT_RULE_SAVED, obj=row, payload={
        "code": code, "revision": revision, **fields,
        "replaces": None if old is None else {"id": old.pk, **{f: getattr(old, f) for f in RULE_FIELDS}}})
    return row


@transaction.atomic
def merit_rule_retire(*, actor, rule: MeritRule, version: int) -> MeritRule:
    require(actor, Perm.MERIT_MANAGE)
    row = lock_row(MeritRule.objects.all(), rule.pk, expected_version=version)
    if row.is_active:
        row.is_active, row.retired_at = False, timezone.now()
        bump_version(row, "is_active", "retired_at")
        audit_record(actor=actor, action=QualityAction.MERIT_RULE_RETIRED, obj=row,
                     payload={"code": row.code, "revision": row.revision})
    return row


def judged_staff() -> dict[int, int | None]:
    """Every active staff member (any role but customer) and their group: one query."""
    rows = (get_user_model().objects.filter(is_active=True, profile__is_active=True)
            .exclude(profile__roles__code=Role.CUSTOMER).filter(profile__roles__isnull=False)
            .values_list("pk", "profile__group_id").distinct())
    return dict(rows)


@transaction.atomic
def merit_results_propose(*, actor=None, granularity: str, period_start: datetime.date,
                          today: datetime.date | None = None) -> int:
    """Judge every active staff member against every active rule of the period's granularity, from the
    indicators' per-staff figures (one grouped query per indicator), and keep one result per staff
    member, rule and period; where the condition holds, the outcome is proposed. Idempotent: a result
    already kept, proposed or decided, is left as it is. Returns the results added."""
    if actor is not None:
        require(actor, Perm.MERIT_MANAGE)
    period = Period.containing(granularity, period_start)
    if period.end > (today or timezone.localdate()):
        raise InvalidInput(code=QualityError.MERIT_PERIOD_OPEN, errors={"period": [
            _("The period has not ended yet.")]})
    rules = list(MeritRule.objects.filter(is_active=True, granularity=granularity).order_by("code"))
    staff = judged_staff()
    figures: dict[str, dict] = {}
    for code in {r.indicator for r in rules if r.indicator in REGISTRY}:
        figures[code] = REGISTRY[code].compute(period.since, period.until, Dimension.STAFF)
    now = timezone.now()
    rows = []
    for rule in rules:
        ind = REGISTRY.get(rule.indicator)
        if ind is None:
            continue
        for pk, group_id in staff.items():
            v = figures[rule.indicator].get(str(pk))
            verdict = judge(comparison=rule.comparison, threshold=rule.threshold, min_volume=rule.min_volume,
                            numerator=None if v is None else v.numerator,
                            denominator=None if v is None else v.denominator, scale=ind.scale,
                            is_count=ind.unit == Unit.COUNT)
            if verdict is None:
                continue
            rows.append(MeritResult(
                rule=rule, rule_code=rule.code, subject_id=pk, group_id=group_id, granularity=granularity,
                period_start=period.start, value=verdict.value, numerator=verdict.numerator,
                denominator=verdict.denominator, volume=verdict.volume, created_at=now,
                state=MeritResult.State.PROPOSED if verdict.holds else MeritResult.State.NONE))
    before = MeritResult.objects.filter(granularity=granularity, period_start=period.start).count()
    MeritResult.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    added = MeritResult.objects.filter(granularity=granularity, period_start=period.start).count() - before
    proposed = sum(1 for r in rows if r.state == MeritResult.State.PROPOSED)
    audit_record(actor=actor, action=QualityAction.MERIT_PROPOSED, payload={
        "granularity": granularity, "period": period.start.isoformat(), "rules": [r.pk for r in rules],
        "staff": len(staff), "added": added, "proposed": proposed})
    return added


def merit_last_period_propose(*, today: datetime.date | None = None) -> int:
    """The monthly run: last month, and last quarter when `today` opens a quarter (the scheduled job)."""
    today = today or timezone.localdate()
    added = 0
    for granularity in RULE_GRANULARITIES:
        current = Period.containing(granularity, today)
        if granularity == Granularity.QUARTER and current.start.month != today.month:
            continue
        added += merit_results_propose(actor=None, granularity=granularity, period_start=current.previous().start,
                                       today=today)
    return added


def rule_sentence(rule: MeritRule) -> str:
    ind = REGISTRY.get(rule.indicator)
    return f"{ind.label if ind else rule.indicator} {SYMBOLS[rule.comparison]} {rule.threshold:g}"


@transaction.atomic
def merit_result_decide(*, actor, result: MeritResult, version: int, confirm: bool, note: str = "") -> MeritResult:
    """Confirm or waive a proposed outcome (R9.5, R11.5), with a note (required to waive). Never one's own
    (separation of duties, R1.2). A confirmed outcome is told to the staff member once."""
    require(actor, Perm.MERIT_MANAGE)
    row = lock_row(MeritResult.objects.select_related("rule"), result.pk, expected_version=version)
    if row.subject_id == actor.pk:
        raise InvalidInput(code=QualityError.MERIT_OWN_RESULT, errors={"": [
            _("You may not decide on your own result.")]})
    if row.state == MeritResult.State.NONE:
        raise InvalidInput(code=QualityError.MERIT_NO_OUTCOME, errors={"": [_("This result calls for no outcome.")]})
    if row.state != MeritResult.State.PROPOSED:
        raise InvalidInput(code=QualityError.MERIT_DECIDED, errors={"": [
            _("This result has already been decided.")]})
    note = note.strip()
    if not confirm and not note:
        raise InvalidInput(errors={"note": [_("Say why the outcome is waived.")]})
    row.state = MeritResult.State.CONFIRMED if confirm else MeritResult.State.WAIVED
    row.note, row.decided_by, row.decided_at = note[:500], actor, timezone.now()
    bump_version(row, "state", "note", "decided_by", "decided_at")
    rule = row.rule
    audit_record(actor=actor, action=QualityAction.MERIT_CONFIRMED if confirm else QualityAction.MERIT_WAIVED,
                 obj=row, payload={"subject": row.subject_id, "rule": rule.pk, "code": rule.code,
                                   "period": row.period_start.isoformat(), "granularity": row.granularity,
                                   "outcome": rule.outcome, "points": rule.points, "value": row.value,
                                   "volume": row.volume, "note": row.note})
    if confirm:
        period = Period(row.granularity, row.period_start)
        outbox_notify(
            recipients=[row.subject],
            subject=_("%(outcome)s for %(period)s: %(rule)s") % {
                "outcome": MeritRule.Outcome(rule.outcome).label, "period": period.label,
                "rule": rule.description},
            body=rule_sentence(rule) + (f"\n{row.note}" if row.note else ""),
            url=reverse("quality:merit_mine"), obj=row, dedupe_key=f"quality.merit:{row.pk}")
    return row
