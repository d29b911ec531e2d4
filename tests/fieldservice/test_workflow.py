"""The work order's transition table (fuwu/fieldservice/workflow.py): pure, and equal to the models' choices."""

from hypothesis import given
from hypothesis import strategies as st

from fuwu.fieldservice import models, workflow
from fuwu.fieldservice.workflow import FINAL, TRANSITIONS, Side, WorkOrderMove, WorkOrderStatus, moves_from


def test_choices_are_the_cores_values():
    assert set(models.WorkOrderStatus.values) == {s.value for s in WorkOrderStatus}
    assert set(models.WorkOrderMove.values) == {m.value for m in WorkOrderMove}


def test_every_open_status_leads_somewhere_and_final_ones_nowhere():
    for status in WorkOrderStatus:
        assert bool(moves_from(status)) == (status not in FINAL), status


def test_only_the_technician_works_on_site_and_only_the_dispatcher_books():
    for t in TRANSITIONS:
        if t.move in (WorkOrderMove.SCHEDULE, WorkOrderMove.DISPATCH, WorkOrderMove.CANCEL):
            assert t.side == Side.DISPATCHER
        else:
            assert t.side == Side.TECHNICIAN


def test_a_visit_at_work_is_not_cancelled_from_the_office():
    """Once the technician is on site, the visit ends in sign-off or "not fixed" with a reason."""
    for status in workflow.AT_WORK:
        assert WorkOrderMove.CANCEL not in moves_from(status)


def test_not_fixed_needs_its_outcome():
    assert workflow.transition_for("repairing", "not_fixed") is None
    assert workflow.transition_for("repairing", "not_fixed", "waiting_parts").target == WorkOrderStatus.WAITING_PARTS


@given(st.lists(st.integers(min_value=0, max_value=50), max_size=60))
def test_any_walk_through_the_table_reaches_sign_off_only_through_check_in(choices):
    """Whatever the path, a sign-off comes after a check-in on that visit, and nothing follows the end."""
    status, checked_in = WorkOrderStatus.CREATED, False
    for choice in choices:
        options = [t for t in TRANSITIONS if t.source == status]
        if not options:
            assert status in FINAL
            break
        t = options[choice % len(options)]
        if t.move == WorkOrderMove.CHECK_IN:
            checked_in = True
        if t.move == WorkOrderMove.COMPLETE:
            assert checked_in
        if t.target in (WorkOrderStatus.REVISIT_NEEDED, WorkOrderStatus.WAITING_PARTS, WorkOrderStatus.CREATED):
            checked_in = False
        status = t.target
