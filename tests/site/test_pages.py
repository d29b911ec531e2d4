"""The site's own pages: logging in, language, lockout, error pages, the home page per role (R1.2, R4.9)."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from fuwu.core.audit import audit_record
from fuwu.core.models import AuditEvent
from fuwu.customers import actions as customer_actions
from fuwu.customers.validation import ProductInput
from fuwu.org.models import LoginFailure
from tests.factories import PASSWORD, link_portal_user, make_customer, make_staff, make_ticket

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def _login(client, username, password, **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, headers=headers)


def test_login_page_is_chinese_by_default_even_for_an_english_browser(client):
    response = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()
    failed = _login(client, "nobody", "wrong", **{"accept-language": "en"})
    [message] = failed.context["form"].non_field_errors()
    assert CJK.search(message), message


def test_the_language_switch_sets_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("login"))
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()
    failed = _login(client, "nobody", "wrong")
    [message] = failed.context["form"].non_field_errors()
    assert "Please enter a correct" in message and not CJK.search(message)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert client.get(reverse("login"))["Content-Language"] == "zh-hans"


def test_api_clients_may_ask_for_a_language(client):
    response = client.get("/api/v1/customers", headers={"accept-language": "en"})
    assert response.status_code == 401 and response["Content-Language"] == "en"


def test_login_is_recorded_and_lands_on_home(client):
    user = make_staff("agent", username="zhang")
    response = _login(client, "zhang", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    [event] = AuditEvent.objects.filter(action="auth.logged_in")
    assert event.actor == user and event.payload == {"ip": "127.0.0.1"}
    assert client.get(reverse("home")).status_code == 200


def test_lockout_after_the_failure_limit_even_with_the_right_password(client):
    make_staff("agent", username="li")
    limit = settings.FUWU_LOGIN_MAX_FAILURES
    for _ in range(limit):
        response = _login(client, "li", "wrong-password")
        assert response.status_code == 200
        assert response.context["form"].errors.as_data()["__all__"][0].code == "invalid_login"
    assert LoginFailure.objects.filter(username="li").count() == limit
    assert AuditEvent.objects.filter(action="auth.locked_out").count() == 1

    response = _login(client, "li", PASSWORD)
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["__all__"]
    assert error.code == "locked"
    [message] = response.context["form"].non_field_errors()
    assert re.search(r"\d\d:\d\d", message)
    assert message in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action="auth.logged_in").exists()
    # The lock is per username, whatever its case.
    assert _login(client, "LI", PASSWORD).context["form"].errors.as_data()["__all__"][0].code == "locked"


def test_failures_below_the_limit_do_not_lock(client):
    make_staff("agent", username="wang")
    for _ in range(settings.FUWU_LOGIN_MAX_FAILURES - 1):
        _login(client, "wang", "wrong-password")
    assert _login(client, "wang", PASSWORD).status_code == 302


def test_logout_needs_post(client):
    client.force_login(make_staff("agent"))
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout"))["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_403_page_is_the_friendly_one(client):
    client.force_login(make_staff("agent"))
    response = client.get(reverse("audit"))
    assert response.status_code == 403
    assert next(t.name for t in response.templates) == "403.html"
    assert reverse("home") in response.content.decode()


def test_audit_page_shows_labels_never_codes_and_filters_by_a_labelled_action(client):
    """R4.9: the supervisor reads the record as sentences; the filter offers actions by their names."""
    supervisor = make_staff("quality_supervisor")
    client.force_login(supervisor)
    make_customer(make_staff("agent"), name="上海申通物流有限公司")
    page = client.get(reverse("audit")).content.decode()
    assert "登记客户" in page and "customer.created" not in page.split("<tbody>")[1]
    assert '<option value="customer.created">登记客户</option>' in page
    filtered = client.get(reverse("audit"), {"action": "customer.created"}).content.decode()
    rows = filtered.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == AuditEvent.objects.filter(action="customer.created").count() == 1
    assert '<option value="customer.created" selected>' in filtered


def test_audit_page_names_the_system_in_the_readers_language(client):
    """Issue 15: events of scheduled jobs showed the stored actor name `system` in English."""
    audit_record(actor=None, action="customer.created")
    client.force_login(make_staff("quality_supervisor"))
    rows = client.get(reverse("audit")).content.decode().split("<tbody>")[1]
    assert "系统" in rows and ">system<" not in rows


def test_404_page_is_the_friendly_one(client):
    client.force_login(make_staff("agent"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert next(t.name for t in response.templates) == "404.html"
    anonymous = Client().get("/no-such-page/")
    assert anonymous.status_code == 404 and next(t.name for t in anonymous.templates) == "404.html"


def _values(response):
    """The figures in the order home_figures lists them (labels are translated, so not used here)."""
    return [f.value for f in response.context["figures"]["figures"]]


def _urls(response):
    return [f.url for f in response.context["figures"]["figures"]]


def test_home_shows_real_customer_figures_to_staff_outside_service(client, agent):
    """Finance neither supervises the service nor takes requests: its home counts the archive."""
    for n in range(3):
        make_customer(agent, name=f"客户{n}", customer_class="key" if n == 0 else "ordinary")
    gone = make_customer(agent, name="已归档")
    customer_actions.customer_set_active(actor=agent, customer=gone, expected_version=1, active=False, reason="停业")
    client.force_login(make_staff("finance"))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    # Customers, key and VIP, incomplete, new this month, warranties ending within 30 days.
    assert _values(response)[:5] == [3, 1, 3, 3, 0]
    assert '<div class="value">3</div>' in response.content.decode()


@pytest.mark.parametrize("role", ["manager", "general_manager", "quality_supervisor"])
def test_supervisors_see_service_health_not_record_counts(client, agent, role):
    """Issue 14: the managers' home showed customer-record and audit counts and no service figure."""
    make_customer(agent)
    make_ticket(agent, title="空调不制冷")
    client.force_login(make_staff(role))
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert 'id="home-health"' in html and 'id="health-backlog"' in html
    assert _values(response) == [] and reverse("audit") not in _urls(response)
    backlog = response.context["figures"]["health"]["tiles"][0]
    assert backlog.indicator.code == "backlog" and backlog.value == 1
    assert f'href="{backlog.url}"' in html.replace("&amp;", "&")


def test_agents_see_their_work_for_today(client, agent):
    make_ticket(agent, title="打印机卡纸")
    client.force_login(agent)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert 'id="home-my-day"' in html and 'id="home-health"' not in html
    assert reverse("customers:lookup") in html
    day = {f.url: f.value for f in response.context["figures"]["my_day"]}
    assert day[f"{reverse('tickets:workspace')}?queue=mine"] == 1


def test_home_sends_a_customer_login_to_its_portal(client, agent):
    """A portal login's home is the portal (its own products and requests there: tests/portal/test_pages.py)."""
    client.force_login(link_portal_user(make_customer(agent, name="自己的公司")))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")


def test_a_technicians_home_is_their_day_not_a_customers_products(client, agent):
    """A technician sees the customers of their work (R2.2) but is not one of them: a regression once
    showed the first such customer's products as "your delivered products"."""
    technician = make_staff("technician")
    own = make_customer(agent, name="报修客户")
    customer_actions.product_add(actor=agent, customer=own, data=ProductInput(name="冷水机组"))
    make_ticket(technician, title="漏水", customer_id=own.pk)  # now the technician may see this customer
    client.force_login(technician)
    html = client.get(reverse("home")).content.decode()
    assert 'id="home-visits"' in html and "冷水机组" not in html


def test_home_warns_managers_when_next_years_holiday_data_is_missing(client):
    """R10.3: from 60 days before a year without holiday data, those who can import it see it first."""
    from unittest import mock

    from tests.tickets.sla_setup import local

    client.force_login(make_staff("manager"))
    with mock.patch("django.utils.timezone.now", return_value=local(2026, 11, 23, 9)):
        page = client.get(reverse("home")).content.decode()
        # The command on the server is for administrators only; a manager is told who imports it.
        assert "calendar-data-warning" in page and "2027" in page and "import_holidays" not in page
        assert "由系统管理员导入" in page
        client.force_login(make_staff("admin"))
        assert "import_holidays FILE --year 2027" in client.get(reverse("home")).content.decode()
        client.force_login(make_staff("agent"))
        assert "calendar-data-warning" not in client.get(reverse("home")).content.decode()
    client.force_login(make_staff("manager"))
    with mock.patch("django.utils.timezone.now", return_value=local(2026, 10, 1, 9)):
        assert "calendar-data-warning" not in client.get(reverse("home")).content.decode()


def test_the_favicon_is_served_to_anyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("fuwu/favicon.svg")
    assert 'rel="icon"' in client.get(reverse("login")).content.decode()


def test_debug_still_shows_the_friendly_404_and_500_pages(settings, monkeypatch):
    """`make run` with DEBUG on: people meet our pages, not Django's debug pages (issue 15)."""
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    client.force_login(make_staff("agent"))
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "NONE,NOARCHIVE" not in missing.content.decode()
    assert "404.html" in [t.name for t in missing.templates]

    def broken(viewer):
        raise RuntimeError("boom")

    monkeypatch.setattr("fuwu.site.views.home_figures", broken)
    crashed = client.get(reverse("home"))
    assert crashed.status_code == 500 and "500.html" in [t.name for t in crashed.templates]
    assert "RuntimeError" not in crashed.content.decode()
    settings.FUWU_TECHNICAL_ERROR_PAGES = True
    assert "NONE,NOARCHIVE" in client.get("/no-such-page/").content.decode()
    assert client.get("/api/v1/no-such-thing").headers["Content-Type"].startswith("application/json")
