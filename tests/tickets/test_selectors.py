"""Ticket reads (docs/architecture.md, rule 2): queues per role, filters, keyset pages, phone look-up, query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fuwu.core.errors import PermissionDenied
from fuwu.org.models import Group, Region
from fuwu.org.roles import Role
from fuwu.tickets.actions import handover_accept, ticket_hand_over
from fuwu.tickets.lifecycle import Move, Status
from fuwu.tickets.models import Ticket
from fuwu.tickets.selectors import (
    SORTS,
    Queue,
    TicketFilters,
    cursor_of,
    open_tickets_for_phone,
    queue_counts,
    queue_queryset,
    queues_for,
    ticket_page,
)
from tests.factories import fresh, make_customer, make_staff, make_ticket
from tests.tickets.workflow import move, staff_in

pytestmark = pytest.mark.django_db


def ids(qs) -> set[int]:
    return set(qs.values_list("id", flat=True))


WORKER_QUEUES = [Queue.MINE, Queue.GROUP, Queue.UNASSIGNED, Queue.HANDOVERS, Queue.FIRST_CONTACT]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.AGENT, WORKER_QUEUES),
        (Role.SUPPORT, WORKER_QUEUES),
        (Role.TECHNICIAN, WORKER_QUEUES),
        (Role.MANAGER, [*WORKER_QUEUES, Queue.ALL]),
        (Role.QUALITY_SUPERVISOR, [Queue.ALL]),
        (Role.GENERAL_MANAGER, [Queue.ALL]),
        (Role.FINANCE, []),
        (Role.CUSTOMER, []),
    ],
)
def test_queues_for_each_role(role, expected):
    user = make_staff(role)
    assert queues_for(user) == expected
    for queue in set(Queue) - set(expected):
        with pytest.raises(PermissionDenied):
            queue_queryset(user, queue)


def test_each_queue_holds_the_right_tickets(agent, manager):
    technician, colleague = make_staff(Role.TECHNICIAN), make_staff(Role.TECHNICIAN)
    repair = Group.objects.get(code="repair")
    mine = make_ticket(agent, title="咨询保修政策")
    done = make_ticket(agent, title="已办结", settle_with_resolution="已答复")
    handed = make_ticket(agent, title="空调不制冷")
    handover = ticket_hand_over(actor=agent, ticket=handed, expected_version=handed.version, to_group=repair,
                                note="上门检修")
    named = make_ticket(agent, title="电梯异响")
    ticket_hand_over(actor=agent, ticket=named, expected_version=named.version, to_group=repair,
                     to_user=colleague, note="指定")
    taken = make_ticket(agent, title="网络中断")
    taken_handover = ticket_hand_over(actor=agent, ticket=taken, expected_version=taken.version, to_group=repair,
                                      note="转维修")
    handover_accept(actor=technician, handover=taken_handover)
    from fuwu.tickets.actions import ticket_reassign

    unowned = make_ticket(agent, title="无人认领")
    ticket_reassign(actor=manager, ticket=unowned, expected_version=unowned.version, to_group=repair, to_user=None,
                    note="维修组认领")
    cancelled = move(manager, make_ticket(agent, title="撤回"), Move.CANCEL, reason="客户撤回")

    assert ids(queue_queryset(agent, Queue.MINE)) == {mine.pk, handed.pk, named.pk}
    assert ids(queue_queryset(agent, Queue.GROUP)) == {mine.pk, handed.pk, named.pk}
    assert ids(queue_queryset(agent, Queue.FIRST_CONTACT)) == {mine.pk, done.pk, handed.pk, named.pk, taken.pk,
                                                              unowned.pk}
    assert ids(queue_queryset(agent, Queue.HANDOVERS)) == set()

    assert ids(queue_queryset(technician, Queue.MINE)) == {taken.pk}
    assert ids(queue_queryset(technician, Queue.GROUP)) == {taken.pk, unowned.pk}
    assert ids(queue_queryset(technician, Queue.UNASSIGNED)) == {unowned.pk}
    assert ids(queue_queryset(technician, Queue.HANDOVERS)) == {handed.pk}  # not the one named for a colleague
    assert ids(queue_queryset(colleague, Queue.HANDOVERS)) == {handed.pk, named.pk}
    assert ids(queue_queryset(technician, Queue.FIRST_CONTACT)) == set()

    # The manager has no group: "my group" is empty, not every request without a group.
    assert ids(queue_queryset(manager, Queue.GROUP)) == set()
    assert ids(queue_queryset(manager, Queue.ALL)) == {t.pk for t in (mine, done, handed, named, taken, unowned,
                                                                       cancelled)}
    assert ids(queue_queryset(make_staff(Role.QUALITY_SUPERVISOR), Queue.ALL)) == ids(Ticket.objects.all())
    counts = queue_counts(technician)
    assert counts[Queue.GROUP] == (2, False) and counts[Queue.HANDOVERS] == (1, False)
    assert handover.pk


def test_a_ticket_without_a_group_is_not_in_a_groupless_managers_group_queue(manager):
    # A manager without a group registers a request of a type without a default group.
    from fuwu.standards.models import ServiceType

    ServiceType.objects.filter(code="other").update(default_group=None)
    ticket = make_ticket(manager, "other", title="其他事项")
    assert ticket.group_id is None
    assert ticket.pk not in ids(queue_queryset(manager, Queue.GROUP))
    assert ticket.pk in ids(queue_queryset(manager, Queue.MINE))


def _walk(viewer, queue, filters, size):
    seen, after, pages = [], "", 0
    while True:
        rows, more = ticket_page(viewer, queue, filters, after=after, size=size)
        seen += [t.pk for t in rows]
        pages += 1
        if not more:
            return seen, pages
        after = cursor_of(rows[-1], filters.sort)


@pytest.mark.parametrize("sort", list(SORTS))
def test_keyset_pages_return_every_ticket_once_in_order(agent, manager, sort):
    base = timezone.now() - timedelta(days=3)
    tickets = []
    for n in range(23):
        # Several requests share a received time, so the id must break the tie.
        tickets.append(make_ticket(agent, title=f"请求{n}", received_at=base + timedelta(hours=n // 4)))
    for t in tickets[::5]:
        move(agent, t, Move.ACCEPT)  # changes updated_at in another order than the ids
    seen, pages = _walk(manager, Queue.ALL, TicketFilters(sort=sort), size=5)
    assert sorted(seen) == sorted(t.pk for t in tickets) and len(seen) == len(set(seen))
    assert pages == 5
    expected = list(Ticket.objects.order_by(*SORTS[sort]).values_list("id", flat=True))
    assert seen == expected


def test_a_bad_cursor_starts_from_the_beginning(agent, manager):
    make_ticket(agent)
    rows, more = ticket_page(manager, Queue.ALL, TicketFilters(sort="received"), after="nonsense")
    assert len(rows) == 1 and not more


def test_filters(agent, manager):
    region = Region.objects.create(code="east", name="华东")
    customer = make_customer(agent, name="上海某物业公司")
    old = timezone.now() - timedelta(days=40)
    repair = make_ticket(agent, "repair", title="空调不制冷", contact_phone="13900139000", site_address="世纪大道1号",
                         region_id=region.pk, occurred_since="昨天", received_at=old)
    complaint = make_ticket(agent, "complaint", title="投诉维修人员迟到", contact_phone="13700137000",
                            customer_id=customer.pk, priority="urgent", major=True)
    consult = make_ticket(agent, title="咨询保修政策", settle_with_resolution="已答复")

    def found(**kwargs):
        rows, _ = ticket_page(manager, Queue.ALL, TicketFilters(**kwargs))
        return {t.pk for t in rows}

    assert found() == {repair.pk, complaint.pk, consult.pk}
    assert found(q=complaint.number.lower()) == {complaint.pk}
    assert found(q="139 0013 9000") == {repair.pk}
    assert found(q="保修") == {consult.pk}
    assert found(kind="repair") == {repair.pk}
    assert found(service_type_id=complaint.service_type_id) == {complaint.pk}
    assert found(statuses=[Status.RESOLVED]) == {consult.pk}
    assert found(priority="urgent") == {complaint.pk}
    assert found(group_id=Group.objects.get(code="customer_service").pk) == {repair.pk, complaint.pk, consult.pk}
    assert found(region_id=region.pk) == {repair.pk}
    assert found(customer_id=customer.pk) == {complaint.pk}
    assert found(received_to=timezone.localdate(old)) == {repair.pk}
    assert found(received_from=timezone.localdate() - timedelta(days=1)) == {complaint.pk, consult.pk}
    assert found(major_only=True) == {complaint.pk}


def test_open_tickets_for_phone_by_contact_and_by_customer(agent, manager):
    customer = make_customer(agent, name="杭州某学校", phone="13512345678")
    by_contact = make_ticket(agent, title="网络中断", contact_phone="13800138000")
    by_customer = make_ticket(agent, title="电梯异响", contact_phone="13600000000", customer_id=customer.pk)
    move(manager, make_ticket(agent, title="已撤回", contact_phone="13800138000"), Move.CANCEL, reason="撤回")
    make_ticket(agent, title="已办结", contact_phone="13800138000", settle_with_resolution="已答复")
    make_ticket(agent, title="别人的", contact_phone="13700000000")

    assert [t.pk for t in open_tickets_for_phone(agent, "+86 138-0013-8000")] == [by_contact.pk]
    assert [t.pk for t in open_tickets_for_phone(agent, "13512345678")] == [by_customer.pk]
    assert open_tickets_for_phone(agent, "not a phone") == []
    assert open_tickets_for_phone(make_staff(Role.FINANCE), "13800138000") == []


def test_ticket_page_costs_a_fixed_number_of_queries(agent, manager):
    customer = make_customer(agent, name="南京某医院")
    region = Region.objects.create(code="east", name="华东")
    for n in range(60):
        make_ticket(agent, "repair" if n % 2 else "consultation", title=f"请求{n}", customer_id=customer.pk,
                    contact_phone="13800138000", site_address="中山路1号", region_id=region.pk, occurred_since="今天")
    staff_in(Role.TECHNICIAN, "repair")

    def cost(size: int) -> int:
        viewer = fresh(manager)  # roles not cached: count them too
        with CaptureQueriesContext(connection) as ctx:
            rows, _ = ticket_page(viewer, Queue.ALL, TicketFilters(), size=size)
            for t in rows:  # what a row shows
                str(t.service_type), str(t.owner), str(t.group), str(t.customer), str(t.region)
        return len(ctx.captured_queries)

    assert cost(5) == cost(50) == 2  # the viewer's roles, then the page with its joins
