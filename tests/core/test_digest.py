"""The daily digest: one e-mail a day to each person who chose it, listing the unread notices of the day,
sent once however often the job runs, through a real SMTP server (tests/smtp.py)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from fuwu.core.actions import notification_digests_send, notification_preference_set
from fuwu.core.models import Notification, NotificationDelivery, OutboxMessage
from fuwu.core.outbox import outbox_deliver_pending, outbox_notify
from fuwu.core.tasks import notification_digests_daily
from fuwu.org.roles import Role
from tests.factories import make_staff
from tests.smtp import Mailbox, smtp_server

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 2)


def _smtp(settings, port):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5}}}


@pytest.fixture
def people(db):
    digest = make_staff(Role.AGENT, email="digest@fuwu.example")
    notification_preference_set(actor=digest, delivery=NotificationDelivery.DAILY_DIGEST)
    immediate = make_staff(Role.AGENT, email="now@fuwu.example")
    no_address = make_staff(Role.AGENT, email="")
    notification_preference_set(actor=no_address, delivery=NotificationDelivery.DAILY_DIGEST)
    return digest, immediate, no_address


def test_each_digest_user_gets_one_mail_a_day_listing_the_unread_notices(people, settings):
    digest, immediate, no_address = people
    with time_machine.travel(timezone.make_aware(datetime.datetime(2026, 12, 1, 17, 0)), tick=False):
        outbox_notify(recipients=[digest], subject="昨天的通知")  # before the window: yesterday's digest
    outbox_notify(recipients=[digest, immediate, no_address], subject="FW-2026-000001 已受理", url="/tickets/1/")
    outbox_notify(recipients=[digest], subject="FW-2026-000002 已派工", url="/tickets/2/")
    outbox_notify(recipients=[digest], subject="已读的通知")
    outbox_notify(recipients=[digest], subject="邮件通知", by_email=True)  # by e-mail only in the digest
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        _smtp(settings, port)
        outbox_deliver_pending()
        assert mailbox.messages == []  # the digest user's notice by e-mail waits for the digest
        Notification.objects.filter(subject="已读的通知").update(read_at=timezone.now())

        with time_machine.travel(timezone.make_aware(datetime.datetime(2026, 12, 2, 18, 0)), tick=False):
            assert notification_digests_daily.call_local() == 1
            assert notification_digests_send(day=DAY) == 0  # again the same day: nothing more
            outbox_deliver_pending()
            assert notification_digests_send(day=DAY) == 0
            outbox_deliver_pending()

    ((to, message),) = mailbox.messages
    assert to == ["digest@fuwu.example"]
    assert "2026-12-02" in message["Subject"] and " 3 " in message["Subject"]
    body = message.get_content()
    assert "FW-2026-000001 已受理" in body and "FW-2026-000002 已派工" in body and "邮件通知" in body
    assert "/tickets/2/" in body and "已读的通知" not in body and "昨天的通知" not in body
    assert OutboxMessage.objects.filter(dedupe_key__startswith="notification.digest:").count() == 1


def test_nothing_unread_means_no_digest_and_the_next_day_is_a_new_digest(people, settings):
    digest, *_ = people
    assert notification_digests_send(day=DAY) == 0
    with time_machine.travel(timezone.make_aware(datetime.datetime(2026, 12, 3, 9, 0)), tick=False):
        outbox_notify(recipients=[digest], subject="新的一天")
        outbox_deliver_pending()
        assert notification_digests_send(day=DAY) == 0  # 09:00 on the 3rd is after the 2nd's window
        assert notification_digests_send(day=DAY + datetime.timedelta(days=1)) == 1
        assert notification_digests_send(day=DAY + datetime.timedelta(days=1)) == 0


def test_an_immediate_user_keeps_mail_at_once(people, settings):
    _digest, immediate, _ = people
    outbox_notify(recipients=[immediate], subject="重大事项", by_email=True)
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        _smtp(settings, port)
        outbox_deliver_pending()
        assert notification_digests_send(day=DAY) == 0
    assert [m["Subject"] for _to, m in mailbox.messages] == ["重大事项"]
