"""Inputs a probe found answering 500 (R4.9 aside): each is now a 2xx or a typed 4xx, on both databases."""

import json

import pytest
from django.test import Client

from fuwu.org.actions import api_token_issue
from fuwu.standards.models import ServiceCalendar, ServiceType
from tests.factories import make_staff, make_ticket

pytestmark = pytest.mark.django_db

HUGE = str(2**64)


@pytest.fixture
def manager():
    return make_staff("manager")


@pytest.fixture
def page(manager):
    client = Client()
    client.force_login(manager)
    return client


@pytest.fixture
def api(manager):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(actor=manager, name='probe')[1]}")


def _typed_4xx(response) -> bool:
    return 400 <= response.status_code < 500 and "code" in json.loads(response.content)


@pytest.mark.parametrize("params", [
    {"customer": HUGE}, {"type": HUGE}, {"group": HUGE}, {"region": HUGE}, {"after": "²"}, {"before": "²"},
    {"from": "0001-01-01"}, {"to": "9999-12-31"}, {"from": "2026-13-45"},
])
def test_the_request_list_page_survives_odd_filters(page, params):
    assert page.get("/tickets/", {"queue": "all", **params}).status_code in (200, 400)


@pytest.mark.parametrize("params", [
    {"customer_id": HUGE}, {"service_type_id": HUGE}, {"received_from": "0001-01-01"}, {"received_to": "9999-12-31"},
])
def test_the_request_list_api_answers_odd_filters_with_a_typed_4xx_or_a_page(api, params):
    response = api.get("/api/v1/tickets", {"queue": "all", **params})
    assert response.status_code == 200 or _typed_4xx(response), response.content[:300]


@pytest.mark.parametrize("start", ["0001-01-01T00:00:00+08:00", "9999-12-31T23:00:00+08:00"])
def test_business_time_at_the_ends_of_the_calendar(api, start):
    office = ServiceCalendar.objects.get(code="office")
    for path in ("business-time", "business-time/between"):
        params = {"start": start, "hours": 4} if path == "business-time" else {"start": start, "end": start}
        response = api.get(f"/api/v1/calendars/{office.pk}/{path}", params)
        assert response.status_code == 200 or _typed_4xx(response), (path, response.content[:300])


def test_a_title_that_cannot_be_stored_is_a_field_error(api):
    type_id = ServiceType.objects.get(code="consultation").pk
    body = (f'{{"service_type_id": {type_id}, "title": "\\ud800 bad", "contact_name": "张伟", '
            '"contact_phone": "13800138000"}')
    response = api.post("/api/v1/tickets", data=body, content_type="application/json")
    assert _typed_4xx(response) and "title" in json.loads(response.content)["errors"], response.content[:300]


def test_a_note_of_three_megabytes_is_refused_cleanly(api, page, manager):
    ticket = make_ticket(manager)
    note = {"body": "很长" * 1_500_000}
    response = api.post(f"/api/v1/tickets/{ticket.pk}/notes", data=json.dumps(note), content_type="application/json")
    assert response.status_code == 413 and json.loads(response.content)["code"] == "too_large"
    assert page.post(f"/tickets/{ticket.pk}/entries/", {"entry-body": note["body"]}).status_code == 400


def test_a_long_contact_name_or_a_bad_email_is_a_field_error(api):
    body = {"service_type_id": ServiceType.objects.get(code="consultation").pk, "title": "咨询",
            "contact_name": "名" * 1000, "contact_phone": "13800138000", "contact_email": "not-an-email"}
    response = api.post("/api/v1/tickets", data=json.dumps(body), content_type="application/json")
    assert _typed_4xx(response), response.content[:300]
    assert {"contact_name", "contact_email"} <= set(json.loads(response.content)["errors"])


def test_a_nul_character_in_a_query_or_form_is_refused_before_any_view(page, api):
    """Found by the page-form fuzz: PostgreSQL cannot hold NUL in text, so a search with one answered 500."""
    response = page.get("/standards/catalogue/", {"q": "a\x00b"})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    assert page.post("/customers/new/", {"name": "华新\x00电子"}).status_code == 400
    answer = api.get("/api/v1/customers", {"q": "\x00"})
    assert answer.status_code == 400 and answer.json()["code"] == "http_400"
