"""Field service on the fast path (`seed_demo --fast`, `fuwu.fieldservice.bulkload`): the on-site requests of the
loaded year get work orders that follow the transition table, agree with their requests' record, never book a
technician twice, keep the materials ledger whole, read correctly through the selectors and pages, and record
the same kinds of rows and audit payloads as the actions (`fuwu.fieldservice.demo`). R4.4, R4.5, R5.1–R5.5, R13.2.
"""

import datetime
import itertools
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from fuwu.core.models import AuditEvent
from fuwu.fieldservice.bulkload import life, seed_work_orders_fast
from fuwu.fieldservice.demo import seed_work_orders
from fuwu.fieldservice.dispatch import SLOT_LENGTH, TRAVEL_BUFFER, working_schedule
from fuwu.fieldservice.models import ProductDefect, Visit, WorkOrder, WorkOrderStatus
from fuwu.fieldservice.selectors import technician_day, week_board, week_of
from fuwu.fieldservice.timeliness import last_months, repair_timeliness
from fuwu.fieldservice.workflow import transition_for
from fuwu.materials.models import Movement, MovementKind, StockHolding
from fuwu.tickets.bulkload import seed_tickets_fast
from fuwu.tickets.models import SlaClock, Ticket

pytestmark = pytest.mark.django_db

TICKETS = 1500
SEED = 11
FIELD_TYPES = ("fieldservice.workorder", "materials.movement")
BUMPS = {"work_order.scheduled", "work_order.rescheduled", "work_order.dispatched", "work_order.accepted",
         "work_order.moved", "work_order.declined", "work_order.cancelled", "work_order.completed"}
MOVE_OF = {"work_order.scheduled": "schedule", "work_order.rescheduled": "schedule",
           "work_order.dispatched": "dispatch", "work_order.completed": "complete"}
NOT_BOOKED = ("declined", "cancelled")


@pytest.fixture
def every_path(monkeypatch) -> None:
    """Every path of the script shows up in a small year."""
    for name, share in (("CANCEL_SHARE", 0.1), ("DECLINE_SHARE", 0.15), ("RESCHEDULE_SHARE", 0.15),
                        ("REVISIT_SHARE", 0.5), ("DEFECT_SHARE", 0.3)):
        monkeypatch.setattr(life, name, share)


@pytest.fixture
def fast_year(every_path) -> str:
    out = StringIO()
    call_command("seed_demo", customers=60, staff=12, tickets=TICKETS, fast=True, stdout=out)
    return out.getvalue()


def _events(object_type: str = "fieldservice.workorder") -> dict[str, list[AuditEvent]]:
    found = defaultdict(list)
    for event in AuditEvent.objects.filter(object_type=object_type).order_by("id"):
        found[event.object_id].append(event)
    return found


def test_each_work_order_follows_the_table_and_agrees_with_its_request(fast_year):
    assert "on-site requests given work orders" in fast_year
    call_command("verify_audit", stdout=StringIO())
    orders = list(WorkOrder.objects.select_related("ticket").prefetch_related("visits"))
    assert len(orders) >= 40
    statuses = Counter(wo.status for wo in orders)
    assert statuses[WorkOrderStatus.REPORTED] > len(orders) / 2 and statuses[WorkOrderStatus.CANCELLED]
    outcomes = Counter(v.outcome for wo in orders for v in wo.visits.all())
    assert outcomes["declined"] and (outcomes["waiting_parts"] + outcomes["revisit_needed"])
    events = _events()
    assert {e.action for found in events.values() for e in found} >= {
        "work_order.opened", "work_order.rescheduled", "work_order.declined", "work_order.cancelled",
        "work_order.defect_reported", "work_order.completed"}
    went = dict(SlaClock.objects.filter(kind="onsite_arrival").values("ticket_id").annotate(at=Min("started_at"))
                .values_list("ticket_id", "at"))
    resolved = dict(SlaClock.objects.filter(kind="resolution", met_at__isnull=False).values("ticket_id")
                    .annotate(at=Min("met_at")).values_list("ticket_id", "at"))
    arrivals = {int(e.object_id): e.actor_id for e in AuditEvent.objects.filter(action="ticket.arrived_on_site")}
    for wo in orders:
        history = events[str(wo.pk)]
        status = WorkOrderStatus.CREATED
        for event in history[1:]:  # replayed through the transition table
            if event.action in ("work_order.moved", "work_order.declined", "work_order.cancelled"):
                move, target = event.payload["move"], event.payload["to"]
                assert event.payload["from"] == status, wo.number
            elif event.action in MOVE_OF:
                move, target = MOVE_OF[event.action], None
            else:
                continue
            transition = transition_for(status, move, target)
            assert transition is not None, (wo.number, status, move)
            status = transition.target
        assert history[0].action == "work_order.opened" and status == wo.status, wo.number
        assert wo.version == 1 + sum(e.action in BUMPS for e in history), wo.number
        ticket = wo.ticket
        assert wo.number.startswith(ticket.number) and wo.site_address == ticket.site_address
        first = wo.number.endswith("-W1")
        assert not first or wo.opened_at == went[ticket.pk]  # opened as the request went on site
        visits = [v for v in wo.visits.all() if v.outcome not in NOT_BOOKED]
        if ticket.onsite_arrived_at is not None and wo.status != WorkOrderStatus.CANCELLED:
            # The first visit's check-in is the request's arrival, by the technician who recorded it.
            assert visits[0].arrived_at == ticket.onsite_arrived_at, wo.number
            assert visits[0].technician_id == arrivals[ticket.pk] == ticket.owner_id, wo.number
        if wo.status == WorkOrderStatus.REPORTED and ticket.pk in resolved:
            assert wo.completed_at <= wo.reported_at < resolved[ticket.pk], wo.number
        for visit in visits:
            steps = [visit.departed_at, visit.arrived_at, visit.ended_at]
            reached = [at for at in steps if at is not None]
            assert reached == sorted(reached) and steps[:len(reached)] == reached, wo.number


def test_visits_lie_in_working_hours_and_no_technician_is_booked_twice(fast_year):
    schedule = working_schedule()
    by_technician = defaultdict(list)
    visits = Visit.objects.exclude(outcome__in=NOT_BOOKED).order_by("window_start")
    assert visits.exists()
    for visit in visits:
        start = timezone.localtime(visit.window_start)
        minute = start.hour * 60 + start.minute
        assert visit.window_end - visit.window_start == SLOT_LENGTH
        assert any(opens <= minute and minute + 120 <= closes and (minute - opens) % 30 == 0
                   for opens, closes in schedule.hours_on(start.date())), visit
        by_technician[visit.technician_id].append(visit)
    for booked in by_technician.values():
        for before, after in itertools.pairwise(booked):
            assert after.window_start >= before.window_end + TRAVEL_BUFFER, (before, after)


def test_the_ledger_stays_the_sum_of_its_movements(fast_year):
    consumed = Movement.objects.filter(kind=MovementKind.CONSUMPTION)
    assert consumed.exists() and Movement.objects.filter(kind=MovementKind.REQUISITION, note="补充随车备件").exists()
    balance: Counter = Counter()
    payloads = {e.object_id: e.payload for e in AuditEvent.objects.filter(object_type="materials.movement")}
    for m in Movement.objects.order_by("at", "id"):
        source = (m.item_id, m.from_holder_id) if m.from_store or m.from_holder_id else None
        target = (m.item_id, m.to_holder_id) if m.to_store or m.to_holder_id else None
        if source:
            balance[source] -= m.quantity
            assert balance[source] >= 0, m  # never below zero, at any moment of the year
        if target:
            balance[target] += m.quantity
        payload = payloads[str(m.pk)]  # each movement's event says what it left, as the actions do
        if "store_quantity" in payload:
            assert payload["store_quantity"] == balance[(m.item_id, None)], m
        if "technician_quantity" in payload:
            assert payload["technician_quantity"] == balance[(m.item_id, payload["technician"])], m
    holdings = list(StockHolding.objects.all())
    assert holdings and all(h.quantity == balance[(h.item_id, h.holder_id)] for h in holdings)
    assert set(balance) <= {(h.item_id, h.holder_id) for h in holdings}
    orders = {wo.pk: wo for wo in WorkOrder.objects.prefetch_related("visits")}
    for m in consumed.filter(work_order_id__isnull=False):
        wo = orders[m.work_order_id]
        assert m.reference == wo.number and m.actor_id == m.from_holder_id
        assert any(v.technician_id == m.from_holder_id and v.arrived_at <= m.at <= (v.ended_at or m.at)
                   for v in wo.visits.all() if v.arrived_at), m  # used while at work on that order


def test_the_selectors_and_pages_read_the_fast_year(fast_year, client):
    manager = get_user_model().objects.get(username="manager")
    counts = Counter((v.technician_id, timezone.localtime(v.window_start).date())
                     for v in Visit.objects.exclude(outcome__in=NOT_BOOKED))
    (technician_id, day), n = counts.most_common(1)[0]
    technician = get_user_model().objects.get(pk=technician_id)
    visits = technician_day(technician, day)
    assert len(visits) == n and [v.window_start for v in visits] == sorted(v.window_start for v in visits)
    rows = dict((profile.user_id, cells) for profile, cells in week_board(manager, days=week_of(day)))
    assert [v.pk for v in dict(rows[technician_id])[day]] == [v.pk for v in visits]

    now = timezone.now()
    since = now - datetime.timedelta(days=400)
    total, by_month = repair_timeliness(manager, since=since, until=now)
    done = WorkOrder.objects.filter(status__in=(WorkOrderStatus.COMPLETED, WorkOrderStatus.REPORTED))
    assert total.completed == done.count() == sum(m.completed for m in by_month) and len(by_month) >= 6
    late = {c for c, in SlaClock.objects.filter(kind="onsite_arrival", breached_at__isnull=False).values_list(
        "ticket_id")}
    assert total.arrived_on_time == done.exclude(ticket_id__in=late).count()
    assert 0 < total.rate <= total.arrival_rate <= 1 and 0 < total.first_visit_rate < 1
    assert 1 < total.visits_per_order < 2

    client.force_login(manager)
    shown, _months = repair_timeliness(manager, since=last_months(12)[0], until=now)
    page = client.get("/field/timeliness/")
    assert page.status_code == 200 and f">{shown.completed}<" in page.content.decode() and shown.completed
    used = Movement.objects.filter(kind=MovementKind.CONSUMPTION, work_order_id__isnull=False).select_related(
        "item").first()
    detail = client.get(f"/field/{used.work_order_id}/")
    assert detail.status_code == 200 and used.item.name in detail.content.decode()
    assert ProductDefect.objects.exists() and client.get("/field/defects/").status_code == 200
    pdf = client.get(f"/field/{used.work_order_id}/pdf/")  # with the stored signature
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(technician)
    assert client.get(f"/field/week/?day={day.isoformat()}").status_code == 200


def _shapes() -> dict:
    """What the field rows and events look like: payload keys per action, which fields are filled."""
    keys, types = defaultdict(set), defaultdict(set)
    for event in AuditEvent.objects.filter(object_type__in=FIELD_TYPES, action__startswith="work_order.").order_by(
            "id"):
        keys[event.action].add(frozenset(event.payload))
        for key, value in event.payload.items():
            if value is not None:
                types[(event.action, key)].add(type(value).__name__)
    for event in AuditEvent.objects.filter(action="material.consumed", payload__has_key="work_order_id"):
        keys[event.action].add(frozenset(event.payload))

    def filled(rows) -> tuple[frozenset, frozenset]:
        """The fields filled in every row, and those filled in none."""
        sets = [frozenset(f for f, v in row.items() if v not in (None, "")) for row in rows]
        return frozenset.intersection(*sets), frozenset(rows[0]) - frozenset.union(*sets)

    return {
        "keys": keys,
        "types": types,
        "reported": filled(list(WorkOrder.objects.filter(status=WorkOrderStatus.REPORTED).values())),
        "visits": filled(list(Visit.objects.filter(outcome="completed").values())),
        "consumed": filled(list(Movement.objects.filter(kind=MovementKind.CONSUMPTION, work_order_id__isnull=False)
                                .values())),
    }


def _played(player) -> dict:
    with transaction.atomic():
        player()
        found = _shapes()
        transaction.set_rollback(True)
    return found


def test_the_actions_and_the_fast_path_record_the_same_kinds_of_rows(every_path):
    call_command("seed_demo", customers=60, staff=12, tickets=0, work_orders=0, stdout=StringIO())
    now = timezone.now()
    slow = _played(lambda: seed_work_orders(seed=SEED, count=15))

    def fast():
        seed_tickets_fast(seed=SEED, count=900, now=now, processes=0)
        assert seed_work_orders_fast(seed=SEED, now=now) > 10
        assert Ticket.objects.filter(work_orders__isnull=False).count() > 10

    quick = _played(fast)
    for action, shapes in slow["keys"].items():
        assert shapes <= quick["keys"][action], action
    for key, found in slow["types"].items():
        assert found <= quick["types"][key], key
    for table in ("reported", "visits", "consumed"):
        always, never = slow[table]
        assert always <= quick[table][0], (table, always - quick[table][0])
        assert quick[table][1] >= never - {"id"}, (table, never - quick[table][1])
