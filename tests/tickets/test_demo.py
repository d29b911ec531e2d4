"""Demo requests (`seed_demo --tickets`): a year worked through the actions, audited, deterministic, idempotent."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from fuwu.core.models import AuditEvent
from fuwu.tickets.demo import seed_tickets
from fuwu.tickets.lifecycle import Status
from fuwu.tickets.models import Handover, Ticket

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = StringIO()
    options.setdefault("work_orders", 0)  # the requests' year alone (field service has its own test)
    options.setdefault("year_only", True)  # inspection findings are requests too; their demo has its own test
    call_command("seed_demo", customers=40, staff=12, stdout=out, **options)
    return out.getvalue()


def test_a_year_of_requests_through_the_actions():
    output = seed(tickets=150)
    assert "150 service requests" in output
    tickets = Ticket.objects.all()
    assert tickets.count() == 150
    assert AuditEvent.objects.filter(action="ticket.registered").count() == 150
    statuses = Counter(tickets.values_list("status", flat=True))
    assert statuses[Status.CLOSED] > 75 and statuses[Status.CANCELLED] >= 1
    received = sorted(tickets.values_list("received_at", flat=True))
    now = timezone.now()
    assert (now - received[0]).days > 200 and (now - received[-1]).days < 60
    # Registered and resolved at the simulated time, not all "today".
    resolved = [t for t in tickets if t.resolved_at]
    assert all(t.received_at <= t.registered_at <= t.resolved_at for t in resolved if not t.is_retroactive)
    assert min(t.resolved_at for t in resolved) < now - timezone.timedelta(days=100)
    channels = Counter(tickets.values_list("channel", flat=True))
    assert channels.most_common(1)[0][0] == "phone"
    assert Handover.objects.filter(state=Handover.State.ACCEPTED).exists()
    assert tickets.exclude(first_responsible=tickets.first().first_responsible).exists()
    assert AuditEvent.objects.filter(action="ticket.moved", actor__isnull=True).exists()  # the nightly auto-close
    call_command("verify_audit")

    events = AuditEvent.objects.count()
    assert "already present" in seed(tickets=150)
    assert Ticket.objects.count() == 150 and AuditEvent.objects.count() == events


def test_the_same_seed_gives_the_same_requests():
    seed(tickets=0)

    def run() -> list[tuple]:
        with transaction.atomic():
            seed_tickets(seed=7, count=40)
            rows = list(Ticket.objects.order_by("id").values_list("title", "kind", "channel", "status",
                                                                   "contact_phone"))
            transaction.set_rollback(True)
        return rows

    first = run()
    assert len(first) == 40 and first == run()
