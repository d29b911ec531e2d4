"""The breach watch (R10.4, R9.5, R3.5): warn, breach, escalate along the chain, each step once,
and the e-mails reach a real SMTP server."""

import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller

from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.core.outbox import outbox_deliver_pending
from fuwu.org.models import Group, Profile
from fuwu.org.roles import Role
from fuwu.standards.models import ClockKind
from fuwu.tickets.actions import sla_watch
from fuwu.tickets.lifecycle import Move
from fuwu.tickets.models import SlaClock, SlaEscalation
from fuwu.tickets.tasks import sla_watch_every_minute
from tests.factories import make_staff, make_ticket
from tests.tickets.sla_setup import at, local, policy, weekday_calendar
from tests.tickets.workflow import move

pytestmark = pytest.mark.django_db


class Team:
    def __init__(self):
        self.owner = make_staff(Role.AGENT, email="owner@fuwu.example")
        group = Group.objects.get(pk=Profile.objects.get(user=self.owner).group_id)
        self.leader = make_staff(Role.AGENT, email="leader@fuwu.example")
        Profile.objects.filter(user=self.leader).update(group=group)
        Group.objects.filter(pk=group.pk).update(leader=self.leader)
        self.manager = make_staff(Role.MANAGER, email="manager@fuwu.example")
        self.general_manager = make_staff(Role.GENERAL_MANAGER, email="gm@fuwu.example")


@pytest.fixture
def team():
    policy("建议处理时限", weekday_calendar(), {ClockKind.RESOLUTION: 240}, service_type="suggestion")
    return Team()


def request_at_ten(team, **options):
    """Registered Monday 2026-11-23 10:00 and accepted: the resolution clock is due at 14:00."""
    with at(local(2026, 11, 23, 10)):
        ticket = make_ticket(team.owner, "suggestion", channel="email", **options)
        return move(team.owner, ticket, Move.ACCEPT)


def subjects_to(user) -> list[str]:
    return list(OutboxMessage.objects.filter(recipient=user).order_by("id").values_list("subject", flat=True))


def test_warning_then_breach_then_manager_each_once(team):
    ticket = request_at_ten(team)
    clock = SlaClock.objects.get(ticket=ticket, kind=ClockKind.RESOLUTION)
    assert (clock.warn_at, clock.due_at) == (local(2026, 11, 23, 13), local(2026, 11, 23, 14))

    assert sla_watch(now=local(2026, 11, 23, 12, 59)).warned == []
    assert sla_watch(now=local(2026, 11, 23, 13)).warned == [clock.pk]
    assert sla_watch(now=local(2026, 11, 23, 13, 1)).warned == []
    assert len(subjects_to(team.owner)) == 1 and subjects_to(team.leader) == []

    breach = sla_watch(now=local(2026, 11, 23, 14))
    assert breach.breached == [clock.pk] and breach.warned == []
    assert sla_watch(now=local(2026, 11, 23, 14, 1)).breached == []
    clock.refresh_from_db()
    assert (clock.breached_at, clock.escalation_level) == (local(2026, 11, 23, 14), 1)
    assert clock.next_escalation_at == local(2026, 11, 23, 16)  # half the target again, in business time
    assert len(subjects_to(team.owner)) == 2 and len(subjects_to(team.leader)) == 1
    assert OutboxMessage.objects.filter(recipient=team.leader, email="leader@fuwu.example").exists()
    ticket.refresh_from_db()
    assert ticket.sla_state == "breached"

    assert sla_watch(now=local(2026, 11, 23, 15, 59)).escalated == []
    assert sla_watch(now=local(2026, 11, 23, 16)).escalated == [clock.pk]
    assert sla_watch(now=local(2026, 11, 24, 16)).escalated == []  # not a major matter: no general manager
    assert len(subjects_to(team.manager)) == 1 and subjects_to(team.general_manager) == []
    assert list(SlaEscalation.objects.filter(clock=clock).values_list("level", flat=True)) == [0, 1, 2]
    assert [e.action for e in AuditEvent.objects.filter(object_id=str(ticket.pk), action__startswith="ticket.sla_")
            .order_by("id")] == ["ticket.sla_warning", "ticket.sla_breached", "ticket.sla_escalated"]


def test_a_major_matter_reaches_the_general_manager(team):
    ticket = request_at_ten(team, major=True)
    OutboxMessage.objects.all().delete()  # the notice at marking (R3.5) is tested elsewhere
    for hour in (14, 16, 18):
        sla_watch(now=local(2026, 11, 23, hour))
    clock = SlaClock.objects.get(ticket=ticket, kind=ClockKind.RESOLUTION)
    assert clock.escalation_level == 3 and clock.next_escalation_at is None
    assert len(subjects_to(team.general_manager)) == 1
    assert OutboxMessage.objects.filter(recipient=team.general_manager, email="gm@fuwu.example").exists()


def test_met_and_paused_clocks_are_left_alone(team):
    ticket = request_at_ten(team)
    with at(local(2026, 11, 23, 11)):
        ticket = move(team.owner, ticket, Move.START)
        move(team.owner, ticket, Move.WAIT_CUSTOMER)
    result = sla_watch(now=local(2026, 11, 25, 9))
    assert (result.warned, result.breached, result.escalated) == ([], [], [])


def test_the_periodic_task_runs_the_watch(team):
    request_at_ten(team)
    with at(local(2026, 11, 23, 14, 30)):
        assert sla_watch_every_minute.call_local() == 1  # breached (the warning is folded into the breach)
        assert sla_watch_every_minute.call_local() == 0


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

    class Keep:
        def __init__(self):
            self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
            self.lock = threading.Lock()

        async def handle_DATA(self, server, session, envelope):
            with self.lock:
                message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
                self.messages.append((list(envelope.rcpt_tos), message))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, handler
    controller.stop()


def test_breach_mail_is_delivered_over_smtp_once(team, settings, smtp_server):
    port, server = smtp_server
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5}}}
    ticket = request_at_ten(team)
    sla_watch(now=local(2026, 11, 23, 14))
    sla_watch(now=local(2026, 11, 23, 14, 5))
    assert outbox_deliver_pending() >= 2
    assert outbox_deliver_pending() == 0
    recipients = sorted(rcpt for tos, _body in server.messages for rcpt in tos)
    assert recipients == ["leader@fuwu.example", "owner@fuwu.example"]
    for _tos, message in server.messages:
        assert ticket.number in message["subject"] and "逾期" in message["subject"]
        assert f"/tickets/{ticket.pk}/" in message.get_content()
