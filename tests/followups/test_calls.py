"""Follow-up after service (R8.1): falls due at resolution (the listener), the call recorded with its
retries, an unsatisfied answer reopening the request or opening a complaint; rows, audit events, outbox."""

import datetime

import pytest
from django.utils import timezone

from fuwu.core.errors import Conflict, InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.followups.actions import followup_record
from fuwu.followups.models import DueSource, FollowUp, FollowUpKind, FollowUpState, NextStep
from fuwu.org.roles import Role
from fuwu.standards.models import SlaPolicy
from fuwu.standards.sla import forget_policies
from fuwu.tickets.actions import MoveNotAllowed, ticket_add_entry, ticket_move
from fuwu.tickets.lifecycle import Move, Status
from fuwu.tickets.models import Entry, SlaClock, Ticket, TicketLink
from fuwu.tickets.presenters import queue_rows
from tests.factories import make_staff
from tests.followups.conftest import resolved

pytestmark = pytest.mark.django_db
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def events(obj) -> list[str]:
    return list(AuditEvent.objects.for_object(obj).order_by("id").values_list("action", flat=True))


def test_resolution_makes_the_follow_up_fall_due_at_the_follow_up_clock(agent, still):
    ticket = resolved(agent)
    follow_up = FollowUp.objects.get(ticket=ticket)
    clock = SlaClock.objects.get(ticket=ticket, kind="follow_up")
    # One truth: the policy's 1200 office minutes from Wednesday 10:00 end on Friday 15:00, and the
    # request queue's deadline column shows the same instant, marked as the follow-up.
    assert follow_up.due_at == clock.due_at == ticket.sla_due_at == datetime.datetime(2026, 12, 4, 15, tzinfo=SHANGHAI)
    assert (follow_up.kind, follow_up.state, follow_up.due_source) == (FollowUpKind.AFTER_SERVICE, "due", DueSource.SLA)
    assert events(follow_up) == ["follow_up.fell_due"]
    row = queue_rows([Ticket.objects.select_related("service_type", "owner", "group", "customer", "region")
                      .get(pk=ticket.pk)], timezone.now())[0]
    assert row["due"]["at"] == "2026-12-04 15:00" and row["due"]["label"].startswith("回访")


def test_without_a_policy_the_rule_sets_working_days_and_complaints_always_get_one(agent, customer, still):
    SlaPolicy.objects.update(is_active=False)
    forget_policies()
    ticket = resolved(agent)
    follow_up = FollowUp.objects.get(ticket=ticket)
    # The close of the third working day after Wednesday: Monday 7 December, 18:00 (office hours).
    assert follow_up.due_source == DueSource.RULE
    assert follow_up.due_at == datetime.datetime(2026, 12, 7, 18, tzinfo=SHANGHAI)
    from fuwu.followups.models import FollowUpRule

    FollowUpRule.objects.filter(service_kind="").update(required=False)
    assert FollowUp.objects.filter(ticket=resolved(agent)).count() == 0
    from fuwu.tickets.events import replaying_history

    with replaying_history():  # the complaint record and its closing rules are tests/complaints' concern
        complaint = resolved(agent, "complaint", customer_id=customer.pk, contact_phone="13912345678")
    assert FollowUp.objects.get(ticket=complaint).due_at == datetime.datetime(2026, 12, 4, 18, tzinfo=SHANGHAI)


def test_not_reached_retries_then_gives_up(agent, caller, still):
    follow_up = FollowUp.objects.get(ticket=resolved(agent))
    follow_up = followup_record(actor=caller, follow_up=follow_up, expected_version=follow_up.version,
                                reached=False, note="无人接听")
    assert follow_up.state == FollowUpState.RETRY and follow_up.attempts == 1
    assert follow_up.next_attempt_at == datetime.datetime(2026, 12, 2, 12, tzinfo=SHANGHAI)  # two working hours
    follow_up = followup_record(actor=caller, follow_up=follow_up, expected_version=follow_up.version, reached=False)
    assert follow_up.next_attempt_at == datetime.datetime(2026, 12, 3, 9, tzinfo=SHANGHAI)  # the next working day
    follow_up = followup_record(actor=caller, follow_up=follow_up, expected_version=follow_up.version, reached=False)
    assert (follow_up.state, follow_up.attempts, follow_up.next_attempt_at) == (FollowUpState.UNREACHABLE, 3, None)
    assert list(follow_up.attempt_rows.values_list("seq", "reached", "note")) == [
        (1, False, "无人接听"), (2, False, ""), (3, False, "")]
    assert events(follow_up) == ["follow_up.fell_due", "follow_up.not_reached", "follow_up.not_reached",
                                 "follow_up.unreachable"]
    assert OutboxMessage.objects.filter(recipient=agent, dedupe_key__startswith="follow-up-unreachable").count() == 1
    with pytest.raises(InvalidInput):
        followup_record(actor=caller, follow_up=follow_up, expected_version=follow_up.version, reached=False)


def test_reached_and_satisfied_writes_the_follow_up_entry_that_meets_the_clock(agent, caller):
    ticket = resolved(agent)
    follow_up = FollowUp.objects.get(ticket=ticket)
    follow_up = followup_record(actor=caller, follow_up=follow_up, expected_version=follow_up.version, reached=True,
                                opinion="问题已解决，感谢。", satisfaction=5)
    assert (follow_up.state, follow_up.satisfaction, follow_up.recorded_by) == (FollowUpState.REACHED, 5, caller)
    entry = Entry.objects.get(pk=follow_up.entry_id)
    assert entry.kind == Entry.Kind.FOLLOW_UP and "问题已解决" in entry.body and entry.author == caller
    assert SlaClock.objects.get(ticket=ticket, kind="follow_up").state == SlaClock.State.MET
    ticket.refresh_from_db()
    assert ticket.sla_due_at is None and ticket.status == Status.RESOLVED
    assert "ticket.follow_up_added" in events(ticket) and events(follow_up)[-1] == "follow_up.reached"
    assert not OutboxMessage.objects.filter(dedupe_key__startswith="follow-up-unsatisfied").exists()


def test_an_unsatisfied_answer_needs_a_next_step_and_reopens_the_request(agent, caller):
    ticket = resolved(agent)
    follow_up = FollowUp.objects.get(ticket=ticket)
    with pytest.raises(InvalidInput) as refused:
        followup_record(actor=caller, follow_up=follow_up, expected_version=follow_up.version, reached=True,
                        opinion="空调还是不制冷", satisfaction=2)
    assert "next_step" in refused.value.errors and not Entry.objects.filter(ticket=ticket).exists()
    with pytest.raises(MoveNotAllowed):  # the caller may not reopen someone else's request by itself
        ticket_move(actor=caller, ticket=ticket, expected_version=None, move=Move.REOPEN, reason="x")
    follow_up = followup_record(actor=caller, follow_up=follow_up, expected_version=follow_up.version, reached=True,
                                opinion="空调还是不制冷", satisfaction=2, next_step=NextStep.REOPEN)
    ticket.refresh_from_db()
    assert ticket.status == Status.REOPENED and follow_up.state == FollowUpState.REACHED
    moved = AuditEvent.objects.for_object(ticket).filter(action="ticket.moved").order_by("-id").first()
    assert moved.payload["move"] == "reopen" and moved.payload["reason"] == "空调还是不制冷"
    assert moved.actor_id == caller.pk
    # The owner hears of it (first-responsible notice of the move, and the unsatisfied notice).
    assert OutboxMessage.objects.filter(recipient=agent, dedupe_key=f"follow-up-unsatisfied:{follow_up.pk}:{agent.pk}")
    # Resolved again, a new follow-up falls due; the reached one stays as it was.
    ticket = ticket_move(actor=agent, ticket=ticket, expected_version=None, move=Move.START)
    ticket = ticket_move(actor=agent, ticket=ticket, expected_version=None, move=Move.RESOLVE, resolution="更换电容")
    assert list(FollowUp.objects.filter(ticket=ticket).order_by("id").values_list("state", flat=True)) == [
        "reached", "due"]


def test_an_unsatisfied_answer_opens_a_linked_complaint(agent, caller, customer):
    ticket = resolved(agent, "consultation", customer_id=customer.pk, contact_phone="13912345678",
                      contact_name="陈建国")
    follow_up = FollowUp.objects.get(ticket=ticket)
    manager = make_staff(Role.MANAGER)
    follow_up = followup_record(actor=caller, follow_up=follow_up, expected_version=follow_up.version, reached=True,
                                opinion="答复敷衍，要求投诉", satisfaction=1, next_step=NextStep.COMPLAINT)
    complaint = follow_up.complaint
    assert complaint.kind == "complaint" and complaint.customer == customer and complaint.first_responsible == caller
    assert complaint.description == "答复敷衍，要求投诉" and complaint.contact_phone == "13912345678"
    assert TicketLink.objects.filter(source=complaint, target=ticket, kind="related").exists()
    assert events(complaint)[:2] == ["ticket.registered", "ticket.linked"]
    assert events(follow_up)[-1] == "follow_up.reached"
    assert AuditEvent.objects.for_object(follow_up).order_by("id").last().payload["complaint"] == complaint.number
    assert OutboxMessage.objects.filter(recipient=manager, dedupe_key__startswith="follow-up-unsatisfied").count() == 1
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_a_complaint_without_a_customer_is_refused_beside_the_next_step(agent, caller):
    follow_up = FollowUp.objects.get(ticket=resolved(agent))
    with pytest.raises(InvalidInput) as refused:
        followup_record(actor=caller, follow_up=follow_up, expected_version=follow_up.version, reached=True,
                        opinion="不满意", satisfaction=1, next_step=NextStep.COMPLAINT)
    assert list(refused.value.errors) == ["next_step"]
    follow_up.refresh_from_db()
    assert follow_up.state == "due" and not Ticket.objects.filter(kind="complaint").exists()


def test_reopening_withdraws_and_an_entry_on_the_request_records_the_follow_up(agent):
    ticket = resolved(agent)
    ticket = ticket_move(actor=agent, ticket=ticket, expected_version=None, move=Move.REOPEN, reason="客户来电")
    withdrawn = FollowUp.objects.get(ticket=ticket)
    assert withdrawn.state == FollowUpState.WITHDRAWN and events(withdrawn)[-1] == "follow_up.withdrawn"
    ticket = ticket_move(actor=agent, ticket=ticket, expected_version=None, move=Move.START)
    ticket = ticket_move(actor=agent, ticket=ticket, expected_version=None, move=Move.RESOLVE, resolution="已处理")
    ticket_add_entry(actor=agent, ticket=ticket, kind=Entry.Kind.FOLLOW_UP, body="<p>回访：客户满意。</p>")
    follow_up = FollowUp.objects.exclude(pk=withdrawn.pk).get(ticket=ticket)
    assert follow_up.state == FollowUpState.REACHED and follow_up.opinion == "回访：客户满意。"
    assert events(follow_up) == ["follow_up.fell_due", "follow_up.recorded_on_request"]


def test_stale_versions_conflict_and_only_follow_up_staff_record(agent, caller):
    follow_up = FollowUp.objects.get(ticket=resolved(agent))
    with pytest.raises(Conflict):
        followup_record(actor=caller, follow_up=follow_up, expected_version=follow_up.version + 1, reached=False)
    with pytest.raises(PermissionDenied):
        followup_record(actor=make_staff(Role.TECHNICIAN), follow_up=follow_up, expected_version=None, reached=False)
    with pytest.raises(PermissionDenied):
        followup_record(actor=make_staff(Role.QUALITY_SUPERVISOR), follow_up=follow_up, expected_version=None,
                        reached=False)
