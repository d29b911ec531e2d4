"""The MTA pipe as an MTA runs it: `manage.py receive_mail` in a process of its own, the mail on stdin."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from fuwu.mail.models import InboundMail, Outcome
from tests.mail.conftest import eml

pytestmark = pytest.mark.django_db(transaction=True)


def _pipe(raw: bytes) -> subprocess.CompletedProcess:
    db = connection.settings_dict
    url = (f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
           f"{db['NAME']}")
    return subprocess.run([sys.executable, "manage.py", "receive_mail"], input=raw, cwd=settings.BASE_DIR,
                          env={**os.environ, "DATABASE_URL": url}, capture_output=True, timeout=120, check=False)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="a second process must reach the test database")
def test_the_pipe_stores_the_mail_and_exits_0_also_for_a_second_delivery():
    first = _pipe(eml("gbk_plain.eml"))
    assert first.returncode == 0, first.stderr
    assert b"opened FW-2026-" in first.stdout
    again = _pipe(eml("duplicate_delivery.eml"))
    assert again.returncode == 0 and b"duplicate" in again.stdout
    (inbound,) = InboundMail.objects.all()
    assert inbound.outcome == Outcome.OPENED and inbound.ticket.channel == "email"


def test_unreadable_input_exits_1_with_the_reason_on_stderr():  # refused before the database is opened
    done = _pipe(b"garbage\n")
    assert done.returncode == 1 and b"CommandError" in done.stderr and not done.stdout
