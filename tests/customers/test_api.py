"""/api/v1/customers: permissions, token and session auth, error codes, masking (R2; docs/architecture.md, rule 7)."""

import json

import pytest
from django.test import Client

from fuwu.core.errors import PermissionDenied
from fuwu.core.models import AuditEvent
from fuwu.customers import actions
from fuwu.customers.models import Customer
from fuwu.customers.validation import CustomerInput
from fuwu.org.actions import api_token_issue, api_token_revoke
from fuwu.org.roles import Role
from tests.factories import link_portal_user, make_customer, make_staff

pytestmark = pytest.mark.django_db

BASE = "/api/v1/customers"
ROLES = [r.value for r in Role]
ARCHIVE_KEEPERS = {"admin", "manager", "agent", "support"}
EXPECTED = {
    role: {
        "list": 200,  # a customer login gets a list too, scoped to its own record
        # A customer login sees its own record; a technician the customers of their work (R2.2).
        "retrieve": 404 if role in ("customer", "technician") else 200,
        "create": 201 if role in ARCHIVE_KEEPERS else 403,
        "update": 200 if role in ARCHIVE_KEEPERS else 403,
        "lookup": 200,
    }
    for role in ROLES
}


@pytest.fixture
def customer(agent):
    return make_customer(agent, name="华新电子有限公司", phone="13800138000", contact_name="张伟")


def _json(client, method, url, body=None, **headers):
    kwargs = {"content_type": "application/json", "headers": headers} if body is not None else {"headers": headers}
    if body is not None:
        kwargs["data"] = json.dumps(body)
    return getattr(client, method)(url, **kwargs)


def _calls(customer):
    return {
        "list": ("get", BASE, None),
        "retrieve": ("get", f"{BASE}/{customer.pk}", None),
        "create": ("post", BASE,
                   {"kind": "organisation", "name": "新客户", "contact": {"name": "x", "phone": "13700137000"}}),
        "update": ("put", f"{BASE}/{customer.pk}", {"kind": "organisation", "name": "华新电子集团", "version": 1}),
        "lookup": ("get", f"{BASE}/lookup?phone=13800138000", None),
    }


def _user_for(role, agent):
    if role == "customer":
        return link_portal_user(make_customer(agent, name="另一家客户", phone="13600136000"))
    return make_staff(role)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_with_session_auth(client, agent, customer, role):
    client.force_login(_user_for(role, agent))
    got = {}
    for name, (method, url, body) in _calls(customer).items():
        got[name] = _json(client, method, url, body).status_code
    assert got == EXPECTED[role]


@pytest.mark.parametrize("role", sorted(set(ROLES) - {"customer"}))
def test_permission_matrix_with_token_auth(agent, customer, role):
    user = _user_for(role, agent)
    _token, key = api_token_issue(actor=user, name="integration")
    client = Client(enforce_csrf_checks=True)
    got = {
        name: _json(client, method, url, body, authorization=f"Bearer {key}").status_code
        for name, (method, url, body) in _calls(customer).items()
    }
    assert got == EXPECTED[role]


def test_customer_logins_cannot_issue_api_tokens(agent, customer):
    with pytest.raises(PermissionDenied):
        api_token_issue(actor=link_portal_user(customer), name="portal")


def test_forbidden_answers_carry_a_code(client, customer):
    client.force_login(make_staff("technician"))
    response = _json(client, "post", BASE, {"kind": "organisation", "name": "x"})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden.customer.create"


def test_without_auth_every_endpoint_answers_401_unauthenticated(client, customer):
    for method, url, body in _calls(customer).values():
        response = _json(client, method, url, body)
        assert response.status_code == 401, url
        assert response.json()["code"] == "unauthenticated"
    assert Customer.objects.count() == 1


def test_bearer_token_authenticates_and_revoked_token_is_refused(agent, customer):
    token, key = api_token_issue(actor=agent, name="crm")
    client = Client(enforce_csrf_checks=True)
    response = client.get(f"{BASE}/{customer.pk}", headers={"authorization": f"Bearer {key}"})
    assert response.status_code == 200 and response.json()["name"] == "华新电子有限公司"
    # Token clients need no CSRF token, even for writes.
    response = _json(client, "post", BASE, {"kind": "organisation", "name": "令牌客户"}, authorization=f"Bearer {key}")
    assert response.status_code == 201
    api_token_revoke(actor=agent, token_id=token.pk)
    response = client.get(f"{BASE}/{customer.pk}", headers={"authorization": f"Bearer {key}"})
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    response = _json(client, "post", BASE, {"kind": "organisation", "name": "又一个"}, authorization=f"Bearer {key}")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    response = client.get(BASE, headers={"authorization": "Bearer fuwu_not-a-real-key"})
    assert response.status_code == 401


def test_anonymous_write_from_a_real_client_is_401_not_a_csrf_failure(customer):
    response = _json(Client(enforce_csrf_checks=True), "post", BASE, {"kind": "organisation", "name": "x"})
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_session_writes_need_the_csrf_token_in_a_real_browser(agent):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(agent)
    response = _json(browser, "post", BASE, {"kind": "organisation", "name": "无令牌"})
    assert response.status_code == 403
    assert not Customer.objects.filter(name="无令牌").exists()
    # With the token from the CSRF cookie, as the pages' HTMX headers send it, the write goes through.
    browser.get("/")
    csrf = browser.cookies["csrftoken"].value
    response = _json(browser, "post", BASE, {"kind": "organisation", "name": "有令牌"}, x_csrftoken=csrf)
    assert response.status_code == 201


def test_the_test_client_skips_csrf_by_default(client, agent):
    # django.test.Client(enforce_csrf_checks=False) marks requests as CSRF-exempt; ninja honours it.
    client.force_login(agent)
    assert _json(client, "post", BASE, {"kind": "organisation", "name": "测试客户端"}).status_code == 201


def test_create_answers_201_with_the_record_and_writes_the_event(client, agent):
    client.force_login(agent)
    response = _json(client, "post", BASE, {
        "kind": "organisation", "name": "明达物流", "customer_class": "vip",
        "contact": {"name": "李娜", "phone": "+86 10 1234 5678", "email": "LN@example.com"},
        "address": {"line": "北京市朝阳区1号", "postal_code": "100020"},
    })
    assert response.status_code == 201
    body = response.json()
    customer = Customer.objects.get(pk=body["id"])
    assert body["code"] == customer.code and body["version"] == 1 and body["customer_class"] == "vip"
    assert body["contacts"][0]["phone"] == "010-12345678" and body["contacts"][0]["email"] == "ln@example.com"
    assert body["addresses"][0]["line"] == "北京市朝阳区1号"
    assert AuditEvent.objects.for_object(customer).filter(action="customer.created").count() == 1


def test_validation_error_is_400_invalid_with_every_field(client, agent):
    client.force_login(agent)
    response = _json(client, "post", BASE, {
        "kind": "person", "name": " ", "identity_number": "123",
        "contact": {"name": "x", "phone": "12345"}, "address": {"line": "", "postal_code": "1"},
    })
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"name", "identity_number", "contact_phone", "address_line", "address_postal_code"}
    assert all(isinstance(m, str) for msgs in body["errors"].values() for m in msgs)
    assert Customer.objects.count() == 0


def test_text_that_does_not_fit_or_cannot_be_stored_is_400_before_the_database(client, agent):
    """A 1,000-character name was stored into a 120-character column on SQLite; a lone surrogate was a 500."""
    client.force_login(agent)
    response = _json(client, "post", BASE, {
        "kind": "organisation", "name": "长" * 1000,
        "contact": {"name": "名" * 1000, "phone": "13800138000", "email": "a" * 300 + "@example.com"},
        "address": {"line": "上海市\ud800浦东新区"},
    })
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"name", "contact_name", "contact_email", "address_line"}
    assert errors["name"] == ["最多 120 个字符。"]
    assert Customer.objects.count() == 0


def test_unknown_region_is_400_not_500(client, agent, customer):
    client.force_login(agent)
    response = _json(client, "post", BASE, {"kind": "organisation", "name": "甲", "region_id": 987654})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"region_id"}
    response = _json(client, "put", f"{BASE}/{customer.pk}",
                     {"kind": "organisation", "name": "甲", "region_id": 987654, "version": 1})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"region_id"}


def test_duplicate_is_reported_with_its_matches_then_confirmed(client, agent, customer):
    client.force_login(agent)
    body = {"kind": "organisation", "name": "别的名字", "contact": {"name": "王五", "phone": "138-0013-8000"}}
    response = _json(client, "post", BASE, body)
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_suspected"
    assert response.json()["matches"] == [{"id": customer.pk, "code": customer.code, "name": customer.name}]
    assert _json(client, "post", BASE, {**body, "confirm_duplicate": True}).status_code == 201


def test_update_changes_the_record_and_stale_version_is_409(client, agent, manager, customer):
    client.force_login(agent)
    response = _json(client, "put", f"{BASE}/{customer.pk}", {"kind": "organisation", "name": "华新集团", "version": 1})
    assert response.status_code == 200 and response.json()["version"] == 2 and response.json()["name"] == "华新集团"
    response = _json(client, "put", f"{BASE}/{customer.pk}", {"kind": "organisation", "name": "旧版本", "version": 1})
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version" and response.json()["current_version"] == 2
    customer.refresh_from_db()
    assert customer.name == "华新集团"


def test_phones_and_identity_are_masked_for_finance(client, agent):
    customer = make_customer(agent, kind="person", name="孙八", phone="13800138000",
                             identity_number="11010519491231002X")
    client.force_login(make_staff("finance"))
    detail = client.get(f"{BASE}/{customer.pk}").json()
    assert detail["contacts"][0]["phone"] == "138****8000"
    assert detail["identity_number"] == "110*************2X"
    listed = client.get(BASE).json()["items"][0]
    assert listed["contacts"][0]["phone"] == "138****8000"
    looked_up = client.get(f"{BASE}/lookup", {"phone": "13800138000"}).json()
    assert looked_up[0]["customer"]["contacts"][0]["phone"] == "138****8000"
    assert "13800138000" not in client.get(BASE).content.decode()


def test_phones_are_clear_for_agents(client, agent, customer):
    client.force_login(agent)
    assert client.get(f"{BASE}/{customer.pk}").json()["contacts"][0]["phone"] == "13800138000"


def test_customer_login_sees_only_its_own_record(client, agent, customer):
    other = make_customer(agent, name="别家", phone="13600136000")
    client.force_login(link_portal_user(customer))
    assert [c["id"] for c in client.get(BASE).json()["items"]] == [customer.pk]
    mine = client.get(f"{BASE}/{customer.pk}")
    assert mine.status_code == 200 and mine.json()["contacts"][0]["phone"] == "13800138000"
    response = client.get(f"{BASE}/{other.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get(f"{BASE}/lookup", {"phone": "13600136000"}).json() == []


def test_list_search_filters_and_keyset_pages(client, agent):
    ids = [make_customer(agent, name=f"客户{n}", customer_class="key" if n % 2 else "ordinary").pk for n in range(5)]
    client.force_login(agent)
    page = client.get(BASE, {"limit": 2}).json()
    assert [c["id"] for c in page["items"]] == ids[::-1][:2] and page["next_before_id"] == ids[3]
    page = client.get(BASE, {"limit": 2, "before_id": page["next_before_id"]}).json()
    assert [c["id"] for c in page["items"]] == [ids[2], ids[1]]
    keys = client.get(BASE, {"customer_class": "key"}).json()
    assert {c["id"] for c in keys["items"]} == {ids[1], ids[3]} and keys["next_before_id"] is None
    assert [c["id"] for c in client.get(BASE, {"q": "客户3"}).json()["items"]] == [ids[3]]


def test_retrieve_of_a_missing_customer_is_404(client, agent):
    client.force_login(agent)
    response = client.get(f"{BASE}/999999")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_update_of_an_archived_customer_still_needs_the_version(client, agent, customer):
    actions.customer_set_active(actor=agent, customer=customer, expected_version=1, active=False, reason="停业")
    actions.customer_update(actor=agent, customer=customer, expected_version=2,
                            data=CustomerInput(kind="organisation", name="华新（已归档）"))
    client.force_login(agent)
    assert client.get(f"{BASE}/{customer.pk}").json()["is_active"] is False
    assert client.get(BASE).json()["items"] == []
    assert len(client.get(BASE, {"include_archived": True}).json()["items"]) == 1


def test_ids_beyond_the_database_and_odd_digits_are_4xx_never_500(client, agent, customer):
    """A probe found `OverflowError` for ids above 2**63 and `int("²")` failing after `isdigit()`."""
    client.force_login(agent)
    huge = str(2**64)
    assert client.get(BASE, {"before_id": huge}).status_code == 400
    assert client.get(BASE, {"region_id": huge}).status_code == 400
    assert client.get(f"{BASE}/{huge}").status_code == 404
    assert client.get(f"/customers/{huge}/").status_code == 404
    assert client.get("/customers/", {"before": "²", "region": huge}).status_code == 200
    assert client.get("/audit/", {"before": "²"}).status_code == 403  # an agent reads no audit page, still no 500
    assert client.get("/notifications/", {"before": huge}).status_code == 200
