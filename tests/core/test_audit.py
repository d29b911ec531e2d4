import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from fuwu.core.audit import GENESIS_HASH, audit_record
from fuwu.core.migrations import _audit_triggers
from fuwu.core.models import AuditEvent, AuditRecordImmutable
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def test_events_chain_each_to_the_one_before(manager):
    first = audit_record(actor=manager, action="test.first", payload={"n": 1})
    second = audit_record(actor=manager, action="test.second", obj=first, payload={"n": 2})
    chain = list(AuditEvent.objects.order_by("id"))
    assert chain[0].prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert second.object_type == "core.auditevent" and second.object_id == str(first.pk)
    assert second.actor_name == manager.get_full_name()


def test_model_and_queryset_refuse_change_and_delete(manager):
    event = audit_record(actor=manager, action="test.x")
    event.action = "test.y"
    with pytest.raises(AuditRecordImmutable):
        event.save()
    with pytest.raises(AuditRecordImmutable):
        event.delete()
    with pytest.raises(AuditRecordImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.y")
    with pytest.raises(AuditRecordImmutable):
        AuditEvent.objects.all().delete()


def test_database_trigger_refuses_raw_update(manager):
    event = audit_record(actor=manager, action="test.x")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'tampered' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])


def _tamper(sql: str, params: list) -> None:
    """Bypass the append-only triggers the way an attacker with database access would."""
    _audit_triggers.set_enabled(connection, enabled=False)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    _audit_triggers.set_enabled(connection, enabled=True)


@pytest.mark.django_db(transaction=True)
def test_verify_audit_names_the_first_tampered_event(manager, capsys):
    for n in range(3):
        make_customer(manager, name=f"客户{n}")
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out
    victim = AuditEvent.objects.filter(action="customer.created").order_by("id")[1]
    _tamper("UPDATE core_auditevent SET payload = %s WHERE id = %s", ['{"forged": true}', victim.pk])
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit")
    assert f"#{victim.pk}" in str(excinfo.value)
    assert excinfo.value.returncode == 1
