"""The fault lifecycle's table (R7.2) and the models' choices agree; the closing rule is pure."""

from fuwu.faults import models, workflow
from fuwu.faults.workflow import CloseRefusal, closing_refusal, moves_from, transition_for


def test_the_models_choices_are_the_workflows_values():
    assert set(models.FaultStatus.values) == {s.value for s in workflow.FaultStatus}
    assert set(models.FaultMove.values) == {m.value for m in workflow.FaultMove}
    assert set(models.Severity.values) == {s.value for s in workflow.Severity}


def test_the_moves_of_each_status():
    assert moves_from("open") == ["handle", "restore"]
    assert moves_from("handling") == ["restore"]
    assert moves_from("restored") == ["recur", "close"]
    assert moves_from("closed") == []
    assert transition_for("restored", "recur").target == "handling"
    assert transition_for("open", "close") is None


def test_restoration_recurrence_and_closing_are_told_handling_is_not():
    told = {(t.source.value, t.move.value) for t in workflow.TRANSITIONS if t.notify}
    assert told == {("open", "restore"), ("handling", "restore"), ("restored", "recur"), ("restored", "close")}


def test_a_fault_closes_only_restored_analysed_and_with_a_measure():
    assert closing_refusal("closed", has_analysis=True, measures=1) == CloseRefusal.ALREADY_CLOSED
    assert closing_refusal("handling", has_analysis=True, measures=1) == CloseRefusal.NOT_RESTORED
    assert closing_refusal("restored", has_analysis=False, measures=1) == CloseRefusal.NO_ANALYSIS
    assert closing_refusal("restored", has_analysis=True, measures=0) == CloseRefusal.NO_MEASURES
    assert closing_refusal("restored", has_analysis=True, measures=2) is None
