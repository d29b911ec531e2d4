"""Rewards and penalties linked to results (R9.5, R11.5): rule evaluation against a hand-computed month
(tests/quality/merit_fixtures.py), idempotence, separation of duties, conflicts, the notice, the job."""

import datetime as dt

import pytest

from fuwu.core.errors import Conflict, InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.org.roles import Role
from fuwu.quality.codes import QualityAction, QualityError
from fuwu.quality.merit.actions import (
    merit_last_period_propose,
    merit_result_decide,
    merit_results_propose,
    merit_rule_retire,
    merit_rule_save,
)
from fuwu.quality.merit.rules import judge
from fuwu.quality.models import MeritResult, MeritRule
from fuwu.quality.tasks import quality_merit_propose
from tests.factories import make_staff
from tests.quality.merit_fixtures import NOVEMBER, november_staff


@pytest.fixture
def staff(db):
    return november_staff(db)


def _propose(staff) -> int:
    return merit_results_propose(actor=staff["manager"], granularity="month", period_start=NOVEMBER)


def _outcomes() -> set[tuple[int, str]]:
    return set(MeritResult.objects.filter(state=MeritResult.State.PROPOSED).values_list("subject_id", "rule_code"))


def test_the_rules_judge_the_hand_computed_month(staff):
    _propose(staff)
    ann, bo, cy = staff["ann"], staff["bo"], staff["cy"]
    assert _outcomes() == {(ann.pk, "excellent"), (bo.pk, "complaints"), (bo.pk, "coaching")}
    rows = {(r.subject_id, r.rule_code): r for r in MeritResult.objects.all()}
    assert (rows[ann.pk, "excellent"].value, rows[ann.pk, "excellent"].volume) == (100.0, 4)
    assert rows[bo.pk, "excellent"].value == pytest.approx(200 / 3)
    assert rows[bo.pk, "excellent"].state == MeritResult.State.NONE and rows[bo.pk, "excellent"].volume == 3
    assert rows[cy.pk, "excellent"].value == 100.0 and rows[cy.pk, "excellent"].state == MeritResult.State.NONE
    assert (rows[bo.pk, "complaints"].value, rows[ann.pk, "complaints"].value) == (2, 1)
    assert rows[cy.pk, "complaints"].value == 0  # a count missing is zero
    assert (staff["manager"].pk, "excellent") not in rows  # no clock settled: no figure, no result
    assert rows[ann.pk, "excellent"].group_id is not None
    assert all(r.rule.revision == 1 for r in rows.values())


def test_judging_again_adds_nothing_and_keeps_decisions(staff):
    added = _propose(staff)
    assert added == MeritResult.objects.count() > 0
    result = MeritResult.objects.get(subject=staff["ann"], rule_code="excellent")
    merit_result_decide(actor=staff["manager"], result=result, version=result.version, confirm=True)
    assert _propose(staff) == 0
    assert MeritResult.objects.count() == added
    assert MeritResult.objects.get(pk=result.pk).state == MeritResult.State.CONFIRMED
    assert AuditEvent.objects.filter(action=QualityAction.MERIT_PROPOSED).count() == 2


def test_a_revised_rule_does_not_judge_a_period_twice(staff):
    _propose(staff)
    old = staff["rules"]["excellent"]
    new = merit_rule_save(actor=staff["manager"], rule=old, version=old.version, indicator="resolution_sla",
                          granularity="month", comparison="gte", threshold=60, min_volume=1, outcome="reward",
                          points=10, description="解决时限全优")
    assert (new.code, new.revision) == ("excellent", 2)
    old.refresh_from_db()
    assert not old.is_active and old.retired_at is not None
    before = MeritResult.objects.count()
    assert _propose(staff) == 0 and MeritResult.objects.count() == before
    assert MeritRule.objects.filter(code="excellent").count() == 2  # retired, not deleted


def test_an_open_period_is_not_judged(staff):
    with pytest.raises(InvalidInput) as err:
        merit_results_propose(actor=staff["manager"], granularity="month", period_start=dt.date(2026, 12, 1))
    assert err.value.code == QualityError.MERIT_PERIOD_OPEN


def test_nobody_decides_on_their_own_result(staff):
    _propose(staff)
    bo = staff["bo"]
    result = MeritResult.objects.get(subject=bo, rule_code="coaching")
    bo_manager = make_staff(Role.MANAGER)
    MeritResult.objects.filter(pk=result.pk).update(subject=bo_manager)
    result.refresh_from_db()
    with pytest.raises(InvalidInput) as err:
        merit_result_decide(actor=bo_manager, result=result, version=result.version, confirm=False, note="免")
    assert err.value.code == QualityError.MERIT_OWN_RESULT
    assert MeritResult.objects.get(pk=result.pk).state == MeritResult.State.PROPOSED


def test_only_a_manager_decides(staff):
    _propose(staff)
    result = MeritResult.objects.get(subject=staff["bo"], rule_code="coaching")
    with pytest.raises(PermissionDenied):
        merit_result_decide(actor=staff["ann"], result=result, version=result.version, confirm=True)


def test_a_stale_decision_is_a_conflict(staff):
    _propose(staff)
    result = MeritResult.objects.get(subject=staff["bo"], rule_code="complaints")
    seen = result.version
    merit_result_decide(actor=staff["manager"], result=result, version=seen, confirm=False, note="客观原因")
    other = make_staff(Role.QUALITY_SUPERVISOR)
    with pytest.raises(Conflict):
        merit_result_decide(actor=other, result=result, version=seen, confirm=True)
    stored = MeritResult.objects.get(pk=result.pk)
    assert (stored.state, stored.note, stored.decided_by_id) == (MeritResult.State.WAIVED, "客观原因",
                                                                 staff["manager"].pk)


def test_waiving_needs_a_note_and_a_decided_result_stays_decided(staff):
    _propose(staff)
    result = MeritResult.objects.get(subject=staff["bo"], rule_code="complaints")
    with pytest.raises(InvalidInput):
        merit_result_decide(actor=staff["manager"], result=result, version=result.version, confirm=False, note=" ")
    merit_result_decide(actor=staff["manager"], result=result, version=result.version, confirm=True)
    result.refresh_from_db()
    with pytest.raises(InvalidInput) as err:
        merit_result_decide(actor=staff["manager"], result=result, version=result.version, confirm=False, note="x")
    assert err.value.code == QualityError.MERIT_DECIDED
    none = MeritResult.objects.get(subject=staff["cy"], rule_code="excellent")
    with pytest.raises(InvalidInput) as err:
        merit_result_decide(actor=staff["manager"], result=none, version=none.version, confirm=True)
    assert err.value.code == QualityError.MERIT_NO_OUTCOME


def test_a_confirmed_outcome_is_told_to_the_staff_member_once(staff):
    _propose(staff)
    ann = staff["ann"]
    result = MeritResult.objects.get(subject=ann, rule_code="excellent")
    merit_result_decide(actor=staff["manager"], result=result, version=result.version, confirm=True, note="继续保持")
    notices = OutboxMessage.objects.filter(recipient=ann)
    assert notices.count() == 1
    assert "解决时限全优" in notices.get().subject and "2026-11" in notices.get().subject
    assert notices.get().url.endswith("/quality/merit/mine/")
    event = AuditEvent.objects.get(action=QualityAction.MERIT_CONFIRMED)
    assert event.payload["points"] == 10 and event.payload["subject"] == ann.pk
    waived = MeritResult.objects.get(subject=staff["bo"], rule_code="coaching")
    merit_result_decide(actor=staff["manager"], result=waived, version=waived.version, confirm=False, note="已改进")
    assert not OutboxMessage.objects.filter(recipient=staff["bo"]).exists()  # a waived outcome is not a notice


def test_rules_refuse_what_cannot_be_judged(staff):
    manager = staff["manager"]
    common = {"granularity": "month", "comparison": "gte", "threshold": 1, "min_volume": 0, "description": "x"}
    with pytest.raises(InvalidInput) as err:
        merit_rule_save(actor=manager, code="r1", indicator="repair_timeliness", outcome="reward", points=1, **common)
    assert err.value.code == QualityError.MERIT_NO_STAFF_FIGURES
    with pytest.raises(InvalidInput) as err:
        merit_rule_save(actor=manager, code="r2", indicator="breaches", outcome="penalty", points=5, **common)
    assert err.value.code == QualityError.MERIT_BAD_POINTS
    with pytest.raises(InvalidInput):
        merit_rule_save(actor=manager, code="excellent", indicator="breaches", outcome="coaching", points=0, **common)
    with pytest.raises(PermissionDenied):
        merit_rule_save(actor=staff["ann"], code="r3", indicator="breaches", outcome="coaching", points=0, **common)
    auto = merit_rule_save(actor=manager, indicator="breaches", outcome="coaching", points=0, **common)
    assert auto.code.startswith("rule-") and auto.revision == 1  # a code nobody has to type
    rule = staff["rules"]["coaching"]
    merit_rule_retire(actor=manager, rule=rule, version=rule.version)
    _propose(staff)
    assert not MeritResult.objects.filter(rule_code="coaching").exists()


def test_the_monthly_job_judges_last_month(staff):
    assert quality_merit_propose.call_local() > 0  # the suite's today is 2026-12-02
    assert set(MeritResult.objects.values_list("granularity", "period_start").distinct()) == {("month", NOVEMBER)}
    # On 1 January: December (only counts, zero: nothing proposed); Q4 has no rule.
    assert merit_last_period_propose(today=dt.date(2027, 1, 1)) == 4
    december = MeritResult.objects.filter(period_start=dt.date(2026, 12, 1))
    assert set(december.values_list("granularity", "rule_code", "state")) == {("month", "complaints", "none")}
    event = AuditEvent.objects.filter(action=QualityAction.MERIT_PROPOSED).order_by("pk").first()
    assert event.actor_id is None and event.payload["proposed"] == 3


@pytest.mark.parametrize(("comparison", "threshold", "volume", "holds"), [
    ("gte", 50, 2, True), ("gte", 50.1, 2, False), ("gt", 50, 2, False), ("lte", 50, 2, True),
    ("lt", 50, 2, False), ("gte", 50, 3, False)])
def test_judge(comparison, threshold, volume, holds):
    verdict = judge(comparison=comparison, threshold=threshold, min_volume=volume, numerator=1, denominator=2,
                    scale=100)
    assert verdict.value == 50 and verdict.volume == 2 and verdict.holds is holds
    assert judge(comparison="gte", threshold=1, min_volume=0, numerator=None, denominator=None) is None
    assert judge(comparison="gte", threshold=0, min_volume=0, numerator=None, denominator=None, is_count=True).holds
    assert judge(comparison="gte", threshold=0, min_volume=0, numerator=0, denominator=0) is None


def test_the_demo_judges_and_decides_through_the_actions(staff):
    from fuwu.quality.demo import DEMO_RULES, seed_merit

    manager = staff["manager"]
    seed_merit(actor=manager, today=dt.date(2026, 12, 2), months=2, log=lambda *_: None)
    assert MeritRule.objects.filter(code__in=[r[0] for r in DEMO_RULES], is_active=True).count() == len(DEMO_RULES)
    november = MeritResult.objects.filter(period_start=NOVEMBER, rule_code__in=[r[0] for r in DEMO_RULES])
    assert november.filter(state=MeritResult.State.CONFIRMED).exists()
    assert november.filter(state=MeritResult.State.PROPOSED).exists()  # last month: some wait for the manager
    assert not MeritResult.objects.filter(decided_by=manager, subject=manager).exists()
    decided = MeritResult.objects.exclude(decided_by=None).count()
    assert AuditEvent.objects.filter(action__in=[QualityAction.MERIT_CONFIRMED, QualityAction.MERIT_WAIVED]).count() \
        == decided
