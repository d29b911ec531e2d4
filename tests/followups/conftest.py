import pytest
import time_machine

from fuwu.org.roles import Role
from fuwu.tickets.actions import ticket_move
from fuwu.tickets.lifecycle import Move
from tests.conftest import FROZEN_NOW
from tests.factories import make_customer, make_staff, make_ticket


@pytest.fixture
def still():
    """The clock stands at Wednesday 2 December 2026, 10:00 (retry times are exact to the second)."""
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def caller(db):
    """A second hotline agent: neither owner nor first-responsible of the requests in these tests."""
    return make_staff(Role.AGENT)


@pytest.fixture
def customer(agent):
    return make_customer(agent, name="上海申江物业管理有限公司", phone="13912345678", contact_name="陈建国",
                         email="chen@example.com")


def resolved(actor, service_type="consultation", **fields):
    ticket = make_ticket(actor, service_type, **fields)
    return ticket_move(actor=actor, ticket=ticket, expected_version=ticket.version, move=Move.RESOLVE,
                       resolution="已电话解答。")
