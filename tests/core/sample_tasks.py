"""A task used by the task-backend tests."""

from django.tasks import task

from fuwu.core.audit import audit_record


@task
def record_ping(note: str) -> None:
    audit_record(actor=None, action="test.ping", payload={"note": note})
