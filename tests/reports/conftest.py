import pytest

from fuwu.org.roles import Role
from tests.factories import make_staff
from tests.quality.fixtures import november


@pytest.fixture
def month(db):
    return november(db)


@pytest.fixture
def manager(db):
    return make_staff(Role.MANAGER, email="manager@fuwu.example")
