"""The undelivered e-mail page: administrators only; the retry button goes through the action."""

import pytest
from django.urls import reverse
from django.utils import timezone

from fuwu.core.models import OutboxMessage
from fuwu.core.outbox import outbox_notify
from fuwu.org.roles import Role
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def _dead(email="gm@fuwu.example"):
    (row,) = outbox_notify(recipients=[make_staff(Role.AGENT, email=email)], subject="重大事项", by_email=True)
    OutboxMessage.objects.filter(pk=row.pk).update(attempts=8, dead_at=timezone.now(), last_error="SMTPDataError: 554")
    return row


@pytest.mark.parametrize(("role", "status"), [(Role.ADMIN, 200), (Role.MANAGER, 200), (Role.AGENT, 403),
                                              (Role.TECHNICIAN, 403)])
def test_only_administrators_see_the_page_and_the_menu_entry(client, role, status):
    _dead()
    client.force_login(make_staff(role))
    response = client.get(reverse("mail:outbox_failed"))
    assert response.status_code == status
    home = client.get(reverse("home")).content.decode()
    assert (reverse("mail:outbox_failed") in home) == (status == 200)
    if status == 200:
        assert "gm@fuwu.example" in response.content.decode() and "554" in response.content.decode()


def test_the_retry_button_makes_the_dead_mail_due_again(client):
    row = _dead()
    client.force_login(make_staff(Role.AGENT))
    assert client.post(reverse("mail:outbox_retry", args=[row.pk])).status_code == 403
    client.force_login(make_staff(Role.ADMIN))
    response = client.post(reverse("mail:outbox_retry", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.dead_at is None and row.attempts == 0) or row.delivered_at is not None
