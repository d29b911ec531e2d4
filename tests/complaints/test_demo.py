"""The complaints demo (`seed_demo`): records for the year's complaint requests, through the actions."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from fuwu.complaints.demo import seed_complaints
from fuwu.complaints.models import Complaint, ComplaintStatus
from fuwu.core.models import AuditEvent
from fuwu.org.roles import Role
from fuwu.tickets.actions import ticket_move
from fuwu.tickets.events import replaying_history
from fuwu.tickets.lifecycle import Move
from tests.complaints.conftest import register
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_the_demo_plays_each_complaint_through_the_actions_once(agent, support, manager, gm, technician):
    settled, still_open = [], []
    with replaying_history():
        for days in (60, 40, 20, 10):
            with time_machine.travel(timezone.now() - datetime.timedelta(days=days), tick=False):
                ticket = register(agent, title="投诉维修人员迟到")
            with time_machine.travel(ticket.received_at + datetime.timedelta(days=2), tick=False):
                ticket = ticket_move(actor=agent, ticket=ticket, expected_version=None, move=Move.RESOLVE,
                                     resolution="已致歉")
            settled.append(ticket)
        still_open.append(register(agent, title="投诉服务态度差"))
    assert not Complaint.objects.exists()
    assert seed_complaints(seed=1, log=None) == 5
    for ticket in settled:
        complaint = Complaint.objects.get(ticket=ticket)
        assert complaint.status == ComplaintStatus.CLOSED and complaint.conclusion
        assert complaint.customer_agreed is not None or complaint.contact_attempts.count() >= 2
        assert ticket.received_at <= complaint.closed_at <= ticket.resolved_at
    assert Complaint.objects.filter(ticket=still_open[0]).exists()
    assert AuditEvent.objects.filter(action="complaint.opened").count() == 5
    assert seed_complaints(seed=1) == 0  # nothing left to play


def test_the_fast_path_keeps_to_recent_complaints(agent, support, manager):
    make_staff(Role.TECHNICIAN)
    with replaying_history():
        with time_machine.travel(timezone.now() - datetime.timedelta(days=200), tick=False):
            old = register(agent)
        recent = register(agent)
    assert seed_complaints(seed=2, recent_days=90, limit=10) == 1
    assert Complaint.objects.filter(ticket=recent).exists() and not Complaint.objects.filter(ticket=old).exists()
