"""`seed_demo --fast` (fuwu.tickets.bulkload): the demo year written directly, yet accepted by every rule.

The same checks hold at a million requests (bench/README.md); here a few hundred, on SQLite and on
PostgreSQL (bulk inserts there, COPY here), cut into small chunks so that worker processes simulate
them and the parent stitches their ids and events together, as at scale.
"""

import random
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from fuwu.core.models import AuditEvent
from fuwu.standards.businesstime import MicroClock, from_us, to_us
from fuwu.standards.calendars import business_clock
from fuwu.standards.models import ServiceCalendar
from fuwu.tickets import cases
from fuwu.tickets.bulkload import seed_tickets_fast, seeder
from fuwu.tickets.bulkload.instants import DAY
from fuwu.tickets.lifecycle import OPEN_STATUSES, Status
from fuwu.tickets.models import (
    Entry,
    Handover,
    RepeatContact,
    SlaClock,
    SlaClockPause,
    SlaEscalation,
    Ticket,
    TicketNumberSequence,
)

pytestmark = pytest.mark.django_db

TICKETS = 400
# Events that change the ticket row (each bumps its version); the others are the watch's and registration.
VERSIONED = {"ticket.moved", "ticket.handover_requested", "ticket.handover_accepted", "ticket.handover_declined",
             "ticket.tier_changed", "ticket.repeat_contact", "ticket.marked_major", "ticket.arrived_on_site",
             "ticket.follow_up_added"}



@pytest.fixture
def seeded(monkeypatch) -> str:
    monkeypatch.setattr(seeder, "CHUNK", 150)  # several chunks, so simulated by worker processes and stitched
    out = StringIO()
    call_command("seed_demo", customers=60, staff=12, tickets=TICKETS, fast=True, work_orders=0, year_only=True,
                 stdout=out)
    return out.getvalue()


def test_the_audit_chain_holds_and_covers_every_request(seeded):
    assert f"{TICKETS} service requests" in seeded and "fast path" in seeded and "worker processes" in seeded
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
        cases.refresh_ticket(ticket)
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


def _contents() -> list:
    """Every row written, but the database-assigned keys of pauses and escalations (sequences are not rolled back)."""
    found = []
    for model in (Ticket, Handover, RepeatContact, Entry, SlaClock, SlaClockPause, SlaEscalation, AuditEvent):
        given = model not in (SlaClockPause, SlaEscalation)
        names = [f.attname for f in model._meta.concrete_fields if given or not f.primary_key]
        found.append(sorted(model.objects.values_list(*names), key=repr))
    return found


def test_the_data_depends_on_the_seed_not_on_the_number_of_processes(monkeypatch):
    """Chunks have their own random generators and get their ids from the parent: one process or two, same rows."""
    monkeypatch.setattr(seeder, "CHUNK", 60)
    call_command("seed_demo", customers=40, staff=12, tickets=0, fast=True, year_only=True, stdout=StringIO())
    now, seen, logs = timezone.now(), [], []
    for processes in (0, 2, 0):
        with transaction.atomic():
            seed_tickets_fast(seed=7, count=200, now=now, processes=processes, log=logs.append)
            seen.append(_contents())
            transaction.set_rollback(True)
    assert "2 worker processes" in logs[1]
    assert seen[0] == seen[1] == seen[2]
    assert len(seen[0][0]) == 200


def test_micro_clock_answers_as_the_business_clock():
    """The simulation's integer clock (`businesstime.MicroClock`) against the real one, in and out of its years."""
    call_command("seed_demo", customers=10, staff=12, tickets=0, fast=True, year_only=True,
                 stdout=StringIO())  # the calendars
    rng = random.Random(5)
    now = to_us(timezone.now())
    for calendar in ServiceCalendar.objects.all():
        real = business_clock(calendar.pk)
        year = timezone.localtime().year
        clock = MicroClock(real, year - 1, year)
        for _n in range(300):
            at = now + rng.randrange(-500 * DAY, 400 * DAY)  # some beyond its years: the real clock answers
            seconds = rng.choice([0, 1, 59, 3600, 8 * 3600, 5 * 86400]) + rng.randrange(1000)
            due = real.add(from_us(at), timezone.timedelta(seconds=seconds))
            assert clock.add_us(at, seconds) == (to_us(due.at), due.missing_years)
            end = at + rng.randrange(0, 40 * DAY)
            span = real.between(from_us(at), from_us(end)).duration
            assert clock.between_us(at, end) == span // timezone.timedelta(microseconds=1)
            assert clock.end_of_business_day_us(at) == to_us(real.end_of_business_day(from_us(at)).at)
