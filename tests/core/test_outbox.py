"""The outbox (docs/architecture.md, rule 5): one notification per row, e-mail through the mailer, never twice."""

from contextlib import ExitStack
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from fuwu.core import outbox
from fuwu.core.models import Notification, OutboxMessage
from fuwu.core.outbox import MAX_ATTEMPTS, outbox_deliver_pending, outbox_notify
from fuwu.core.tasks import outbox_sweep
from fuwu.org.roles import Role
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return make_staff(Role.AGENT, email="a@fuwu.example"), make_staff(Role.MANAGER, email="m@fuwu.example")


def test_each_row_makes_one_notification_and_mail_rows_go_through_the_mailer(people):
    agent, manager = people
    outbox_notify(recipients=[agent, manager, None, agent], subject="工单已解决", body="请确认", url="/tickets/1/")
    outbox_notify(recipients=[manager], subject="重大事项", body="电梯困人", by_email=True)
    assert OutboxMessage.objects.count() == 3

    assert outbox_deliver_pending() == 3
    assert Notification.objects.filter(user=agent).count() == 1
    assert Notification.objects.filter(user=manager).count() == 2
    assert [(m.subject, m.to) for m in mail.outbox] == [("重大事项", ["m@fuwu.example"])]
    assert "电梯困人" in mail.outbox[0].body
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()

    assert outbox_deliver_pending() == 0
    assert Notification.objects.count() == 3 and len(mail.outbox) == 1


def test_a_dedupe_key_queues_the_same_notice_once(people):
    agent, manager = people
    first = outbox_notify(recipients=[agent, manager], subject="重大事项", dedupe_key="major:1", by_email=True)
    again = outbox_notify(recipients=[agent, manager], subject="重大事项", dedupe_key="major:1", by_email=True)
    assert len(first) == 2 and again == []
    assert outbox_deliver_pending() == 2
    assert outbox_notify(recipients=[manager], subject="重大事项", dedupe_key="major:1") == []
    assert len(mail.outbox) == 2


def test_a_failing_send_is_counted_and_kept_for_later(people, monkeypatch):
    agent, _ = people

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(outbox, "send_email", broken)
    (row,) = outbox_notify(recipients=[agent], subject="回访提醒", by_email=True)
    assert outbox_deliver_pending() == 0
    row.refresh_from_db()
    assert (row.attempts, row.delivered_at) == (1, None) and "smtp down" in row.last_error
    assert Notification.objects.filter(outbox=row).count() == 1  # in the app at once, whatever the mail does

    monkeypatch.undo()
    assert outbox_deliver_pending() == 0  # not due until its backoff (a minute) has passed
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert outbox_deliver_pending() == 1
    row.refresh_from_db()
    assert row.delivered_at is not None and row.attempts == 2 and row.next_attempt_at is None
    assert Notification.objects.filter(outbox=row).count() == 1 and len(mail.outbox) == 1


def test_a_row_that_keeps_failing_backs_off_and_is_dead_after_max_attempts(people, monkeypatch, caplog):
    agent, _ = people
    monkeypatch.setattr(outbox, "send_email", lambda *a, **k: 1 / 0)
    (row,) = outbox_notify(recipients=[agent], subject="x", by_email=True)
    waits = []
    with ExitStack() as later:
        for _ in range(MAX_ATTEMPTS + 2):
            outbox_deliver_pending()
            outbox_deliver_pending()  # a sweep before the row is due neither tries nor logs
            row.refresh_from_db()
            if row.next_attempt_at:
                waits.append(round((row.next_attempt_at - timezone.now()).total_seconds() / 60))
                later.enter_context(time_machine.travel(row.next_attempt_at + timedelta(seconds=1)))
    assert waits == [1, 2, 4, 8, 16, 32, 60]
    assert row.attempts == MAX_ATTEMPTS and row.delivered_at is None and row.dead_at is not None
    assert "ZeroDivisionError" in row.last_error
    assert len([r for r in caplog.records if r.name == "fuwu.core.outbox"]) == MAX_ATTEMPTS


def test_delivering_ticket_notifications_keeps_the_audit_chain(people):
    from tests.factories import make_ticket

    agent, _ = people
    make_staff(Role.GENERAL_MANAGER, email="gm@fuwu.example")
    make_ticket(agent, title="电梯困人", major=True)
    delivered = outbox_deliver_pending()
    assert delivered == OutboxMessage.objects.count() >= 2
    assert sorted(to for m in mail.outbox for to in m.to) == ["gm@fuwu.example", "m@fuwu.example"]
    assert outbox_deliver_pending() == 0 and len(mail.outbox) == 2
    call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_with_the_queue_down_the_action_succeeds_and_the_sweep_delivers_later(monkeypatch, caplog):
    """Redis unavailable: the wake-up fails after commit, the request does not; nothing is lost."""
    import socket

    from huey.contrib.djhuey import HUEY
    from huey.storage import RedisStorage

    agent = make_staff("agent")
    with socket.socket() as probe:  # a port nobody listens on: Redis is down
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(HUEY, "immediate", False)
    monkeypatch.setattr(HUEY, "storage", RedisStorage(name="fuwu-test", host="127.0.0.1", port=port))
    with transaction.atomic():
        (row,) = outbox_notify(recipients=[agent], subject="回访提醒")
    row.refresh_from_db()
    assert row.delivered_at is None and "Connection refused" in caplog.text
    monkeypatch.undo()
    assert outbox_sweep.call_local() == 1
    assert Notification.objects.filter(outbox=row).count() == 1
