import pytest

pytestmark = pytest.mark.django_db


def test_openapi_docs_are_served_from_our_static_files_not_a_cdn(client, manager):
    client.force_login(manager)
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html


def test_openapi_schema_lists_the_customer_endpoints(client, manager):
    client.force_login(manager)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/customers", "/api/v1/customers/lookup", "/api/v1/customers/{customer_id}"} <= set(paths)
