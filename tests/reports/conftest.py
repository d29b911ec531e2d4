import pytest

from fuwu.org.roles import Role
from fuwu.quality.actions import target_set
from tests.factories import make_staff
from tests.quality.fixtures import november


@pytest.fixture
def month(db):
    return november(db)


@pytest.fixture
def manager(db):
    return make_staff(Role.MANAGER, email="manager@fuwu.example")


@pytest.fixture
def targets(month, manager):
    target_set(actor=manager, indicator="resolution_sla", granularity="month", target=90, alert_level=80,
               owner=manager)
    target_set(actor=manager, indicator="first_contact_resolution", granularity="month", target=20,
               alert_level=10, owner=manager)
