"""Notices are worded in their reader's language, the one they last chose for the pages (English fully):
a notice queued by a colleague working in Chinese, or by a job, reaches an English reader in English."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fuwu.core.actions import notification_digests_send, notification_language_set, notification_preference_set
from fuwu.core.errors import InvalidInput
from fuwu.core.models import NotificationDelivery, NotificationPreference, OutboxMessage
from fuwu.core.outbox import outbox_deliver_pending, outbox_notify
from fuwu.tickets.actions import ticket_hand_over
from fuwu.tickets.models import Ticket
from tests.factories import PASSWORD, make_staff, make_ticket

pytestmark = pytest.mark.django_db


def subjects() -> dict[str, str]:
    return {row.recipient.username: row.subject for row in OutboxMessage.objects.select_related("recipient")}


def test_a_notice_is_worded_in_each_readers_language(agent, manager):
    notification_language_set(actor=manager, language="en")
    with translation.override("zh-hans"):  # the colleague who acts works in Chinese
        outbox_notify(recipients=[agent, manager], subject=lambda: _("Major matter: %(t)s") % {"t": "FW-1"},
                      body=lambda: _("Files added."))
    rows = {row.recipient_id: row for row in OutboxMessage.objects.all()}
    assert (rows[manager.pk].subject, rows[manager.pk].body) == ("Major matter: FW-1", "Files added.")
    assert rows[agent.pk].subject == "重大事项：FW-1"  # never chose: the site's default, Chinese
    assert rows[agent.pk].body != "Files added."


def test_a_plain_text_notice_is_kept_as_written(agent, manager):
    notification_language_set(actor=manager, language="en")
    outbox_notify(recipients=[agent, manager], subject="回访提醒")
    assert set(subjects().values()) == {"回访提醒"}


def test_an_action_notifies_in_the_readers_language(agent):
    """A hand-over made in Chinese reaches the English-speaking group member in English (R3.3)."""
    ticket = make_ticket(agent, title="空调不制冷", contact_phone="13800138000")
    taker = make_staff("support")
    notification_language_set(actor=taker, language="en")
    with translation.override("zh-hans"):
        ticket_hand_over(actor=agent, ticket=Ticket.objects.get(pk=ticket.pk), to_group=taker.profile.group,
                         to_user=taker, note="请上门检查", expected_version=None)
    row = OutboxMessage.objects.get(recipient=taker)
    assert row.subject.startswith("Hand-over waiting: ") and ticket.number in row.subject


def test_the_language_is_validated_and_the_last_choice_wins(agent):
    with pytest.raises(InvalidInput):
        notification_language_set(actor=agent, language="fr")
    notification_language_set(actor=agent, language="en")
    notification_preference_set(actor=agent, delivery=NotificationDelivery.DAILY_DIGEST)
    preference = notification_language_set(actor=agent, language="zh-hans")
    assert (preference.language, preference.delivery) == ("zh-hans", NotificationDelivery.DAILY_DIGEST)


def test_switching_language_remembers_it_for_notices_and_the_next_login(client, agent):
    client.force_login(agent)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert NotificationPreference.objects.get(user=agent).language == "en"

    other_device = type(client)()  # a fresh browser: no language cookie
    response = other_device.post(reverse("login"), {"username": agent.username, "password": PASSWORD})
    assert response.status_code == 302
    assert other_device.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert other_device.get(reverse("home"))["Content-Language"] == "en"


def test_a_language_chosen_on_the_login_page_is_remembered(client, agent):
    client.post("/i18n/setlang/", {"language": "en", "next": reverse("login")})  # not signed in yet
    assert not NotificationPreference.objects.filter(user=agent).exists()
    client.post(reverse("login"), {"username": agent.username, "password": PASSWORD})
    assert NotificationPreference.objects.get(user=agent).language == "en"


def test_the_daily_digest_is_written_in_its_readers_language(settings):
    reader = make_staff("agent", email="reader@fuwu.example")
    notification_preference_set(actor=reader, delivery=NotificationDelivery.DAILY_DIGEST)
    notification_language_set(actor=reader, language="en")
    outbox_notify(recipients=[reader], subject=lambda: _("New entry on %(t)s") % {"t": "FW-2"})
    outbox_deliver_pending()
    assert notification_digests_send(day=timezone.localdate()) == 1  # the day's window ends at 18:00
    digest = OutboxMessage.objects.get(email="reader@fuwu.example")
    assert digest.subject.startswith("Fuwu: 1 unread notices on")
    assert "New entry on FW-2" in digest.body and "Your unread notices of the day:" in digest.body
