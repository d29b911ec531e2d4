import pytest

from fuwu.core.tasks import audit_chain_nightly_check
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def test_nightly_check_counts_an_intact_chain(manager):
    make_customer(manager, name="甲公司")
    make_customer(manager, name="乙公司")
    # staff_create + two customers; the huey task runs in-process in tests (immediate mode).
    assert audit_chain_nightly_check.call_local() >= 3


def test_enqueued_django_task_runs_through_huey():
    from fuwu.core.models import AuditEvent
    from tests.core.sample_tasks import record_ping

    result = record_ping.enqueue("hello")
    assert result.backend == "default"
    event = AuditEvent.objects.get(action="test.ping")
    assert event.payload == {"note": "hello"}
