"""No input makes the API answer 500 (R4.9 aside: a fault is not a feature).

Schemathesis reads the OpenAPI schema and sends every operation generated input, valid and
invalid, as an administrator (who may call everything); every answer must be 2xx or 4xx, and
every 4xx must carry the typed error body. Bounded so the suite stays fast: `FUZZ_EXAMPLES`
examples per operation (more with `FUWU_FUZZ_EXAMPLES=200` for a soak).
"""

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from fuwu.org.actions import api_token_issue
from fuwu.site.api import api
from tests.factories import make_customer, make_staff

FUZZ_EXAMPLES = int(os.environ.get("FUWU_FUZZ_EXAMPLES", "12"))


def _schema():
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    loaded.app = get_wsgi_application()
    loaded.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                                    max_examples=FUZZ_EXAMPLES, deterministic=True)
    return loaded


@pytest.fixture
def requests_keep_the_test_connection():
    """As Django's test client does: a request's end must not close the test's database connection
    (on PostgreSQL it would end the test's transaction; SQLite's in-memory database never closes)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_key(db, requests_keep_the_test_connection):
    admin = make_staff("admin")
    make_customer(admin, name="华新电子有限公司", phone="13800138000")
    return api_token_issue(actor=admin, name="fuzz")[1]


schema = _schema()
# Each operation is a test of its own, listed here rather than by `schema.parametrize()`, whose lazy items
# a pytest-xdist worker collects as one test that fuzzes nothing (scripts/test.sh runs the suite on workers).
OPERATIONS = sorted((result.ok().path, result.ok().method.upper()) for result in schema.get_all_operations())
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def test_every_operation_is_fuzzed():
    assert len(OPERATIONS) > 40 and ("/api/v1/customers", "GET") in OPERATIONS


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
@pytest.mark.django_db
def test_no_input_makes_a_server_error(path, method, admin_key):
    operation = schema[path][method]

    @given(case=st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in MODES)))
    @settings(max_examples=FUZZ_EXAMPLES * len(MODES), deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def answers_without_a_server_error(case):
        response = case.call(headers={"Authorization": f"Bearer {admin_key}"})
        where = f"{case.method} {case.formatted_path} {case.query} -> {response.status_code}: {response.text[:300]!r}"
        assert response.status_code < 500, where
        if response.status_code >= 400:
            try:
                body = json.loads(response.text)
            except ValueError:
                body = {}
            assert "code" in body, where

    answers_without_a_server_error()
