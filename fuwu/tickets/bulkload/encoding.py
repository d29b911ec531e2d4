"""Simulated requests as rows: the row layouts, and their encoding for PostgreSQL's COPY or for SQLite.

A chunk is encoded where it was simulated (a worker process), once its ids are known: each table's
rows as one block of binary COPY data, or as tuples for SQLite; and its audit events in time
order, each with the text its hash covers and its row, but for the chain's own columns (id,
previous hash, hash), which only the parent can add, in order (`seeder.Chain`).

On PostgreSQL the rows are formatted by psycopg's own COPY row formatter, on plain values only: an
instant is sent as an int8, since a binary `timestamptz` is the same eight bytes (microseconds
since 2000-01-01, our epoch), and a JSON value as text behind jsonb's version byte. No Python
dumper is called per value.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, models

from fuwu.core.models import AuditEvent
from fuwu.tickets.bulkload.instants import EPOCH_NAIVE, canonical, iso_utc, to_us
from fuwu.tickets.bulkload.records import TicketRecord
from fuwu.tickets.models import Entry, Handover, RepeatContact, SlaClock, SlaClockPause, SlaEscalation, Ticket
from fuwu.tickets.workflow.clocks import queue_columns

OBJECT_TYPE = Ticket._meta.label_lower

# Row layouts: attribute names, in the order `encode_chunk` builds the tuples.
LAYOUTS: dict[str, tuple[type[models.Model], list[str]]] = {
    "ticket": (Ticket, [
        "id", "number", "service_type_id", "kind", "title", "description", "customer_id", "contact_name",
        "contact_phone", "site_address", "region_id", "channel", "received_at", "occurred_since", "registered_at",
        "is_retroactive", "priority", "status", "tier", "remote_authorised", "is_major", "first_responsible_id",
        "owner_id", "group_id", "resolution", "resolved_at", "closed_at", "repeat_contacts", "has_pending_handover",
        "onsite_arrived_at", "sla_due_at", "sla_state", "version", "updated_at"]),
    "handover": (Handover, [
        "id", "ticket_id", "from_user_id", "to_group_id", "to_user_id", "note", "state", "created_at",
        "decided_by_id", "decided_at", "decline_reason"]),
    "repeat": (RepeatContact, ["id", "ticket_id", "channel", "received_at", "taken_by_id", "note"]),
    "entry": (Entry, ["id", "ticket_id", "kind", "author_id", "body", "created_at", "supersedes_id"]),
    "clock": (SlaClock, [
        "id", "ticket_id", "kind", "target_id", "calendar_id", "handover_id", "target_seconds", "state",
        "started_at", "running_since", "consumed_seconds", "due_at", "warn_at", "met_at", "breached_at",
        "warned_at", "escalation_level", "next_escalation_at", "missing_years"]),
    "pause": (SlaClockPause, ["clock_id", "started_at", "ended_at", "reason"]),
    "escalation": (SlaEscalation, ["clock_id", "level", "at", "recipients"]),
    # The chain's columns last: the parent appends them to what the worker encoded.
    "audit": (AuditEvent, [
        "occurred_at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_repr", "payload",
        "request_id", "supersedes_id", "id", "prev_hash", "hash", "seal"]),
}
CHAIN_COLUMNS = 4  # id, prev_hash, hash, seal
WRITTEN = [model for model, _layout in LAYOUTS.values()]


def _column_kind(f: models.Field) -> str:
    if isinstance(f, models.DateTimeField):
        return "t"
    if isinstance(f, models.JSONField):
        return "j"
    return "v"


class Table:
    """One model's columns in the order of `given`, then its other concrete fields.

    Those other fields (added later, not known here) are filled with their default; a field
    without one stops the load with a clear error.
    """

    def __init__(self, name: str, model: type[models.Model], given: list[str]):
        self.name, self.model = name, model
        fields = {f.attname: f for f in model._meta.concrete_fields if not f.generated and not (
            f.primary_key and f.attname not in given)}  # a primary key not given is the database's
        unknown = set(given) - set(fields)
        if unknown:
            raise TypeError(f"{model.__name__} has no field(s) {', '.join(sorted(unknown))}.")
        extra, extra_names = [], []
        for attname, f in fields.items():
            if attname in given:
                continue
            if not (f.has_default() or f.null or (f.blank and f.empty_strings_allowed)):
                raise TypeError(f"{model.__name__}.{attname} has no default: the fast demo path must be taught it.")
            extra_names.append(attname)
            value = f.get_default()
            extra.append(to_us(value) if isinstance(value, datetime) else value)
        self.extra = tuple(extra)  # instants as microseconds, JSON values as Python values
        self.attnames = [*given, *extra_names]
        self.columns = [fields[n].column for n in self.attnames]
        self.kinds = [_column_kind(fields[n]) for n in self.attnames]


def _sqlite_instant(us: int | None) -> str | None:
    """Django's SQLite form of an aware datetime: naive UTC text."""
    return None if us is None else (EPOCH_NAIVE + timedelta(microseconds=us)).isoformat(sep=" ")


class Encoding:
    """How rows reach the database; made in the parent (it reads the column types), used in the workers."""

    vendor = ""
    json_prefix = ""

    def __init__(self, layouts: dict[str, tuple[type[models.Model], list[str]]] | None = None) -> None:
        # Another app's bulk step passes its own layouts (with "audit" among them, for `seeder.Chain`).
        self.layouts = LAYOUTS if layouts is None else layouts
        self.tables = {name: Table(name, model, layout) for name, (model, layout) in self.layouts.items()}
        # Per table: its extra columns' values as sent (after the given ones; in the audit table, after the chain's).
        self.extras = {name: tuple(self._sent(v, k) for v, k in zip(
            table.extra, table.kinds[len(table.kinds) - len(table.extra):], strict=True))
            for name, table in self.tables.items()}

    def json(self, value: Any) -> str:
        return self.json_prefix + canonical(value)

    def _sent(self, value: Any, kind: str) -> Any:
        if kind == "j" and value is not None:
            return self.json_prefix + (value if isinstance(value, str) else canonical(value))
        return value

    def rows(self, table: Table, rows: list[tuple]) -> Any:
        raise NotImplementedError

    def event(self, values: tuple) -> Any:
        """An audit row up to the chain's columns."""
        raise NotImplementedError


class PgEncoding(Encoding):
    vendor = "postgresql"
    json_prefix = "\x01"  # jsonb's binary form: a version byte, then the text

    SIGNATURE = b"PGCOPY\n\xff\r\n\0" + bytes(8)  # the binary COPY header: signature, flags, no extension
    TRAILER = b"\xff\xff"

    def __init__(self, layouts: dict[str, tuple[type[models.Model], list[str]]] | None = None) -> None:
        from psycopg import postgres
        from psycopg._copy_base import format_row_binary  # what `Copy.write_row` calls
        from psycopg.adapt import Transformer
        from psycopg.pq import Format

        super().__init__(layouts)
        self.format_row = format_row_binary
        names = [t.model._meta.db_table for t in self.tables.values()]
        with connection.cursor() as cursor:
            cursor.execute("SELECT attrelid::regclass::text, attname, atttypid::int FROM pg_attribute "
                           "WHERE attrelid = ANY(%s::regclass[]) AND attnum > 0 AND NOT attisdropped", [names])
            oids = {(table, column): oid for table, column, oid in cursor.fetchall()}
        sent_as = {postgres.types["timestamptz"].oid: postgres.types["int8"].oid,
                   postgres.types["jsonb"].oid: postgres.types["text"].oid}

        def transformer(types: list[int]) -> Any:
            tx = Transformer()
            tx.set_dumper_types(types, Format.BINARY)
            return tx

        self.transformers: dict[str, Any] = {}
        for table in self.tables.values():
            types = [sent_as.get(oid, oid) for oid in (oids[(table.model._meta.db_table, c)] for c in table.columns)]
            given = len(self.layouts[table.name][1])
            if table.name == "audit":  # the worker's part; the parent adds the chain's part and the extra columns
                self.transformers["audit"] = transformer(types[:given - CHAIN_COLUMNS])
                self.audit_fields = len(types).to_bytes(2, "big")
                extra = bytearray()
                if table.extra:
                    self.format_row(self.extras["audit"], transformer(types[given:]), extra)
                self.audit_extra = bytes(extra[2:])  # without the field count
            else:
                self.transformers[table.name] = transformer(types)

    def rows(self, table: Table, rows: list[tuple]) -> bytes:
        """One block of COPY data: header, rows, trailer."""
        out = bytearray(self.SIGNATURE)
        format_row, tx, extra = self.format_row, self.transformers[table.name], self.extras[table.name]
        for row in rows:
            format_row(row + extra if extra else row, tx, out)
        out += self.TRAILER
        return bytes(out)

    def event(self, values: tuple) -> bytes:
        out = bytearray()
        self.format_row(values, self.transformers["audit"], out)
        out[:2] = self.audit_fields  # the whole row's field count
        return bytes(out)


class SqliteEncoding(Encoding):
    vendor = "sqlite"

    def _sent(self, value: Any, kind: str) -> Any:
        return _sqlite_instant(value) if kind == "t" else super()._sent(value, kind)

    def rows(self, table: Table, rows: list[tuple]) -> list[list]:
        extra = self.extras[table.name]
        instants = [i for i, k in enumerate(table.kinds[:len(self.layouts[table.name][1])]) if k == "t"]
        prepared = []
        for row in rows:
            values = list(row)
            for i in instants:
                values[i] = _sqlite_instant(values[i])
            values.extend(extra)
            prepared.append(values)
        return prepared

    def event(self, values: tuple) -> tuple:
        return (_sqlite_instant(values[0]), *values[1:])


def make_encoding(layouts: dict[str, tuple[type[models.Model], list[str]]] | None = None) -> Encoding:
    """The encoding for this database, of the requests' tables or of `layouts`."""
    return PgEncoding(layouts) if connection.vendor == "postgresql" else SqliteEncoding(layouts)


@dataclass
class EncodedChunk:
    tables: dict[str, Any]  # table name: its rows, encoded
    events: list[tuple]  # (order key, hashed text after the previous hash, row but the chain's part), in order
    statuses: Counter
    rows: Counter  # rows per model name


def event_key(at: int, ticket_id: int, step: int) -> int:
    """Time, then request, then step: the order of the chain (unique, so an int compares faster than a tuple)."""
    return (at << 40) | (ticket_id << 8) | step


def encode_chunk(tickets: list[TicketRecord], events: list[tuple], statuses: Counter, *, offsets: dict[str, int],
                 encoding: Encoding, names: dict[int | None, str], request_id: str) -> EncodedChunk:
    """The chunk's rows and events with their ids moved into place by `offsets` (per table)."""
    oc, oh, orp, oe = offsets["clock"], offsets["handover"], offsets["repeat"], offsets["entry"]
    json = encoding.json
    rows: dict[str, list[tuple]] = {name: [] for name in LAYOUTS if name != "audit"}
    ticket_rows, handover_rows, repeat_rows = rows["ticket"], rows["handover"], rows["repeat"]
    entry_rows = rows["entry"]
    clock_rows, pause_rows, escalation_rows = rows["clock"], rows["pause"], rows["escalation"]
    for t in tickets:
        if t.step > 255 or t.id >= 1 << 32:
            raise ValueError(f"{t.number}: too many steps or too large an id for `event_key`.")
        due, sla_state = queue_columns(t.clocks)
        service_type = t.service_type
        ticket_rows.append((
            t.id, t.number, service_type.pk, service_type.kind, t.title[:200], t.description, t.customer_id,
            t.contact_name, t.contact_phone, t.site_address, t.region_id, t.channel, t.received, t.occurred_since,
            t.registered, t.is_retroactive, t.priority, str(t.status), str(t.tier), t.remote_authorised, t.is_major,
            t.first_responsible, t.owner, t.group_id, t.resolution, t.resolved_at, t.closed_at, t.repeat_contacts,
            t.has_pending_handover, t.onsite_arrived_at, due, str(sla_state), t.version, t.updated_at,
        ))
        for h in t.handovers:
            handover_rows.append((h.id + oh, h.ticket_id, h.from_user, h.to_group, h.to_user, h.note, str(h.state),
                                  h.created_at, h.decided_by, h.decided_at, h.decline_reason))
        for repeat_id, ticket_id, channel, at, actor, note in t.repeats:
            repeat_rows.append((repeat_id + orp, ticket_id, channel, at, actor, note))
        for entry_id, ticket_id, kind, author, body, at, supersedes in t.entries:
            entry_rows.append((entry_id + oe, ticket_id, kind, author, body, at, supersedes))
        for c in t.clocks:
            clock_id = c.id + oc
            clock_rows.append((
                clock_id, t.id, c.kind, c.target.id, c.target.calendar_id, c.handover.id + oh if c.handover else None,
                c.target_seconds, str(c.state), c.started_at, c.running_since, c.consumed, c.due_at, c.warn_at,
                c.met_at, c.breached_at, c.warned_at, c.escalation_level, c.next_escalation_at, json(c.missing_years),
            ))
            for started, ended, reason in c.pauses:
                pause_rows.append((clock_id, started, ended, reason))
        for clock_id, level, at, recipients in t.escalations:
            escalation_rows.append((clock_id + oc, level, at, json(recipients)))
    tables = encoding.tables
    encoded = {name: encoding.rows(tables[name], found) for name, found in rows.items() if found}
    counts = Counter({tables[name].model.__name__: len(found) for name, found in rows.items() if found})
    counts["AuditEvent"] = len(events)
    return EncodedChunk(encoded, encode_events(events, offsets, encoding, names, request_id), statuses, counts)


def encode_events(events: list[tuple], offsets: dict[str, int], encoding: Encoding, names: dict[int | None, str],
                   request_id: str) -> list[tuple]:
    """Each event as (order key, the hashed text after the previous hash, its row but for the chain's columns).

    The hash covers `["prev", "occurred_at", actor, "actor name", "action", "object type", "object id",
    "object repr", payload, "request id", supersedes]` in canonical JSON (`fuwu.core.audit`): each
    element is encoded alone, the parts that repeat (actor, action, request) once.
    """
    actors = {actor: canonical(actor) + "," + canonical(name) + "," for actor, name in names.items()}
    actions: dict[str, str] = {}
    tail = "," + canonical(request_id) + ",null]"
    json_prefix, event = encoding.json_prefix, encoding.event
    encoded = []
    t = None
    for at, ticket_id, step, action, actor, payload, ticket, local in events:
        if local is not None:
            payload[local[0]] += offsets[local[1]]
        if ticket is not t:
            t = ticket
            object_id = str(ticket_id)
            object_repr = f"{t.number} {t.title}"[:200]
            ticket_part = canonical(object_id) + "," + canonical(object_repr) + ","
        action_part = actions.get(action)
        if action_part is None:
            action_part = actions[action] = canonical(action) + "," + canonical(OBJECT_TYPE) + ","
        payload_json = canonical(payload)  # once: for the hash and, as it is, for the column
        body = '","' + iso_utc(at) + '",' + actors[actor] + action_part + ticket_part + payload_json + tail
        encoded.append((event_key(at, ticket_id, step), body.encode(), event((
            at, actor, names[actor], action, OBJECT_TYPE, object_id, object_repr, json_prefix + payload_json,
            request_id, None))))
    encoded.sort()
    return encoded
