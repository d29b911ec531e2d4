"""The database fails under load (R4.9; docs/operations.md, "When the database fails").

PostgreSQL restarting: every connection is cut, as a restart cuts it, and for a while no new one is
accepted, while clients keep registering requests and reading pages on a running server. SQLite:
another process holds the file's write lock longer than the wait allows. Either way, requests fail
cleanly (503, a typed body, Retry-After), nothing is half-written, the audit chain stays intact,
and the service recovers on its own.
"""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.test import Client

from fuwu.core.audit import ChainBreak, verify_chain
from fuwu.core.models import AuditEvent
from fuwu.org.actions import api_token_issue
from fuwu.standards.models import ServiceType
from fuwu.tickets.codes import TicketAction
from fuwu.tickets.models import SlaClock, Ticket
from tests.factories import make_staff

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _call(url: str, *, headers: dict, body: dict | None = None) -> tuple[int, dict, str]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data,  # noqa: S310 (http to the test's own server)
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the test's own server)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class Clients:
    """Clients calling the server in a loop until stopped; each answer's (time, status, headers, body) kept."""

    def __init__(self, calls: dict[str, tuple]):
        self.calls, self.results = calls, {name: [] for name in calls}
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(name,)) for name in calls]

    def _run(self, name: str) -> None:
        url, headers, body = self.calls[name]
        while not self.stop.is_set():
            answer = _call(url, headers=headers, body=body)
            self.results[name].append((time.monotonic(), *answer))  # when the answer came
            time.sleep(0.02)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def _postgres_outage(seconds: float) -> None:
    """What clients see of a restart: every connection of the test database cut, none accepted for `seconds`."""
    db = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [own] = cursor.fetchone()  # the test's own connection, which checks the result afterwards
    admin = psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                            password=db.get("PASSWORD") or None, dbname="postgres", autocommit=True)
    with admin:
        try:
            admin.execute(f'ALTER DATABASE "{db["NAME"]}" WITH ALLOW_CONNECTIONS false')
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
                          [db["NAME"], own])
            time.sleep(seconds)
        finally:
            admin.execute(f'ALTER DATABASE "{db["NAME"]}" WITH ALLOW_CONNECTIONS true')


def _chain_intact() -> int:
    steps = list(verify_chain())
    assert not any(isinstance(step, ChainBreak) for step in steps), steps
    return steps[-1] if steps else 0


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="a PostgreSQL server to cut off")
def test_postgresql_restarting_under_load_fails_requests_cleanly_and_recovers(live_server):
    agent = make_staff("agent")
    _token, key = api_token_issue(actor=agent, name="load")
    browser = Client()
    browser.force_login(agent)
    cookie = f"sessionid={browser.cookies['sessionid'].value}"
    body = {"service_type_id": ServiceType.objects.get(code="consultation").pk, "title": "咨询保修期",
            "contact_name": "陈先生", "contact_phone": "13900000000", "channel": "phone"}
    api = (f"{live_server.url}/api/v1/tickets", {"Authorization": f"Bearer {key}"}, body)
    with Clients({"register 1": api, "register 2": api,
                  "queue page": (f"{live_server.url}/tickets/", {"Cookie": cookie}, None)}) as clients:
        time.sleep(1.0)
        outage_start = time.monotonic()
        _postgres_outage(2.0)
        outage_end = time.monotonic()
        time.sleep(2.0)

    created, seen_failing = [], 0
    for name, results in clients.results.items():
        statuses = {status for _at, status, _headers, _body in results}
        assert statuses <= {200, 201, 503}, (name, statuses)
        failed = [(at, headers, text) for at, status, headers, text in results if status == 503]
        seen_failing += len(failed)
        assert all(outage_start <= at <= outage_end + 1.0 for at, _h, _t in failed), name
        assert all(headers.get("Retry-After") == "5" for _at, headers, _t in failed), name
        if name == "queue page":
            assert all("503" in text and "请稍候" in text for _at, _h, text in failed)
        else:
            assert all(json.loads(text)["code"] == "unavailable" for _at, _h, text in failed)
            created += [json.loads(text)["id"] for _at, status, _h, text in results if status == 201]
        recovered = [status for at, status, _h, _t in results if at > outage_end + 1.0]
        assert recovered and set(recovered) <= {200, 201}, (name, recovered)  # back on its own
    assert seen_failing, "no client saw the outage"

    # Nothing half-written: every request answered 201 is there, and every request there is whole.
    assert set(created) <= set(Ticket.objects.values_list("pk", flat=True))
    for ticket in Ticket.objects.all():
        assert SlaClock.objects.filter(ticket=ticket).exists(), ticket
        assert AuditEvent.objects.filter(object_type="tickets.ticket", object_id=str(ticket.pk),
                                         action=TicketAction.REGISTERED).count() == 1, ticket
    assert _chain_intact() == AuditEvent.objects.count()


SQLITE_SCRIPT = """
import json, sqlite3, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client
call_command("migrate", verbosity=0)
from fuwu.org.actions import api_token_issue
from fuwu.standards.models import ServiceType
from fuwu.tickets.models import Ticket
from tests.factories import make_staff

agent = make_staff("agent")
_token, key = api_token_issue(actor=agent, name="lock")
client = Client(raise_request_exception=False, HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {key}")
body = {"service_type_id": ServiceType.objects.get(code="consultation").pk, "title": "咨询保修期",
        "contact_name": "陈先生", "contact_phone": "13900000000", "channel": "phone"}
connection.close()

def register():
    response = client.post("/api/v1/tickets", body, content_type="application/json")
    return {"status": response.status_code, "code": response.json().get("code"),
            "retry_after": response.get("Retry-After"), "tickets": Ticket.objects.count()}

other = sqlite3.connect(sys.argv[1], isolation_level=None)
other.execute("BEGIN")  # a long reader: WAL lets writers go on
other.execute("SELECT count(*) FROM tickets_ticket").fetchone()
results = {"beside a long reader": register()}
other.execute("COMMIT")
other.execute("BEGIN IMMEDIATE")  # another writer holding the lock past the wait
results["while another process holds the write lock"] = register()
other.execute("ROLLBACK")
results["after it lets go"] = register()
print(json.dumps(results))
"""


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's file lock")
def test_sqlite_locked_by_another_process_gives_a_clear_error_then_success(tmp_path):
    path = tmp_path / "fuwu.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "SQLITE_TIMEOUT": "1", "FUWU_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "config.settings", "HUEY_IMMEDIATE": "1"}
    done = subprocess.run([sys.executable, "-c", SQLITE_SCRIPT, str(path)], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert results["beside a long reader"] == {"status": 201, "code": None, "retry_after": None, "tickets": 1}
    assert results["while another process holds the write lock"] == {
        "status": 503, "code": "unavailable", "retry_after": "5", "tickets": 1}  # nothing half-written
    assert results["after it lets go"] == {"status": 201, "code": None, "retry_after": None, "tickets": 2}
