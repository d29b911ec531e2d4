import pytest

from tests.factories import link_portal_user, make_customer


@pytest.fixture
def own(agent):
    """The customer whose portal login acts in these tests."""
    return make_customer(agent, name="上海申江物业管理有限公司", phone="13912345678", contact_name="陈建国",
                         email="chen@shenjiang.example", address="浦东新区世纪大道1号")


@pytest.fixture
def other(agent):
    return make_customer(agent, name="别家公司", phone="13600136000", contact_name="王芳", email="wang@other.example")


@pytest.fixture
def customer_login(own):
    return link_portal_user(own)


@pytest.fixture
def other_login(other):
    return link_portal_user(other)
