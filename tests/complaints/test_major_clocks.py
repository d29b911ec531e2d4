"""Major complaints and claims run on clocks of their own (R6.3): the request becomes a major, urgent
matter, its clocks take the major-complaint policy (migration standards/0008) keeping the time used, and
the breach watch may reach the general manager (R3.5)."""

import pytest

from fuwu.complaints import actions
from fuwu.core.models import AuditEvent
from fuwu.tickets.codes import TicketAction
from fuwu.tickets.models import SlaClock, Ticket
from fuwu.tickets.workflow import watch
from tests.complaints.conftest import complaint_of, register

pytestmark = pytest.mark.django_db

POLICY = "重大投诉与索赔时限"


def live_targets(ticket) -> dict[str, tuple[str, int]]:
    clocks = SlaClock.objects.filter(ticket=ticket, state__in=["running", "paused"]).select_related("target__policy")
    return {c.kind: (c.target.policy.name, c.target.minutes) for c in clocks}


def events(ticket, action) -> int:
    return AuditEvent.objects.for_object(ticket).filter(action=action).count()


def test_a_general_complaint_keeps_the_complaint_policy(complaint):
    assert complaint.ticket.priority != "urgent" and not complaint.ticket.is_major
    assert live_targets(complaint.ticket)["resolution"] == ("投诉处理时限", 1200)


def test_raising_a_complaint_to_major_puts_its_request_on_the_major_clocks_once(complaint, agent):
    for _ in range(2):
        complaint = actions.complaint_update(actor=agent, complaint=complaint, expected_version=None,
                                             severity="major", demand="要求上门道歉")
    ticket = Ticket.objects.get(pk=complaint.ticket_id)
    assert ticket.is_major and ticket.priority == "urgent"
    assert watch.is_major(major=ticket.is_major, priority=ticket.priority)
    assert live_targets(ticket)["resolution"] == (POLICY, 1440)
    assert events(ticket, TicketAction.MARKED_MAJOR) == 1
    assert events(ticket, TicketAction.RECLASSIFIED) == 1


def test_a_request_registered_as_major_opens_a_major_complaint_on_the_major_clocks(agent):
    ticket = register(agent, major=True)
    assert complaint_of(ticket).severity == "major"
    ticket.refresh_from_db()
    assert ticket.priority == "urgent"
    assert live_targets(ticket)["resolution"] == (POLICY, 1440)


def test_a_claim_puts_a_general_complaint_on_the_major_clocks(complaint, agent):
    actions.compensation_propose(actor=agent, complaint=complaint, amount="8000", reason="设备停机损失",
                                 is_claim=True)
    ticket = Ticket.objects.get(pk=complaint.ticket_id)
    assert ticket.is_major and ticket.priority == "urgent"
    assert live_targets(ticket)["resolution"] == (POLICY, 1440)


def test_an_offer_of_compensation_leaves_the_clocks_alone(complaint, agent):
    actions.compensation_propose(actor=agent, complaint=complaint, amount="200", reason="致歉补偿")
    ticket = Ticket.objects.get(pk=complaint.ticket_id)
    assert not ticket.is_major and ticket.priority != "urgent"
