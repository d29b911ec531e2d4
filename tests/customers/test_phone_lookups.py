"""Phone lookups by viewers who see numbers masked are rate-limited per login and recorded (R2.2, R2.3).

Such a viewer must not recover numbers by guessing them into the lookup or the search.
"""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fuwu.customers.models import PhoneLookup
from tests.factories import make_customer, make_staff

pytestmark = pytest.mark.django_db

NUMBER = "19155554668"


@pytest.fixture
def customer(agent):
    return make_customer(agent, name="华新电子有限公司", phone=NUMBER)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_masked_viewer_gets_a_few_lookups_an_hour_and_each_is_recorded(customer, settings):
    settings.FUWU_MASKED_PHONE_LOOKUPS_PER_HOUR = 3
    finance = make_staff("finance")
    client = _client_for(finance)
    for guess in ("19155554660", "19155554661", NUMBER):
        assert client.get("/api/v1/customers/lookup", {"phone": guess}).status_code == 200
    refused = client.get("/api/v1/customers/lookup", {"phone": "19155554662"})
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited" and refused.json()["limit_per_hour"] == 3
    # The search by number is the same lookup, under the same limit.
    assert client.get("/api/v1/customers", {"q": NUMBER}).status_code == 429
    assert list(PhoneLookup.objects.filter(user=finance).values_list("phone_masked", flat=True).order_by("id")) == [
        "191****4660", "191****4661", "191****4668"]


def test_those_who_see_numbers_in_clear_are_neither_limited_nor_recorded(customer, settings, agent):
    """The hotline's lookups cost nothing extra: a lookup tells an agent nothing the list does not show."""
    settings.FUWU_MASKED_PHONE_LOOKUPS_PER_HOUR = 1
    client = _client_for(agent)
    answers = [client.get("/api/v1/customers/lookup", {"phone": NUMBER}).status_code for _ in range(3)]
    assert answers == [200] * 3 and not PhoneLookup.objects.exists()


def test_the_limit_is_per_hour(customer, settings):
    settings.FUWU_MASKED_PHONE_LOOKUPS_PER_HOUR = 1
    client = _client_for(make_staff("finance"))
    assert client.get("/api/v1/customers/lookup", {"phone": NUMBER}).status_code == 200
    assert client.get("/api/v1/customers/lookup", {"phone": NUMBER}).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        assert client.get("/api/v1/customers/lookup", {"phone": NUMBER}).status_code == 200


def test_a_name_search_is_no_phone_lookup(customer, agent):
    client = _client_for(agent)
    assert client.get("/api/v1/customers", {"q": "华新"}).json()["items"][0]["name"] == "华新电子有限公司"
    assert not PhoneLookup.objects.exists()


def test_the_pages_say_so_and_show_nothing_over_the_limit(customer, settings):
    settings.FUWU_MASKED_PHONE_LOOKUPS_PER_HOUR = 0
    client = _client_for(make_staff("quality_supervisor"))
    page = client.get(reverse("customers:list"), {"q": NUMBER})
    assert page.status_code == 200 and "华新电子有限公司" not in page.content.decode()
    assert "查询次数过多" in page.content.decode()
    lookup = client.get(reverse("customers:lookup"), {"phone": NUMBER})
    assert lookup.status_code == 200 and "查询次数过多" in lookup.content.decode()
