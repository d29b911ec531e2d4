"""The API answers every error as JSON with a typed code, whatever DEBUG says (R4.9 record aside)."""

import json

import pytest
from django.test import Client

from fuwu.org.actions import api_token_issue
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_with_key():
    _token, key = api_token_issue(actor=make_staff("agent"), name="crm")
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.mark.parametrize("debug", [False, True])
def test_a_server_error_is_json_with_a_code(client_with_key, monkeypatch, settings, debug):
    settings.DEBUG = debug

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("fuwu.org.api.roles_of", broken)
    response = client_with_key.get("/api/v1/org/me")
    assert response.status_code == 500 and response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "server_error" and "database" not in body["message"]


def test_a_body_over_the_limit_is_a_413_with_a_code(client_with_key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client_with_key.post("/api/v1/tickets", data=json.dumps({"title": "x" * 4096}),
                                     content_type="application/json")
    assert response.status_code == 413 and response.json()["code"] == "too_large"
