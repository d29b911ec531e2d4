"""The complaint record (R6.2): opened at registration, the lifecycle through the actions, the closing
rules on the complaint and on its request, separation of duties (R1.2), accountability (R6.4)."""

import pytest

from fuwu.complaints import actions
from fuwu.complaints.codes import ComplaintAction, ComplaintError
from fuwu.complaints.models import Accountability, AccountabilityStatus, Complaint, ComplaintStatus, Measure
from fuwu.core.errors import Conflict, InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.tickets.actions import ticket_move
from fuwu.tickets.codes import TicketError
from fuwu.tickets.lifecycle import Move, Status
from tests.complaints.conftest import answer, close, complaint_of, conclude, investigate, propose, register
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def events(complaint) -> list[str]:
    return list(AuditEvent.objects.filter(object_type="complaints.complaint", object_id=str(complaint.pk))
                .order_by("id").values_list("action", flat=True))


def test_a_complaint_request_gets_its_record_at_registration_and_others_do_not(agent):
    ticket = register(agent, description="客户很生气")
    complaint = complaint_of(ticket)
    assert complaint.status == ComplaintStatus.REGISTERED
    assert complaint.received_at == ticket.received_at
    assert events(complaint) == [ComplaintAction.OPENED]
    make_ticket(agent, "consultation", title="咨询保修")
    assert Complaint.objects.count() == 1


def test_no_field_rates_the_complainant():
    names = {f.name for f in Complaint._meta.get_fields()}
    assert not {n for n in names if "rating" in n or "score" in n or "blacklist" in n or "customer_grade" in n}


def test_the_whole_loop_and_its_audit_trail(agent, support, manager, department, technician):
    complaint = complaint_of(register(agent))
    investigate(complaint, support)
    actions.complaint_record_notes(actor=support, complaint=complaint, expected_version=None, notes="调取派工记录")
    conclude(complaint, support, department=department, person=technician)
    propose(complaint, agent)
    answer(complaint, agent)
    actions.complaint_record_apology(actor=agent, complaint=complaint, expected_version=None, note="主管电话致歉")
    closed = close(complaint, agent)
    assert closed.status == ComplaintStatus.CLOSED and closed.customer_agreed is True
    assert closed.closed_by == agent and closed.investigator == support
    assert events(complaint) == [
        ComplaintAction.OPENED, ComplaintAction.INVESTIGATION_STARTED, ComplaintAction.NOTES_RECORDED,
        ComplaintAction.CONCLUDED, ComplaintAction.SOLUTION_PROPOSED, ComplaintAction.ANSWERED,
        ComplaintAction.APOLOGISED, ComplaintAction.CLOSED]


def test_a_complaint_does_not_close_without_a_conclusion(complaint, agent):
    with pytest.raises(InvalidInput) as refused:
        close(complaint, agent)
    assert refused.value.code == ComplaintError.NOT_CLOSABLE
    investigate(complaint, agent)
    with pytest.raises(InvalidInput):
        close(complaint, agent)


def test_without_the_customers_answer_it_closes_after_two_documented_attempts(complaint, agent, support):
    investigate(complaint, support)
    conclude(complaint, support, valid=False)
    propose(complaint, agent)
    actions.complaint_record_contact_attempt(actor=agent, complaint=complaint, note="电话无人接听")
    with pytest.raises(InvalidInput) as refused:
        close(complaint, agent)
    assert "2" in refused.value.errors["move"][0]
    actions.complaint_record_contact_attempt(actor=agent, complaint=complaint, note="短信未回复")
    assert close(complaint, agent).status == ComplaintStatus.CLOSED
    complaint.refresh_from_db()
    assert complaint.customer_agreed is None


def test_the_request_does_not_resolve_until_its_complaint_could_close(agent, support):
    ticket = register(agent)
    complaint = complaint_of(ticket)
    with pytest.raises(InvalidInput) as refused:
        ticket_move(actor=agent, ticket=ticket, expected_version=None, move=Move.RESOLVE, resolution="已致歉")
    assert refused.value.code == TicketError.CLOSE_REFUSED
    assert "resolution" in refused.value.errors
    investigate(complaint, support)
    conclude(complaint, support, valid=False)
    propose(complaint, agent)
    answer(complaint, agent)
    ticket.refresh_from_db()
    ticket_move(actor=agent, ticket=ticket, expected_version=None, move=Move.RESOLVE, resolution="客户接受方案")
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_a_complaint_cannot_be_settled_at_first_contact(agent):
    with pytest.raises(InvalidInput):
        register(agent, settle_with_resolution="已解释")
    assert not Complaint.objects.exists()


def test_nobody_investigates_a_complaint_against_themselves(complaint, agent, support, manager):
    actions.complaint_update(actor=agent, complaint=complaint, expected_version=None, severity="serious",
                             demand="要求更换维修人员", accused=support)
    with pytest.raises(InvalidInput) as refused:
        investigate(complaint, support)
    assert refused.value.code == ComplaintError.OWN_COMPLAINT
    with pytest.raises(InvalidInput):
        actions.complaint_start_investigation(actor=manager, complaint=complaint, expected_version=None,
                                              investigator=support)
    investigate(complaint, agent)
    with pytest.raises(InvalidInput) as own:
        conclude(complaint, agent, person=agent)
    assert "responsible_person" in own.value.errors


def test_only_the_investigator_or_a_manager_concludes(complaint, agent, support, manager, department):
    investigate(complaint, support)
    with pytest.raises(PermissionDenied):
        conclude(complaint, agent)
    conclude(complaint, manager, valid=True, department=department)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CONCLUDED


def test_a_valid_conclusion_needs_the_responsible_department(complaint, support):
    investigate(complaint, support)
    with pytest.raises(InvalidInput) as refused:
        conclude(complaint, support, valid=True, department=None)
    assert set(refused.value.errors) == {"responsible_department"}


def test_a_stale_version_is_a_conflict(complaint, agent):
    with pytest.raises(Conflict):
        actions.complaint_start_investigation(actor=agent, complaint=complaint, expected_version=complaint.version + 1)


def test_quality_supervision_and_technicians_do_not_work_complaints(complaint):
    from fuwu.org.roles import Role
    from tests.factories import make_staff

    for role in (Role.QUALITY_SUPERVISOR, Role.TECHNICIAN, Role.FINANCE):
        with pytest.raises(PermissionDenied):
            investigate(complaint, make_staff(role))


def test_a_valid_complaint_against_an_employee_opens_accountability_decided_by_the_manager_and_answered_once(
        complaint, support, manager, technician, department):
    investigate(complaint, support)
    conclude(complaint, support, department=department, person=technician)
    record = Accountability.objects.get(complaint=complaint)
    assert record.employee == technician and record.status == AccountabilityStatus.PENDING
    assert OutboxMessage.objects.filter(dedupe_key=f"accountability:{record.pk}:{manager.pk}").count() == 1
    with pytest.raises(InvalidInput):  # not decided yet
        actions.accountability_answer(actor=technician, record=record, expected_version=None, answer="我有异议")
    with pytest.raises(PermissionDenied):
        actions.accountability_decide(actor=support, record=record, expected_version=None, measure=Measure.COACHING,
                                      note="加强培训")
    actions.accountability_decide(actor=manager, record=record, expected_version=None, measure=Measure.COACHING,
                                  note="参加准时上门培训")
    assert OutboxMessage.objects.filter(recipient=technician).count() == 1
    with pytest.raises(PermissionDenied):
        actions.accountability_answer(actor=support, record=record, expected_version=None, answer="代答")
    actions.accountability_answer(actor=technician, record=record, expected_version=None, answer="接受，路上堵车")
    with pytest.raises(InvalidInput) as again:
        actions.accountability_answer(actor=technician, record=record, expected_version=None, answer="改一下")
    assert again.value.code == ComplaintError.ALREADY_ANSWERED
    record.refresh_from_db()
    assert record.answer == "接受，路上堵车" and record.status == AccountabilityStatus.ANSWERED


def test_an_invalid_complaint_opens_no_accountability(complaint, support, technician, department):
    investigate(complaint, support)
    conclude(complaint, support, valid=False, department=department, person=technician)
    assert not Accountability.objects.exists()


def test_a_manager_does_not_decide_their_own_accountability(complaint, support, manager, department):
    from fuwu.org.roles import Role
    from tests.factories import make_staff

    investigate(complaint, support)
    conclude(complaint, support, department=department, person=manager)
    record = Accountability.objects.get()
    with pytest.raises(PermissionDenied):
        actions.accountability_decide(actor=manager, record=record, expected_version=None, measure=Measure.APOLOGY,
                                      note="致歉")
    actions.accountability_decide(actor=make_staff(Role.MANAGER), record=record, expected_version=None,
                                  measure=Measure.APOLOGY, note="向客户致歉")


def test_managers_extend_the_root_causes(manager, agent):
    cause = actions.root_cause_add(actor=manager, code="parts_supply", name="备件供应")
    assert cause.label == "备件供应"
    with pytest.raises(InvalidInput):
        actions.root_cause_add(actor=manager, code="parts_supply", name="重复")
    with pytest.raises(PermissionDenied):
        actions.root_cause_add(actor=agent, code="x", name="x")
