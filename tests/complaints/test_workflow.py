"""The complaint lifecycle's pure table (fuwu/complaints/workflow.py) and the models' choices."""

import pytest

from fuwu.complaints import models, workflow
from fuwu.complaints.workflow import CloseRefusal, ComplaintMove, ComplaintStatus, closing_refusal, transition_for


def test_the_models_choices_are_the_tables_values():
    assert set(models.ComplaintStatus.values) == {s.value for s in ComplaintStatus}
    assert set(models.ComplaintMove.values) == {m.value for m in ComplaintMove}
    assert set(models.Severity.values) == {s.value for s in workflow.Severity}


def test_the_happy_path_and_a_second_solution_after_a_refusal():
    path = [("registered", "investigate", "investigating"), ("investigating", "conclude", "concluded"),
            ("concluded", "propose", "solution_proposed"), ("solution_proposed", "refuse", "refused"),
            ("refused", "propose", "solution_proposed"), ("solution_proposed", "agree", "agreed"),
            ("agreed", "close", "closed")]
    for source, move, target in path:
        assert transition_for(source, move).target == target


@pytest.mark.parametrize("source", ["registered", "investigating", "closed"])
def test_no_close_before_the_conclusion_or_after_closing(source):
    assert transition_for(source, "close") is None


@pytest.mark.parametrize(("status", "conclusion", "attempts", "refusal"), [
    ("investigating", False, 5, CloseRefusal.NOT_CONCLUDED),
    ("concluded", False, 5, CloseRefusal.NOT_CONCLUDED),
    ("concluded", True, 0, CloseRefusal.NO_FEEDBACK),
    ("solution_proposed", True, 1, CloseRefusal.NO_FEEDBACK),
    ("solution_proposed", True, 2, None),
    ("agreed", True, 0, None),
    ("refused", True, 0, None),
    ("closed", True, 0, CloseRefusal.ALREADY_CLOSED),
])
def test_closing_needs_a_conclusion_and_the_answer_or_attempts(status, conclusion, attempts, refusal):
    assert closing_refusal(status, has_conclusion=conclusion, contact_attempts=attempts) == refusal


def test_the_general_manager_approves_strictly_above_the_threshold():
    assert not workflow.needs_general_manager(500_000, 500_000)
    assert workflow.needs_general_manager(500_001, 500_000)
