import pytest

from tests.quality.fixtures import november


@pytest.fixture
def month(db):
    return november(db)
