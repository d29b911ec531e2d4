"""`seed_demo --fast` (fuwu.tickets.scale): the demo year written directly, yet accepted by every rule.

The same checks hold at a million requests (bench/README.md); here a few hundred, on SQLite and on
PostgreSQL (bulk inserts there, COPY here).
"""

from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from fuwu.core.models import AuditEvent
from fuwu.tickets import clocks
from fuwu.tickets.lifecycle import OPEN_STATUSES, Status
from fuwu.tickets.models import Entry, Handover, SlaClock, SlaClockPause, SlaEscalation, Ticket, TicketNumberSequence

pytestmark = pytest.mark.django_db

TICKETS = 400
# Events that change the ticket row (each bumps its version); the others are the watch's and registration.
VERSIONED = {"ticket.moved", "ticket.handover_requested", "ticket.handover_accepted", "ticket.handover_declined",
             "ticket.tier_changed", "ticket.repeat_contact", "ticket.marked_major", "ticket.arrived_on_site",
             "ticket.follow_up_added"}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded() -> str:
    out = StringIO()
    call_command("seed_demo", customers=60, staff=12, tickets=TICKETS, fast=True, stdout=out)
    return out.getvalue()


def test_the_audit_chain_holds_and_covers_every_request(seeded):
    assert f"{TICKETS} service requests" in seeded and "fast path" in seeded
    call_command("verify_audit", stdout=StringIO())
    assert Ticket.objects.count() == TICKETS
    assert AuditEvent.objects.filter(action="ticket.registered").count() == TICKETS
    events = list(AuditEvent.objects.filter(object_type="tickets.ticket").order_by("id")
                  .values_list("occurred_at", "object_id", "action", "payload"))
    assert [at for at, *_ in events] == sorted(at for at, *_ in events)  # appended in time order
    by_ticket = defaultdict(list)
    for _at, object_id, action, payload in events:
        by_ticket[int(object_id)].append((action, payload))
    for ticket in Ticket.objects.all():
        history = by_ticket[ticket.pk]
        assert history[0][0] == "ticket.registered" and history[0][1]["number"] == ticket.number
        assert ticket.version == 1 + sum(action in VERSIONED for action, _ in history), ticket.number
        moves = [payload["to"] for action, payload in history if action == "ticket.moved"]
        assert (moves[-1] if moves else Status.NEW) == ticket.status or (
            not moves and ticket.status == Status.ACCEPTED), ticket.number  # accepted by taking a hand-over


def test_rows_agree_with_their_events(seeded):
    actions = Counter(AuditEvent.objects.values_list("action", flat=True))
    assert Handover.objects.count() == actions["ticket.handover_requested"]
    assert Handover.objects.filter(state=Handover.State.ACCEPTED).count() == actions["ticket.handover_accepted"]
    assert Handover.objects.filter(state=Handover.State.DECLINED).count() == actions["ticket.handover_declined"]
    assert Entry.objects.filter(kind=Entry.Kind.FOLLOW_UP).count() == actions["ticket.follow_up_added"]
    assert SlaEscalation.objects.count() == (
        actions["ticket.sla_warning"] + actions["ticket.sla_breached"] + actions["ticket.sla_escalated"])
    assert not Handover.objects.filter(state=Handover.State.PENDING).exclude(ticket__has_pending_handover=True).exists()
    statuses = Counter(Ticket.objects.values_list("status", flat=True))
    assert statuses[Status.CLOSED] > TICKETS / 2 and statuses[Status.CANCELLED] >= 1
    assert sum(statuses[s] for s in OPEN_STATUSES) >= 1  # recent requests are still being worked
    for ticket in Ticket.objects.exclude(resolved_at=None):
        assert ticket.received_at <= ticket.registered_at or ticket.is_retroactive
        assert ticket.resolved_at >= ticket.registered_at
    assert not Ticket.objects.filter(received_at__gt=timezone.now()).exists()


def test_sla_clocks_are_consistent_with_the_times(seeded):
    per_ticket = Ticket.objects.annotate(n=Count("clocks")).values_list("n", flat=True)
    assert min(per_ticket) >= 2  # first response and resolution at least
    for clock in SlaClock.objects.all():
        assert clock.started_at >= clock.ticket.received_at
        if clock.state == SlaClock.State.MET:
            assert clock.met_at >= clock.started_at and clock.running_since is None and clock.warn_at is None
            assert (clock.breached_at is not None) == (clock.due_at is not None and clock.met_at > clock.due_at) or (
                clock.breached_at is not None and clock.breached_at <= clock.met_at)
        if clock.state == SlaClock.State.RUNNING:
            assert clock.due_at is not None and clock.running_since is not None
            if clock.due_at < timezone.now() - timezone.timedelta(minutes=2):  # the watch has run since it fell due
                assert clock.breached_at is not None and clock.breached_at <= clock.due_at and clock.warned_at
                assert SlaEscalation.objects.filter(clock=clock, level=1).exists()
    assert not SlaClockPause.objects.filter(ended_at=None).exclude(clock__state=SlaClock.State.PAUSED).exists()
    # The ticket's queue columns are what the clocks module itself computes from the clocks.
    for ticket in Ticket.objects.all():
        loaded = (ticket.sla_due_at, ticket.sla_state)
        clocks.refresh_ticket(ticket)
        assert (ticket.sla_due_at, ticket.sla_state) == loaded, ticket.number


def test_the_actions_carry_on_after_the_load(seeded, django_user_model):
    from fuwu.tickets import actions
    from fuwu.tickets.validation import TicketInput

    agent = django_user_model.objects.get(username="agent")
    last = Ticket.objects.order_by("-id").first()
    consultation = last.service_type.__class__.objects.get(code="consultation")
    ticket = actions.ticket_register(actor=agent, data=TicketInput(
        service_type_id=consultation.pk, title="咨询保修政策", contact_name="陈先生", contact_phone="13912345678"))
    assert ticket.pk == last.pk + 1
    year = timezone.localtime(ticket.received_at).year
    assert ticket.number == f"FW-{year}-{TicketNumberSequence.objects.get(year=year).last:06d}"
    assert ticket.clocks.count() == 2
    call_command("verify_audit", stdout=StringIO())
