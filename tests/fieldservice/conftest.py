import datetime

import pytest
from django.utils import timezone

from fuwu.customers.actions import product_add
from fuwu.customers.validation import ProductInput
from tests.factories import RegionFactory, make_customer, make_ticket


@pytest.fixture
def customer(agent):
    return make_customer(agent, name="上海申江物业管理有限公司", phone="13912345678", contact_name="陈建国",
                         address="浦东新区世纪大道1号")


@pytest.fixture
def repair(agent, customer):
    return make_ticket(agent, service_type="repair", title="空调不制冷", customer_id=customer.pk,
                       contact_phone="13912345678", site_address="世纪大道1号", region_id=RegionFactory().pk,
                       occurred_since="今天早上")


def product(actor, customer, *, warranty_days: int | None):
    today = timezone.localdate()
    ends = today + datetime.timedelta(days=warranty_days) if warranty_days is not None else None
    return product_add(actor=actor, customer=customer, data=ProductInput(
        name="中央空调", model="KFR-72", serial_number="SN-001", delivered_on=today - datetime.timedelta(days=400),
        warranty_ends_on=ends))


def tomorrow_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
