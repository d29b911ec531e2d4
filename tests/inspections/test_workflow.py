"""The pure rules of inspections: the round lifecycle table and the checklist score (R9.4, R9.7)."""

from decimal import Decimal

import pytest

from fuwu.inspections import models, workflow
from fuwu.inspections.workflow import Item, RoundMove, RoundStatus, ScoreError, score, transition_for


def test_the_models_choices_are_the_workflow_values():
    assert set(models.RoundStatus.values) == {s.value for s in RoundStatus}
    assert set(models.RoundMove.values) == {m.value for m in RoundMove}


def test_the_transition_table():
    table = {(t.source.value, t.move.value): t.target.value for t in workflow.TRANSITIONS}
    assert table == {
        ("planned", "start"): "in_progress",
        ("in_progress", "complete"): "completed",
        ("planned", "cancel"): "cancelled",
        ("in_progress", "cancel"): "cancelled",
    }
    for status in (RoundStatus.COMPLETED, RoundStatus.CANCELLED):  # the ends have no way out
        assert workflow.moves_from(status) == []
    assert transition_for("planned", "complete") is None
    assert workflow.moves_from("planned") == [RoundMove.START, RoundMove.CANCEL]


def test_a_round_is_due_from_the_first_day_of_its_period_while_planned():
    assert workflow.is_due("planned", 10, 10) and workflow.is_due("planned", 9, 10)
    assert not workflow.is_due("planned", 11, 10)
    assert not workflow.is_due("in_progress", 9, 10)


def test_score_weighted_percent_hand_computed():
    # weights 2, 1, 1 of maxima 5, 5, 1: (2*4/5 + 1*3/5 + 1*1/1) / 4 = (1.6 + 0.6 + 1) / 4 = 0.8 -> 80.00 %
    result = score([Item(2, 5, False, 4), Item(1, 5, False, 3), Item(1, 1, True, 1)], pass_mark=80)
    assert result == workflow.Result(percent=Decimal("80.00"), critical_failed=0, passed=True)
    # (2*5/5 + 1*2/5 + 0) / 4 = 2.4 / 4 = 60 %, and the critical item failed
    result = score([Item(2, 5, False, 5), Item(1, 5, False, 2), Item(1, 1, True, 0)], pass_mark=50)
    assert result.percent == Decimal("60.00") and result.critical_failed == 1 and not result.passed
    # 1/3 of a single item rounds half up to two decimals
    assert score([Item(1, 3, False, 1)], pass_mark=0).percent == Decimal("33.33")
    assert score([Item(1, 3, False, 2)], pass_mark=0).percent == Decimal("66.67")


def test_below_the_pass_mark_fails_without_a_critical_item():
    result = score([Item(1, 5, False, 3)], pass_mark=80)  # 60 %
    assert not result.passed and result.below_pass_mark and result.critical_failed == 0


def test_a_critical_item_fails_below_half_its_maximum():
    assert workflow.critical_fails(Item(1, 5, True, 2))  # 2 < 2.5
    assert not workflow.critical_fails(Item(1, 4, True, 2))  # exactly half passes
    assert not workflow.critical_fails(Item(1, 5, False, 0))  # not critical
    result = score([Item(9, 5, False, 5), Item(1, 5, True, 2)], pass_mark=80)  # 94 % yet failed
    assert result.percent == Decimal("94.00") and not result.passed


@pytest.mark.parametrize("items", [[], [Item(0, 5, False, 1)], [Item(1, 0, False, 0)], [Item(1, 5, False, 6)],
                                   [Item(1, 5, False, -1)]])
def test_score_refuses_bad_input(items):
    with pytest.raises(ScoreError):
        score(items, pass_mark=80)
