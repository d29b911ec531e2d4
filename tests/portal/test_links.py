"""One-time sign-in links (R1.2): single use, expiry, hashed tokens, no account enumeration, no guessing."""

import datetime
import hashlib
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from fuwu.core.errors import InvalidInput
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.org.models import LoginFailure
from fuwu.portal import actions
from fuwu.portal.codes import PortalAction, PortalError
from fuwu.portal.models import LoginLink
from tests.factories import make_customer, make_staff

pytestmark = pytest.mark.django_db

ADDRESS = "chen@shenjiang.example"


def _url(token: str) -> str:
    return f"https://fuwu.example/portal/signin/link/{token}/"


def _send(email: str = ADDRESS) -> int:
    return actions.login_link_send(email=email, build_url=_url)


def _token_in_mail() -> str:
    body = OutboxMessage.objects.filter(email=ADDRESS).latest("id").body
    return re.search(r"/portal/signin/link/([^/]+)/", body).group(1)


def test_a_link_is_sent_to_the_contacts_address_and_only_its_hash_is_kept(customer_login):
    assert _send(" Chen@ShenJiang.example ") == 1  # the address as the customer types it
    token = _token_in_mail()
    link = LoginLink.objects.get()
    assert link.user == customer_login and link.used_at is None
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in link.token_hash
    assert link.expires_at - link.created_at == datetime.timedelta(minutes=15)
    assert len(token) >= 40  # 32 random bytes
    assert AuditEvent.objects.filter(action=PortalAction.LINK_SENT).count() == 1


@pytest.mark.parametrize("email", ["nobody@nowhere.example", "", "not-an-address", "x" * 300 + "@a.b"])
def test_an_unknown_address_gets_nothing(customer_login, email):
    assert _send(email) == 0
    assert not LoginLink.objects.exists() and not OutboxMessage.objects.filter(email__contains="@").exists()


def test_staff_and_contacts_without_a_portal_login_get_nothing(agent):
    make_customer(agent, name="无登录的客户", email=ADDRESS)  # a contact with this address but no portal login
    make_staff("agent", email=ADDRESS)  # a staff login with the same address
    assert _send() == 0


def test_an_archived_contact_or_inactive_login_gets_nothing(customer_login, own):
    customer_login.is_active = False
    customer_login.save()
    assert _send() == 0


def test_a_link_signs_in_once(customer_login):
    _send()
    token = _token_in_mail()
    assert actions.login_link_redeem(token=token, ip_address="10.0.0.1") == customer_login
    assert LoginLink.objects.get().used_at is not None
    assert AuditEvent.objects.filter(action=PortalAction.LINK_USED, actor=customer_login).exists()
    with pytest.raises(InvalidInput) as excinfo:
        actions.login_link_redeem(token=token, ip_address="10.0.0.1")
    assert excinfo.value.code == PortalError.LINK_INVALID


def test_a_link_expires_after_its_minutes(customer_login, settings):
    _send()
    token = _token_in_mail()
    later = timezone.now() + datetime.timedelta(minutes=settings.FUWU_PORTAL_LINK_MINUTES, seconds=1)
    with time_machine.travel(later, tick=False), pytest.raises(InvalidInput):
        actions.login_link_redeem(token=token, ip_address="10.0.0.1")
    assert LoginLink.objects.get().used_at is None


def test_a_link_of_a_contact_archived_since_signs_nobody_in(customer_login, own, agent):
    from fuwu.customers.actions import contact_deactivate

    _send()
    token = _token_in_mail()
    contact_deactivate(actor=agent, contact=own.contacts.get(user=customer_login), reason="已离职")
    with pytest.raises(InvalidInput):
        actions.login_link_redeem(token=token, ip_address="10.0.0.1")


def test_guessed_tokens_count_as_failed_logins_and_lock_the_address_out(customer_login, settings):
    _send()
    token = _token_in_mail()
    for n in range(settings.FUWU_LOGIN_MAX_FAILURES_PER_ADDRESS):
        with pytest.raises(InvalidInput):
            actions.login_link_redeem(token=f"guess{n}", ip_address="10.6.6.6")
    assert LoginFailure.objects.filter(ip_address="10.6.6.6").count() == settings.FUWU_LOGIN_MAX_FAILURES_PER_ADDRESS
    with pytest.raises(InvalidInput):  # even the right token, from the locked-out address
        actions.login_link_redeem(token=token, ip_address="10.6.6.6")
    assert actions.login_link_redeem(token=token, ip_address="10.0.0.1") == customer_login


def test_at_most_a_few_links_an_hour(customer_login, settings):
    for _ in range(settings.FUWU_PORTAL_LINKS_PER_HOUR + 2):
        _send()
    assert LoginLink.objects.count() == settings.FUWU_PORTAL_LINKS_PER_HOUR


# --- The pages -----------------------------------------------------------------------------------


def test_the_answer_is_the_same_for_known_and_unknown_addresses(client, customer_login):
    known = client.post(reverse("portal:signin"), {"email": ADDRESS})
    unknown = client.post(reverse("portal:signin"), {"email": "nobody@nowhere.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]

    def page(url):  # the same page but for the form's CSRF token
        return re.sub(r"[A-Za-z0-9]{64}", "", client.get(url).content.decode())

    assert page(known["Location"]) == page(unknown["Location"])
    assert LoginLink.objects.count() == 1


def test_the_mail_carries_an_absolute_link(client, customer_login):
    client.post(reverse("portal:signin"), {"email": ADDRESS})
    assert "http://testserver/portal/signin/link/" in OutboxMessage.objects.get(email=ADDRESS).body


def test_opening_the_link_changes_nothing_and_the_button_signs_in(client, customer_login):
    _send()
    url = reverse("portal:link", args=[_token_in_mail()])
    assert client.get(url).status_code == 200  # a mail scanner opening the link uses nothing up
    assert LoginLink.objects.get().used_at is None
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
    client.logout()
    again = client.post(url)
    assert again.status_code == 400 and 'id="link-error"' in again.content.decode()
    assert client.get(reverse("portal:home")).status_code == 302  # not signed in
