"""Headers that protect what the pages show: CSP without inline script, no-store, the schema behind login."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_customer, make_staff

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


@pytest.fixture
def manager_client():
    manager = make_staff("manager")
    client = Client()
    client.force_login(manager)
    return client, manager


def test_pages_forbid_inline_script_and_have_none(manager_client):
    client, manager = manager_client
    customer = make_customer(manager, name="华新电子有限公司")
    pages = [reverse("home"), reverse("tickets:workspace"), reverse("tickets:intake"), reverse("customers:list"),
             reverse("customers:detail", args=[customer.pk]), reverse("standards:catalogue"),
             reverse("standards:calendars"), reverse("audit"), reverse("notifications"), "/api/v1/docs"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
        assert policy["script-src"] == "'self'" and policy["frame-ancestors"] == "'none'", url
        html = response.content.decode()
        assert INLINE_SCRIPT.findall(html) == [], url
        assert EVENT_HANDLER.findall(html) == [], url


def test_personal_data_is_never_stored_by_caches(manager_client):
    client, _manager = manager_client
    assert client.get(reverse("customers:list"))["Cache-Control"] == "no-store, private"
    assert client.get("/api/v1/customers")["Cache-Control"] == "no-store, private"


def test_the_api_schema_is_for_logged_in_people_only(manager_client):
    anonymous = Client().get("/api/v1/openapi.json")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert Client().get("/api/v1/docs").status_code == 302
    client, _manager = manager_client
    assert "/api/v1/customers" in client.get("/api/v1/openapi.json").json()["paths"]
