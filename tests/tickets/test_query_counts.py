"""Query-count guards for the request lists (docs/architecture.md, rule 2, issue 5): nothing is fetched per row.

Every list page and list endpoint is loaded twice, with 3 requests and with 40 of every shape (owners,
groups, customers, regions, pending hand-overs, major matters, several pages): the number of
queries must be the same, and within the ceiling written here. A ceiling that has to rise means a
new query per page view; one that grows with the rows is an N+1. See docs/performance.md.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fuwu.org.models import Group
from fuwu.tickets.actions import ticket_hand_over, ticket_move
from fuwu.tickets.lifecycle import Move
from tests.factories import RegionFactory, fresh, make_customer, make_staff, make_ticket

pytestmark = pytest.mark.django_db

# (url, viewer, ceiling). A page's ceiling counts session, user and roles, the rows, the list's
# capped count, the tabs' capped counts (one statement for all tabs), the viewer's group, the
# filter lists and the unread-notification badge; the HTMX fragment skips tabs, lists and badge.
# Two more for the working time left: the page's running clocks, and confirming the one calendar
# of these tests (the cache is off in tests; a site confirms a calendar every two seconds at most).
PAGES = [
    ("/tickets/?queue=mine", "agent", 13),
    ("/tickets/?queue=group", "agent", 13),
    ("/tickets/?queue=unassigned", "agent", 13),
    ("/tickets/?queue=handovers", "agent", 13),
    ("/tickets/?queue=first_contact", "agent", 13),
    ("/tickets/?queue=all", "manager", 13),
    ("/tickets/?queue=all&status=new&priority=normal&sort=received", "manager", 13),
    ("/tickets/?queue=all&sort=updated&from=2020-01-01&to=2099-12-31", "manager", 13),
    ("/tickets/?queue=all&q=13800138000", "manager", 13),
    ("/tickets/?queue=all&major=1&sort=oldest", "manager", 13),
    ("/api/v1/tickets?queue=mine", "agent", 6),
    ("/api/v1/tickets?queue=group&limit=200", "agent", 6),
    ("/api/v1/tickets?queue=handovers", "agent", 6),
    ("/api/v1/tickets?queue=all&sort=received&status=new", "manager", 6),
    ("/api/v1/tickets/queues", "agent", 5),
    ("/api/v1/customers/lookup?phone=13800138000", "agent", 4),
    ("/tickets/caller/?phone=13800138000", "agent", 5),
]
HTMX_PAGES = [("/tickets/?queue=all&sort=received", "manager", 9)]


def _count(client, url: str, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), response


@pytest.fixture
def people():
    return {"agent": make_staff("agent"), "manager": make_staff("manager")}


def _fill(people, how_many: int) -> None:
    """Requests of every shape the lists show: the agent's own, the group's, others', handed to the agent."""
    agent = people["agent"]
    others = [make_staff("agent"), make_staff("support"), make_staff("technician")]
    regions = [RegionFactory(), RegionFactory()]
    customer = make_customer(agent, name="大客户", phone="13800138000")
    repair = Group.objects.get(code="repair")
    own_group = agent.profile.group
    for n in range(how_many):
        actor = agent if n % 3 == 0 else others[n % 3]
        ticket = make_ticket(actor, "repair" if n % 2 else "consultation", contact_phone="13800138000",
                             region_id=regions[n % 2].pk, site_address="上海市浦东新区世纪大道100号",
                             occurred_since="今天上午", customer_id=customer.pk if n % 4 else None, major=n % 7 == 0)
        if n % 5 == 1:
            ticket_hand_over(actor=actor, ticket=ticket, expected_version=None, to_group=own_group, to_user=agent,
                             note="请跟进")
        elif n % 5 == 2:
            ticket_hand_over(actor=actor, ticket=ticket, expected_version=None, to_group=repair, note="请上门")
        elif n % 5 == 3:
            ticket_move(actor=actor, ticket=ticket, expected_version=None, move=Move.RESOLVE, resolution="已处理")


@pytest.mark.parametrize(("url", "viewer", "ceiling"), PAGES + [(u, v, c) for u, v, c in HTMX_PAGES])
def test_a_list_costs_the_same_queries_at_3_and_at_40_requests(client, people, url, viewer, ceiling):
    htmx = {"HTTP_HX_REQUEST": "true"} if (url, viewer, ceiling) in HTMX_PAGES else {}
    _fill(people, 3)
    client.force_login(fresh(people[viewer]))
    few, _ = _count(client, url, **htmx)
    _fill(people, 40)
    client.force_login(fresh(people[viewer]))
    many, _response = _count(client, url, **htmx)
    assert many == few, f"{url}: {few} queries with 3 requests, {many} with 43"
    assert many <= ceiling, f"{url}: {many} queries, ceiling {ceiling}"


def test_the_next_page_by_cursor_costs_the_same(client, people):
    _fill(people, 60)
    client.force_login(fresh(people["manager"]))
    first, response = _count(client, "/api/v1/tickets?queue=all&limit=20&sort=received")
    after = response.json()["next_after"]
    assert after
    second, response = _count(client, f"/api/v1/tickets?queue=all&limit=20&sort=received&after={after}")
    assert second == first and len(response.json()["items"]) == 20


def test_the_ticket_page_does_not_grow_with_its_history(client, people):
    """Not a list, but it lists the timeline, clocks and hand-overs: a fixed number of queries."""
    agent = people["agent"]
    ticket = make_ticket(agent, "repair", contact_phone="13800138000", region_id=RegionFactory().pk,
                         site_address="上海市浦东新区世纪大道100号", occurred_since="今天上午")
    client.force_login(fresh(agent))
    short, _ = _count(client, f"/tickets/{ticket.pk}/")
    repair = Group.objects.get(code="repair")
    for _ in range(3):
        handover = ticket_hand_over(actor=agent, ticket=ticket, expected_version=None, to_group=repair, note="请上门")
        from fuwu.tickets.actions import handover_decline

        handover_decline(actor=make_staff("technician"), handover=handover, reason="非本组")
    client.force_login(fresh(agent))
    long, _ = _count(client, f"/tickets/{ticket.pk}/")
    assert long == short and long <= 15, long  # 14, and one for the work orders panel (fieldservice)


def test_registering_a_request_costs_a_fixed_number_of_queries(client, people, settings):
    """Not a list, but the busiest write (issue 5): policies and calendars come from the process's cache,
    the clocks go in one insert, the answer is built from the ticket in hand."""
    from fuwu.standards.models import ServiceType

    settings.FUWU_STANDARDS_CACHE_SECONDS = 60
    agent = people["agent"]
    customer = make_customer(agent, name="大客户", phone="13800138000")
    body = {"service_type_id": ServiceType.objects.get(code="repair").pk, "title": "空调不制冷", "channel": "phone",
            "customer_id": customer.pk, "contact_name": "陈先生", "contact_phone": "13900000000",
            "site_address": "上海市浦东新区世纪大道100号", "region_id": RegionFactory().pk,
            "occurred_since": "今天上午"}
    client.force_login(fresh(agent))
    assert client.post("/api/v1/tickets", body, content_type="application/json").status_code == 201  # warms the caches
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/tickets", body, content_type="application/json")
    assert response.status_code == 201 and len(response.json()["clocks"]) == 2
    # session, user, roles, type, region, customer, profile, number, ticket, clocks, (advisory lock,)
    # chain head, event, commit; then the clocks as the caller sees them (the ticket is not read again)
    assert len(queries) <= 16, [q["sql"][:80] for q in queries.captured_queries]
