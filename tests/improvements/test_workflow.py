"""The improvement action's pure table (fuwu/improvements/workflow.py) and the models' choices."""

import pytest

from fuwu.improvements import models, workflow
from fuwu.improvements.workflow import ActionMove, ActionStatus, Side, is_overdue, moves_from, transition_for


def test_the_models_choices_are_the_tables_values():
    assert set(models.ActionStatus.values) == {s.value for s in ActionStatus}
    assert set(models.ActionMove.values) == {m.value for m in ActionMove}
    assert set(models.ActionKind.values) == {k.value for k in workflow.ActionKind}
    assert set(models.SuggestionStatus.values) == {s.value for s in workflow.SuggestionStatus}


def test_the_happy_path_and_back_to_work_when_not_effective():
    path = [("proposed", "approve", "approved"), ("approved", "start", "in_progress"),
            ("in_progress", "complete", "done"), ("done", "reject", "in_progress"),
            ("in_progress", "complete", "done"), ("done", "verify", "verified")]
    for source, move, target in path:
        assert transition_for(source, move).target == target


def test_each_move_names_its_side():
    assert transition_for("proposed", "approve").side == Side.APPROVER
    assert transition_for("approved", "start").side == transition_for("in_progress", "complete").side == Side.OWNER
    assert transition_for("done", "verify").side == transition_for("done", "reject").side == Side.VERIFIER
    assert transition_for("approved", "cancel").side == Side.MANAGER


@pytest.mark.parametrize("source", ["done", "verified", "cancelled"])
def test_no_cancel_once_done(source):
    assert transition_for(source, "cancel") is None


def test_closed_statuses_have_no_moves():
    assert moves_from("verified") == moves_from("cancelled") == []
    assert transition_for("proposed", "verify") is None and transition_for("approved", "complete") is None


@pytest.mark.parametrize(("status", "due", "today", "overdue"), [
    ("in_progress", 10, 11, True), ("in_progress", 10, 10, False), ("approved", 10, 12, True),
    ("proposed", 10, 12, True), ("done", 10, 12, False), ("verified", 10, 12, False), ("cancelled", 10, 12, False),
])
def test_overdue_while_the_work_is_owed(status, due, today, overdue):
    assert is_overdue(status, due, today) is overdue
