"""Writing and verifying the audit chain (R4.9).

`audit_record` is called by actions inside their transaction. It serialises writers (a
transaction-scoped advisory lock on PostgreSQL; SQLite's IMMEDIATE transactions already do) so
that each event's `prev_hash` is the hash of the event inserted just before it.

Each event is also sealed: its `seal` is an HMAC of its hash under `FUWU_AUDIT_KEY`, a key kept
outside the database. The chain alone can be recomputed by anyone who can write to the database;
the seals cannot be, without the key (docs/operations.md, "The audit record").
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from fuwu.core.bulk import insert_rows
from fuwu.core.models import AuditEvent
from fuwu.core.request_context import current_request_id

GENESIS_HASH = "0" * 64
_AUDIT_LOCK_KEY = 0x46555755  # "FUWU"


def actor_display_name(actor) -> str:
    if actor is None:
        return "system"
    return (actor.get_full_name() or actor.get_username())[:150]


def normalise_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON form the database will give back, so the hash survives a round trip."""
    return json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder))


def compute_hash(
    *,
    prev_hash: str,
    occurred_at: datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    payload: dict[str, Any],
    request_id: str,
    supersedes_id: int | None,
) -> str:
    canonical = json.dumps(
        [
            prev_hash,
            occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor_id,
            actor_name,
            action,
            object_type,
            object_id,
            object_repr,
            payload,
            request_id,
            supersedes_id,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def seal(event_hash: str) -> str:
    """The event's seal: its hash signed with the audit key, which the database does not hold."""
    return hmac.new(settings.FUWU_AUDIT_KEY.encode(), event_hash.encode(), hashlib.sha256).hexdigest()


def _event_hash(event: AuditEvent) -> str:
    return compute_hash(
        prev_hash=event.prev_hash,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        object_repr=event.object_repr,
        payload=event.payload,
        request_id=event.request_id,
        supersedes_id=event.supersedes_id,
    )


def _lock_chain_and_get_head() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_AUDIT_LOCK_KEY])
    head = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    return head or GENESIS_HASH


@dataclass(frozen=True)
class PendingEvent:
    """One event for `audit_record_many` (bulk paths such as imports and demo data)."""

    actor: Any
    action: str
    obj: models.Model | None = None
    payload: dict[str, Any] | None = None
    occurred_at: datetime | None = None
    supersedes: AuditEvent | None = None


def _event_row(prev_hash: str, pending: PendingEvent, now: datetime, request_id: str) -> dict[str, Any]:
    """The column values of one event, its hash included (by attribute name: `actor_id`)."""
    obj = pending.obj
    row: dict[str, Any] = {
        "prev_hash": prev_hash,
        "occurred_at": pending.occurred_at or now,
        "actor_id": pending.actor.pk if pending.actor is not None else None,
        "actor_name": actor_display_name(pending.actor),
        "action": pending.action,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "object_repr": str(obj)[:200] if obj is not None else "",
        "payload": normalise_payload(pending.payload),
        "request_id": request_id,
        "supersedes_id": pending.supersedes.pk if pending.supersedes is not None else None,
    }
    row["hash"] = compute_hash(**row)
    row["seal"] = seal(row["hash"])
    return row


def _build(prev_hash: str, pending: PendingEvent, now: datetime, request_id: str) -> AuditEvent:
    event = AuditEvent(**_event_row(prev_hash, pending, now, request_id))
    if pending.actor is not None:
        event.actor = pending.actor
    if pending.supersedes is not None:
        event.supersedes = pending.supersedes
    return event


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    payload: dict[str, Any] | None = None,
    supersedes: AuditEvent | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    Call it last in an action: the chain lock is held from here until the commit.
    """
    with transaction.atomic(savepoint=False):  # no savepoint round trips: a failure fails the action
        prev_hash = _lock_chain_and_get_head()
        event = _build(
            prev_hash,
            PendingEvent(actor=actor, action=action, obj=obj, payload=payload, supersedes=supersedes),
            timezone.now(),
            current_request_id.get(),
        )
        event.save()
    return event


def audit_record_many(events: Iterable[PendingEvent], *, batch_size: int = 2000) -> int:
    """Append many events in order with one lock and bulk inserts; returns how many."""
    count = 0
    with transaction.atomic():
        prev_hash = _lock_chain_and_get_head()
        now = timezone.now()
        request_id = current_request_id.get()
        batch: list[dict[str, Any]] = []
        for pending in events:
            row = _event_row(prev_hash, pending, now, request_id)
            prev_hash = row["hash"]
            batch.append(row)
            if len(batch) >= batch_size:
                insert_rows(AuditEvent, batch)
                count += len(batch)
                batch = []
        if batch:
            insert_rows(AuditEvent, batch)
            count += len(batch)
    return count


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str
    intact: int  # events before the break that verified


def verify_chain(*, chunk_size: int = 5000) -> Iterator[int | ChainBreak]:
    """Walk the chain in id order; yields a running count, and a ChainBreak at the first bad link.

    Events recorded before seals existed have none; from the first sealed event on, every event
    must carry a seal made with the audit key.
    """
    expected_prev = GENESIS_HASH
    last_id = 0
    checked = 0
    sealed_from: int | None = None
    while True:
        chunk = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:chunk_size])
        if not chunk:
            return
        for event in chunk:
            if event.prev_hash != expected_prev:
                yield ChainBreak(event.pk, "previous hash does not match the event before it", checked)
                return
            if _event_hash(event) != event.hash:
                yield ChainBreak(event.pk, "content does not match its hash", checked)
                return
            if event.seal:
                if not hmac.compare_digest(event.seal, seal(event.hash)):
                    yield ChainBreak(event.pk, "its seal does not match: it was written or rewritten without "
                                               "the audit key", checked)
                    return
                sealed_from = sealed_from or event.pk
            elif sealed_from is not None:
                yield ChainBreak(event.pk, f"it has no seal, though the events from #{sealed_from} on have one",
                                 checked)
                return
            expected_prev = event.hash
            last_id = event.pk
            checked += 1
        yield checked
