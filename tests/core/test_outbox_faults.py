"""The worker killed in the middle of delivering notifications (R4.9, docs/architecture.md rule 5).

A real worker process delivers e-mails to a real SMTP server; it is killed (SIGKILL) while the
server holds the third message. A new worker then delivers the rest: every in-app notification
exists exactly once, every e-mail arrived, and the only one that arrived twice is the one in flight
at the kill, with the same Message-ID both times.

It needs a database that a second process can open, so it runs in the PostgreSQL pass of
`make test` (SQLite's test database lives in this process's memory).
"""

import os
import signal
import subprocess
import sys
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection

from fuwu.core.models import Notification, OutboxMessage
from fuwu.core.outbox import outbox_notify
from tests.factories import make_staff
from tests.smtp import Mailbox, smtp_server

pytestmark = pytest.mark.django_db(transaction=True)

WORKER = "from fuwu.core.outbox import outbox_deliver_pending; print(outbox_deliver_pending())"


def _worker(port: int) -> subprocess.Popen:
    db = connection.settings_dict
    url = (f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
           f"{db['NAME']}")
    env = {**os.environ, "DATABASE_URL": url, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port),
           "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
    return subprocess.Popen([sys.executable, "manage.py", "shell", "-c", WORKER], cwd=settings.BASE_DIR,  # noqa: S603
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="a second process must reach the test database")
def test_a_killed_worker_loses_nothing_and_repeats_at_most_the_mail_in_flight(monkeypatch):
    monkeypatch.setattr("fuwu.core.outbox._wake_worker", lambda: None)  # only the worker process delivers
    people = [make_staff("agent", email=f"agent{n}@fuwu.example") for n in range(6)]
    rows = [row for person in people for row in outbox_notify(recipients=[person], subject=f"回访提醒 {person.pk}",
                                                                by_email=True)]
    mailbox = Mailbox(hold_at=3)
    with smtp_server(mailbox) as port:
        worker = _worker(port)
        while not mailbox.holding.wait(0.2):
            assert worker.poll() is None, worker.communicate(timeout=5)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        mailbox.release.set()
        assert OutboxMessage.objects.filter(delivered_at__isnull=False).count() == 2  # committed before the kill

        restarted = _worker(port)
        out, err = restarted.communicate(timeout=120)
        assert restarted.returncode == 0, err
        assert out.strip().splitlines()[-1] == "4"

    assert not OutboxMessage.objects.filter(pk__in=[r.pk for r in rows], delivered_at__isnull=True).exists()
    assert Counter(Notification.objects.filter(outbox__in=rows).values_list("outbox_id", flat=True)) == Counter(
        {row.pk: 1 for row in rows})
    sent = Counter(mailbox.message_ids())
    assert len(sent) == len(rows) and sorted(sent.values()) == [1, 1, 1, 1, 1, 2]
    [(twice, _)] = [(mid, n) for mid, n in sent.items() if n == 2]
    assert twice == f"<outbox-{rows[2].pk}@localhost>"
