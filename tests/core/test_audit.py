import hashlib
import hmac
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from fuwu.core.anchors import anchor_write, anchors_check
from fuwu.core.audit import GENESIS_HASH, audit_record, compute_hash
from fuwu.core.migrations import _audit_triggers
from fuwu.core.models import AuditEvent, AuditRecordImmutable, OutboxMessage
from fuwu.core.tasks import audit_anchor_hourly
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


@pytest.mark.django_db(transaction=True)
def test_a_break_reports_how_many_events_before_it_are_intact(manager):
    for n in range(7):
        audit_record(actor=manager, action="test.x", payload={"n": n})
    events = list(AuditEvent.objects.order_by("id"))
    _tamper("UPDATE core_auditevent SET payload = %s WHERE id = %s", ['{"n": 99}', events[5].pk])
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit")
    assert f"#{events[5].pk}" in str(excinfo.value) and "(5 events before it are intact)" in str(excinfo.value)


def _rewrite_from(event: AuditEvent, payload: str) -> None:
    """Edit one event and recompute every later hash, as someone covering their tracks would (without the audit
    key, the seals cannot be recomputed: they are left as they were)."""
    _tamper("UPDATE core_auditevent SET payload = %s WHERE id = %s", [payload, event.pk])
    prev = event.prev_hash
    for later in AuditEvent.objects.filter(id__gte=event.pk).order_by("id"):
        fields = {f: getattr(later, f) for f in ("occurred_at", "actor_id", "actor_name", "action", "object_type",
                                                 "object_id", "object_repr", "payload", "request_id", "supersedes_id")}
        new_hash = compute_hash(prev_hash=prev, **fields)
        _tamper("UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new_hash, later.pk])
        prev = new_hash


def test_every_event_is_sealed_with_the_audit_key(manager, settings):
    event = audit_record(actor=manager, action="test.x")
    assert event.seal == hmac.new(settings.FUWU_AUDIT_KEY.encode(), event.hash.encode(), hashlib.sha256).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_seals_catch_a_chain_recomputed_without_the_key(manager):
    for n in range(4):
        audit_record(actor=manager, action="test.x", payload={"n": n})
    events = list(AuditEvent.objects.order_by("id"))
    _rewrite_from(events[2], '{"n": 42}')  # every hash now links, but the seals are the old ones
    with pytest.raises(CommandError) as resealed:
        call_command("verify_audit")
    assert f"#{events[2].pk}: its seal does not match" in str(resealed.value)

    _tamper("UPDATE core_auditevent SET seal = NULL WHERE id >= %s", [events[2].pk])  # seals taken off instead
    with pytest.raises(CommandError) as unsealed:
        call_command("verify_audit")
    assert f"#{events[2].pk}: it has no seal, though the events from #{events[0].pk} on have one" in str(
        unsealed.value)


@pytest.mark.django_db(transaction=True)
def test_a_different_key_fails_every_seal(manager, settings):
    audit_record(actor=manager, action="test.x")
    first = AuditEvent.objects.order_by("id").first()
    settings.FUWU_AUDIT_KEY = "someone else's key, " * 3
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit")
    assert f"#{first.pk}: its seal does not match" in str(excinfo.value)


@pytest.mark.django_db(transaction=True)
def test_anchors_catch_a_recomputed_chain_and_a_cut_short_record(manager, capsys):
    for n in range(4):
        audit_record(actor=manager, action="test.x", payload={"n": n})
    _tamper("UPDATE core_auditevent SET seal = NULL", [])  # as recorded before seals existed: only anchors guard it
    anchor = audit_anchor_hourly.call_local()
    head = AuditEvent.objects.order_by("-id").first()
    assert anchor == head.pk
    call_command("verify_audit")
    assert f"{AuditEvent.objects.count()} events verified, 1 anchor(s) agree" in capsys.readouterr().out

    _rewrite_from(AuditEvent.objects.order_by("id")[1], '{"n": 42}')
    with pytest.raises(CommandError) as rewritten:
        call_command("verify_audit")
    assert "the chain was rewritten" in str(rewritten.value) and rewritten.value.returncode == 1

    _tamper("DELETE FROM core_auditevent WHERE id = %s", [head.pk])  # the newest event, so the chain still links
    with pytest.raises(CommandError) as cut:
        call_command("verify_audit")
    assert f"event #{head.pk}" in str(cut.value) and "cut short" in str(cut.value)


def test_an_altered_anchor_is_reported(manager, settings):
    audit_record(actor=manager, action="test.x")
    anchor_write()
    path = settings.FUWU_AUDIT_ANCHOR_DIR / "audit-anchors.jsonl"
    fields = json.loads(path.read_text())
    path.write_text(json.dumps({**fields, "count": fields["count"] + 1}) + "\n")
    agreed, problems = anchors_check()
    assert agreed == 0 and [p.reason for p in problems] == ["its signature does not match (the anchor was altered)"]


def test_anchors_are_e_mailed_off_the_machine_when_asked(manager, settings):
    settings.FUWU_AUDIT_ANCHOR_EMAILS = ["audit@example.com", "gm@example.com"]
    audit_record(actor=manager, action="test.x")
    anchor = anchor_write()
    again = anchor_write()  # the same head: the same anchor is not mailed twice
    assert again.event_id == anchor.event_id
    sent = OutboxMessage.objects.filter(email__in=settings.FUWU_AUDIT_ANCHOR_EMAILS)
    assert sorted(sent.values_list("email", flat=True)) == ["audit@example.com", "gm@example.com"]
    line = (settings.FUWU_AUDIT_ANCHOR_DIR / "audit-anchors.jsonl").read_text().splitlines()[0]
    assert {m.body for m in sent} == {line}
    assert f"event #{anchor.event_id}" in sent[0].subject
