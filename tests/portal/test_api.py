"""Isolation through the API (R1.2, R2.2): a customer's session or token never reaches another
customer's request, nor the staff's ticket endpoints; the portal endpoints give its own only."""

import json

import pytest
from django.test import Client

from fuwu.org.actions import api_token_issue
from fuwu.org.models import Profile
from fuwu.tickets.actions import ticket_add_entry
from fuwu.tickets.models import Entry
from tests.factories import link_portal_user, make_staff, make_ticket

pytestmark = pytest.mark.django_db


def _staff_calls(ticket) -> dict:
    base = "/api/v1/tickets"
    return {
        "list": ("get", base, None),
        "list_by_customer": ("get", f"{base}?queue=all&customer_id={ticket.customer_id}", None),
        "queues": ("get", f"{base}/queues", None),
        "retrieve": ("get", f"{base}/{ticket.pk}", None),
        "register": ("post", base, {"service_type_id": ticket.service_type_id, "title": "x", "contact_name": "x"}),
        "transition": ("post", f"{base}/{ticket.pk}/transition", {"move": "close", "version": ticket.version}),
        "reply": ("post", f"{base}/{ticket.pk}/replies", {"text": "x"}),
        "note": ("post", f"{base}/{ticket.pk}/notes", {"text": "x"}),
    }


def _call(client, method, url, body, **headers):
    if body is None:
        return getattr(client, method)(url, headers=headers)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", headers=headers)


def _token_of_a_customer(agent, customer):
    """A token issued while the login was staff, the login since turned into the customer's portal login:
    the token acts with the roles the login holds now."""
    user = make_staff("agent")
    _token, key = api_token_issue(actor=user, name="old integration")
    Profile.objects.get(user=user).roles.set(["customer"])
    link_portal_user(customer, user=user)
    return key


@pytest.mark.parametrize("auth", ["session", "token"])
def test_the_staff_ticket_endpoints_refuse_a_customer(client, agent, own, other, customer_login, auth):
    own_ticket = make_ticket(agent, title="自己的", customer_id=own.pk, settle_with_resolution="已解答")
    foreign = make_ticket(agent, title="别人的", customer_id=other.pk, settle_with_resolution="已解答")
    headers = {}
    if auth == "session":
        client.force_login(customer_login)
    else:
        client = Client(enforce_csrf_checks=True)
        headers = {"authorization": f"Bearer {_token_of_a_customer(agent, other)}"}
    for ticket in (own_ticket, foreign):
        for name, (method, url, body) in _staff_calls(ticket).items():
            response = _call(client, method, url, body, **headers)
            assert response.status_code in (403, 404), (name, response.status_code)
            assert "别人的" not in response.content.decode() and "自己的" not in response.content.decode()
    assert own_ticket.entries.count() == foreign.entries.count() == 0


def test_the_portal_endpoints_give_the_customers_own_requests_only(client, agent, own, other, customer_login):
    mine = make_ticket(agent, title="自己的", customer_id=own.pk, description="三楼")
    ticket_add_entry(actor=agent, ticket=mine, kind=Entry.Kind.NOTE, body="内部备注")
    ticket_add_entry(actor=agent, ticket=mine, kind=Entry.Kind.REPLY, body="明天上门")
    foreign = make_ticket(agent, title="别人的", customer_id=other.pk)
    client.force_login(customer_login)
    listed = client.get("/api/v1/portal/requests").json()
    assert [row["number"] for row in listed["items"]] == [mine.number] and listed["count"] == 1
    assert listed["items"][0]["status_label"] == "已收到"
    detail = client.get(f"/api/v1/portal/requests/{mine.number}")
    body = json.dumps(detail.json(), ensure_ascii=False)
    assert detail.status_code == 200 and "明天上门" in body and "三楼" in body
    assert "内部备注" not in body and "sla" not in body.lower() and "customer_class" not in body
    assert client.get(f"/api/v1/portal/requests/{foreign.number}").status_code == 404


def test_the_portal_endpoints_with_a_customers_token(agent, own, other):
    make_ticket(agent, title="自己的", customer_id=own.pk)
    foreign = make_ticket(agent, title="别人的", customer_id=other.pk)
    key = _token_of_a_customer(agent, own)
    client = Client(enforce_csrf_checks=True)
    listed = client.get("/api/v1/portal/requests", headers={"authorization": f"Bearer {key}"}).json()
    assert [row["title"] for row in listed["items"]] == ["自己的"]
    response = client.get(f"/api/v1/portal/requests/{foreign.number}", headers={"authorization": f"Bearer {key}"})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["agent", "manager", "admin", "quality_supervisor"])
def test_staff_get_403_from_the_portal_endpoints(client, agent, own, role):
    ticket = make_ticket(agent, title="x", customer_id=own.pk)
    client.force_login(make_staff(role))
    assert client.get("/api/v1/portal/requests").status_code == 403
    assert client.get(f"/api/v1/portal/requests/{ticket.number}").status_code == 403
