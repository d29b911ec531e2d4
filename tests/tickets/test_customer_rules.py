"""What a customer's portal login may do on a request (R1.2, R4.1, R3.1): `fuwu.tickets.rules`.

On its own customer's request: confirm (close) a resolution, reopen it, write a message of its own
kind; nothing else, and nothing at all on another customer's request. Staff rules are unchanged.
"""

import pytest

from fuwu.tickets import rules
from fuwu.tickets.forms import EntryForm
from fuwu.tickets.lifecycle import Move, Status
from fuwu.tickets.models import Entry, Ticket
from tests.factories import link_portal_user, make_customer, make_staff, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agent):
    own = make_customer(agent, name="自己的公司", phone="13912345678")
    other = make_customer(agent, name="别家公司", phone="13600136000")
    return {
        "login": link_portal_user(own),
        "own": make_ticket(agent, title="自己的", customer_id=own.pk),
        "own_resolved": make_ticket(agent, title="已解决", customer_id=own.pk, settle_with_resolution="已解答"),
        "other_resolved": make_ticket(agent, title="别人的", customer_id=other.pk, settle_with_resolution="已解答"),
        "no_customer": make_ticket(agent, title="无客户"),
    }


def test_the_customer_confirms_or_reopens_its_own_resolved_request_only(world):
    login = world["login"]
    assert {m for m in Move if rules.may_move(login, world["own_resolved"], m)} == {Move.CLOSE, Move.REOPEN}
    for ticket in ("own", "other_resolved", "no_customer"):
        allowed = {m for m in Move if rules.may_move(login, world[ticket], m)}
        assert allowed <= ({Move.CLOSE, Move.REOPEN} if ticket == "own" else set()), ticket


def test_the_customer_writes_only_its_own_kind_on_its_own_open_or_resolved_request(world):
    login = world["login"]
    for kind in Entry.Kind.values:
        assert rules.may_add_entry(login, world["own"], kind) == (kind == Entry.Kind.CUSTOMER)
        assert not rules.may_add_entry(login, world["other_resolved"], kind)
        assert not rules.may_add_entry(login, world["no_customer"], kind)
    assert rules.may_add_entry(login, world["own_resolved"], Entry.Kind.CUSTOMER)
    assert not rules.may_write(login, world["own"])  # tiers, major, rulings, reclassifying stay the staff's
    closed = world["own_resolved"]
    Ticket.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    closed.refresh_from_db()
    assert not rules.may_add_entry(login, closed, Entry.Kind.CUSTOMER)


def test_staff_never_write_as_the_customer_and_keep_their_rules(world, agent):
    ticket = world["own"]
    assert rules.may_write(agent, ticket) and rules.may_add_entry(agent, ticket, Entry.Kind.NOTE)
    assert not rules.may_add_entry(agent, ticket, Entry.Kind.CUSTOMER)
    assert not rules.may_add_entry(make_staff("manager"), ticket, Entry.Kind.CUSTOMER)
    assert Entry.Kind.CUSTOMER not in dict(EntryForm().fields["kind"].choices)
    assert rules.portal_customer_id(agent) is None


def test_a_customer_login_of_an_archived_contact_acts_on_nothing(world, agent):
    from fuwu.customers.actions import contact_deactivate

    login = world["login"]
    contact = login.customer_contact
    contact_deactivate(actor=agent, contact=contact, reason="已离职")
    login = type(login).objects.get(pk=login.pk)
    assert rules.portal_customer_id(login) is None
    assert not any(rules.may_move(login, world["own_resolved"], m) for m in Move)


def test_an_unassigned_registration_waits_for_someone_to_accept(agent):
    from fuwu.standards.models import ServiceType
    from fuwu.tickets.actions import ticket_register
    from fuwu.tickets.validation import TicketInput

    ticket = ticket_register(actor=agent, unassigned=True, data=TicketInput(
        service_type_id=ServiceType.objects.get(code="consultation").pk, title="待受理", contact_name="张伟"))
    assert ticket.owner is None and ticket.first_responsible == agent
    colleague = make_staff("agent")  # same group
    assert rules.may_move(colleague, ticket, Move.ACCEPT)
