"""Real concurrency in tests (docs/architecture.md, rule 3): jobs started together on their own
connections, on PostgreSQL only — SQLite has one write lock for the whole database, so writers never
overlap there."""

import threading

import pytest
from django.db import connection

POSTGRES_ONLY = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises all writers with one database lock, so row locks and "
        "concurrent transactions cannot be exercised there",
    ),
]


def run_together(jobs):
    """Start every job at the same moment, each in its own thread with its own connection; returns
    ("ok", result) or ("error", exception) per job, in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait(timeout=30)
            results[i] = ("ok", job())
        except Exception as exc:
            results[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return results
