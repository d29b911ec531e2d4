"""Queue rows as the workspace shows them (issue 5): labels, badges and the SLA countdown, in both languages."""

import datetime as dt

import pytest
from django.utils import translation

from fuwu.tickets.actions import ticket_add_entry, ticket_move
from fuwu.tickets.lifecycle import Move
from fuwu.tickets.models import Entry, Ticket
from fuwu.tickets.presenters import queue_rows, queue_rows_html
from tests.factories import RegionFactory, make_customer, make_staff, make_ticket

pytestmark = pytest.mark.django_db


def _as_listed(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_related("service_type", "owner", "group", "customer", "region").get(pk=ticket.pk)


def _row(ticket: Ticket, now: dt.datetime, language: str = "en") -> dict:
    with translation.override(language):
        return queue_rows([_as_listed(ticket)], now)[0]


def test_a_row_carries_what_the_columns_show():
    agent = make_staff("agent")
    customer = make_customer(agent, name="上海远景物业")
    region = RegionFactory(name="浦东")
    ticket = make_ticket(agent, "repair", customer_id=customer.pk, region_id=region.pk, priority="urgent",
                         contact_phone="13800138000", site_address="世纪大道100号", occurred_since="今天", major=True)
    row = _row(ticket, ticket.registered_at)
    assert row["url"] == f"/tickets/{ticket.pk}/" and row["number"] == ticket.number
    assert row["is_major"] and row["customer"] == "上海远景物业" and row["region"] == "浦东"
    assert (row["status_label"], row["status_css"]) == ("New", "text-bg-info")
    assert (row["priority_label"], row["priority_css"]) == ("Urgent", "text-bg-danger")
    assert row["owner"] == (agent.get_full_name() or agent.username) and row["group"] == agent.profile.group.name
    zh = _row(ticket, ticket.registered_at, "zh-hans")
    assert zh["status_label"] == "新建" and zh["meta"].endswith("热线")


def test_the_countdown_reads_due_in_then_overdue():
    agent = make_staff("agent")
    ticket = make_ticket(agent, "repair", channel="email", contact_phone="13800138000", region_id=RegionFactory().pk,
                         site_address="世纪大道100号", occurred_since="今天")
    ticket.refresh_from_db()
    due = ticket.sla_due_at
    before = _row(ticket, due - dt.timedelta(hours=3))
    assert before["due"]["label"] == "in 3\xa0hours" and before["due"]["css"] == "text-bg-success"
    late = _row(ticket, due + dt.timedelta(days=1, hours=2), "zh-hans")
    assert late["due"]["label"] == "已超时 1\xa0日，2\xa0小时" and late["due"]["css"] == "text-bg-danger"


def test_a_paused_request_and_a_closed_one():
    agent = make_staff("agent")
    ticket = make_ticket(agent, "consultation", contact_phone="13800138000")
    for move in (Move.ACCEPT, Move.START, Move.WAIT_CUSTOMER):
        ticket_move(actor=agent, ticket=Ticket.objects.get(pk=ticket.pk), expected_version=None, move=move)
    paused = _row(ticket, ticket.registered_at)
    assert paused["due"] == {"label": "Paused", "css": "text-bg-secondary"}
    settled = make_ticket(agent, "consultation", contact_phone="13800138000", settle_with_resolution="已解答")
    # Resolved, it awaits its follow-up (R8.1): the follow-up clock's due instant, said to be the follow-up's.
    assert _row(settled, settled.registered_at)["due"]["label"].startswith("Follow-up in ")
    ticket_add_entry(actor=agent, ticket=settled, kind=Entry.Kind.FOLLOW_UP, body="客户满意")
    assert _row(settled, settled.registered_at)["due"] == {}


def test_the_rows_html_escapes_what_people_typed():
    agent = make_staff("agent")
    ticket = make_ticket(agent, "consultation", title='<script>alert("x")</script>', contact_name="<b>王</b>",
                         contact_phone="13800138000", major=True)
    with translation.override("zh-hans"):
        html = queue_rows_html(queue_rows([_as_listed(ticket)], ticket.registered_at))
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<span class="text-secondary">&lt;b&gt;王&lt;/b&gt;</span>' in html
    assert '<span class="badge text-bg-danger">重大</span>' in html and f'<a href="/tickets/{ticket.pk}/">' in html
