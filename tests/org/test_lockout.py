"""One password check with one lockout (R1.2): the login page, the admin and API keys alike.

An account is locked for the address its failures came from; an address failing across many
usernames is locked for all of them. A stranger cannot lock the general manager out at will.
"""

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse

from fuwu.core.models import AuditEvent
from fuwu.org.actions import api_token_issue, login_locked_until
from fuwu.org.codes import OrgAction
from fuwu.org.models import LoginFailure
from tests.factories import PASSWORD, make_staff

pytestmark = pytest.mark.django_db

STRANGER, OFFICE = "203.0.113.9", "10.1.2.3"


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def _login(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_admin_login_is_the_one_login_page(settings):
    """Guesses at /admin/login/ were never counted, and it let a locked account in."""
    make_staff("manager", username="boss")
    stranger = _from(STRANGER)
    for _ in range(settings.FUWU_LOGIN_MAX_FAILURES):
        _login(stranger, "boss", "guess")
    answer = stranger.post("/admin/login/?next=/admin/", {"username": "boss", "password": PASSWORD})
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))
    assert not _logged_in(stranger)
    assert stranger.get("/admin/login/?next=/admin/")["Location"] == f"{reverse('login')}?next=/admin/"
    assert _login(stranger, "boss", PASSWORD).context["form"].errors.as_data()["__all__"][0].code == "locked"


def test_every_password_check_counts_wherever_it_is_typed(settings):
    """A password checked through Django's authenticate() (the admin form, any later form) is counted."""
    make_staff("agent", username="zhou")
    request = RequestFactory().post("/anywhere/", REMOTE_ADDR=STRANGER)
    for _ in range(settings.FUWU_LOGIN_MAX_FAILURES):
        assert authenticate(request, username="zhou", password="guess") is None
    assert LoginFailure.objects.filter(username="zhou", ip_address=STRANGER).count() == settings.FUWU_LOGIN_MAX_FAILURES
    assert authenticate(request, username="zhou", password=PASSWORD) is None  # locked: refused before the check
    assert AuditEvent.objects.filter(action=OrgAction.AUTH_LOCKED_OUT).count() == 1


def test_a_stranger_cannot_lock_the_general_manager_out(settings):
    make_staff("general_manager", username="gm")
    stranger = _from(STRANGER)
    for _ in range(settings.FUWU_LOGIN_MAX_FAILURES):
        _login(stranger, "gm", "guess")
    assert login_locked_until("gm", STRANGER) is not None
    assert login_locked_until("gm", OFFICE) is None
    gm = _from(OFFICE)
    assert _login(gm, "gm", PASSWORD).status_code == 302 and _logged_in(gm)


def test_an_address_guessing_across_usernames_is_locked_for_all_of_them(settings):
    settings.FUWU_LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    make_staff("agent", username="wu")
    stranger = _from(STRANGER)
    for n in range(6):
        _login(stranger, f"someone{n}", "guess")  # one failure per username: no account lock
    assert [e.payload for e in AuditEvent.objects.filter(action=OrgAction.AUTH_ADDRESS_LOCKED_OUT)] == [
        {"ip": STRANGER}]
    answer = _login(stranger, "wu", PASSWORD)
    assert answer.context["form"].errors.as_data()["__all__"][0].code == "locked" and not _logged_in(stranger)
    assert _login(_from(OFFICE), "wu", PASSWORD).status_code == 302


def test_wrong_api_keys_lock_their_address_and_not_the_key_owner(settings):
    settings.FUWU_LOGIN_MAX_FAILURES_PER_ADDRESS = 5
    agent = make_staff("agent")
    _token, key = api_token_issue(actor=agent, name="crm")
    url = "/api/v1/org/me"
    stranger = _from(STRANGER)
    for n in range(5):
        assert stranger.get(url, HTTP_AUTHORIZATION=f"Bearer guess-{n}").status_code == 401
    assert LoginFailure.objects.filter(ip_address=STRANGER, username="").count() == 5
    assert stranger.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401  # the address is locked
    assert _from(OFFICE).get(url, HTTP_AUTHORIZATION=f"Bearer {key}").json()["username"] == agent.username
