"""`seed_tickets_fast`: the simulated year appended to the database in one transaction.

The parent reads what the simulation needs (`world`), draws the year's arrivals, numbers the
requests and cuts them into chunks; the chunks are simulated and encoded by worker processes
(`pool`) and come back in order. The parent writes their rows (`writer`) and appends their events
to the audit chain (`Chain`), in time order, after the events already recorded, under the chain's
lock. On PostgreSQL the loaded tables' secondary indexes and foreign keys are set aside during the
load and put back (and so checked) at the end, in the same transaction.
"""

import sys
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from hashlib import sha256
from hmac import digest as hmac_digest
from struct import Struct

from django.conf import settings
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from fuwu.core.audit import GENESIS_HASH, compute_hash, normalise_payload, seal
from fuwu.core.models import AuditEvent
from fuwu.tickets.bulkload.encoding import OBJECT_TYPE, WRITTEN, Encoding, encode_events, make_encoding
from fuwu.tickets.bulkload.instants import from_us, json_instant, to_us
from fuwu.tickets.bulkload.pool import Chunks, Task, default_processes
from fuwu.tickets.bulkload.records import TicketRecord
from fuwu.tickets.bulkload.world import load_world
from fuwu.tickets.bulkload.writer import Writer
from fuwu.tickets.demo_script import arrivals
from fuwu.tickets.models import Entry, Handover, RepeatContact, SlaClock, Ticket, TicketNumberSequence
from fuwu.tickets.workflow.states import Event

CHUNK = 10_000  # requests simulated, encoded and written together (part of the seed: changing it changes the data)
_CHAIN_PART = Struct(">iqi")  # the id's length and value, the previous hash's length (binary COPY)
_HASH_LENGTH = (64).to_bytes(4, "big")


def _set_aside_constraints(written: list[type[models.Model]]) -> list[str]:
    """PostgreSQL: drop the secondary indexes, unique and foreign-key constraints of the tables about to be
    loaded, in this transaction; returns the statements that put them back, to run after the load.

    What `pg_restore` does: a million rows load far faster without maintaining a dozen indexes row by
    row and queueing a deferred foreign-key check per row; putting a constraint back checks every row
    at once (a failing check rolls the whole load back). Primary keys and CHECK constraints stay.
    The index builds may use parallel workers (two: on two cores, 0 took 123 s at a million requests,
    1, 2 or 4 about 75 s); more memory than 512 MB made no difference there, but costs nothing.
    """
    tables = [m._meta.db_table for m in written]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks what this transaction wrote so far, so it can ALTER
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') ORDER BY contype = 'u', conname",
            [tables])
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            [tables])
        indexes = cursor.fetchall()
        for table, name, _kind, _definition in constraints:  # foreign keys first, then unique constraints
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    restore = [definition for _name, definition in indexes]
    restore += [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                for table, name, _kind, definition in reversed(constraints)]  # unique ones before the keys using them
    return [*restore, "SET CONSTRAINTS ALL DEFERRED"]  # Django's foreign keys are deferred: as before


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1


def _chain_head() -> tuple[str, int]:
    """Lock the audit chain (as `audit_record` does) and return its head hash and the next id."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x46555755])
    head = AuditEvent.objects.order_by("-id").values_list("hash", "id").first()
    return (head[0], head[1] + 1) if head else (GENESIS_HASH, 1)


class Chain:
    """The audit chain's tail: the chunks' events merged in time order, then numbered, hashed and sealed one after
    another (as `fuwu.core.audit` does, checked by `_check_hash`)."""

    def __init__(self, encoding: Encoding):
        self.encoding = encoding
        self.key = settings.FUWU_AUDIT_KEY.encode()
        head, self.next_event = _chain_head()
        self.head = head.encode()
        self.pending: list[tuple] = []  # (order key, hashed text after the previous hash, row but the chain's part)

    def add(self, events: list[tuple]) -> None:
        self.pending += events
        self.pending.sort()  # two sorted runs: merged in one pass

    def take(self, until: int | None) -> object | None:
        """The events before `until` (all when None), as the audit table's rows, encoded; None if there are none."""
        pending = self.pending
        cut = len(pending) if until is None else bisect_left(pending, (until << 40,))
        ready, self.pending = pending[:cut], pending[cut:]
        if not ready:
            return None
        prev, event_id, encoding, key = self.head, self.next_event, self.encoding, self.key
        if encoding.vendor == "postgresql":
            pack, length, extra = _CHAIN_PART.pack, _HASH_LENGTH, encoding.audit_extra
            rows = [encoding.SIGNATURE]
            for _key, body, middle in ready:
                digest = sha256(b'["' + prev + body).hexdigest().encode()
                sealed = hmac_digest(key, digest, "sha256").hex().encode()
                rows.append(middle + pack(8, event_id, len(prev)) + prev + length + digest + length + sealed + extra)
                prev = digest
                event_id += 1
            rows.append(encoding.TRAILER)
            data: object = b"".join(rows)
        else:
            extra = encoding.extras["audit"]
            data = []
            for _key, body, middle in ready:
                digest = sha256(b'["' + prev + body).hexdigest().encode()
                data.append((*middle, event_id, prev.decode(), digest.decode(),
                             hmac_digest(key, digest, "sha256").hex(), *extra))
                prev = digest
                event_id += 1
        self.head, self.next_event = prev, event_id
        return data


class _Numbers:
    """FW-<year>-NNNNNN in registration order, per local year of the time received, after those already given."""

    def __init__(self, now: int):
        self.last: dict[int, int] = dict(TicketNumberSequence.objects.values_list("year", "last"))
        self.zone = timezone.get_current_timezone()
        first = from_us(now).astimezone(self.zone).year - 2
        self.first = first
        self.starts = [to_us(datetime(y, 1, 1, tzinfo=self.zone)) for y in range(first, first + 4)]

    def next(self, received: int) -> str:
        index = bisect_right(self.starts, received) - 1
        year = self.first + index if 0 <= index < len(self.starts) - 1 else from_us(received).astimezone(
            self.zone).year
        last = self.last[year] = self.last.get(year, 0) + 1
        return f"FW-{year}-{last:06d}"


def _check_hash(encoding: Encoding) -> None:
    """The chain is hashed here as `fuwu.core.audit.compute_hash` does, but faster: make sure it still agrees."""
    us = 830_000_000_123_456
    payload = {"to": "closed", "automatic": True, "n": 1, "note": 'a "quoted" \\ note', "at": json_instant(us),
               "list": [1, None]}
    encoder = DjangoJSONEncoder()
    if json_instant(us) != encoder.default(from_us(us)) or json_instant(us - 123_456) != (
            encoder.default(from_us(us - 123_456))):
        raise RuntimeError("fuwu.tickets.bulkload formats instants differently from DjangoJSONEncoder: update it.")
    ticket = TicketRecord(id=42, number="FW-2026-000042", received=us, registered=us, title="空调")
    [(_key, body, _row)] = encode_events([(us, 42, 1, str(Event.MOVED), 7, dict(payload), ticket, None)], {}, encoding,
                                         {7: "王小明"}, "")
    ours = sha256(b'["' + b"ab" * 32 + body).hexdigest()
    theirs = compute_hash(prev_hash="ab" * 32, occurred_at=from_us(us), actor_id=7, actor_name="王小明",
                          action=Event.MOVED.value, object_type=OBJECT_TYPE, object_id="42",
                          object_repr="FW-2026-000042 空调", payload=normalise_payload(payload), request_id="",
                          supersedes_id=None)
    if ours != theirs:
        raise RuntimeError("fuwu.tickets.bulkload hashes audit events differently from fuwu.core.audit: update it.")
    if hmac_digest(settings.FUWU_AUDIT_KEY.encode(), ours.encode(), "sha256").hex() != seal(theirs):
        raise RuntimeError("fuwu.tickets.bulkload seals audit events differently from fuwu.core.audit: update it.")


class _Seeder:
    def __init__(self, *, seed: int, now: datetime, processes: int | None):
        self.seed, self.now, self.processes = seed, now, processes
        self.statuses: Counter = Counter()
        self.rows: Counter = Counter()
        self.timings: dict[str, float] = {}

    def run(self, count: int, progress: Callable[[int, int], None] | None) -> int:
        started = time.perf_counter()
        world = load_world(seed=self.seed, now=self.now)
        encoding = make_encoding()
        _check_hash(encoding)
        chain = Chain(encoding)
        found = arrivals(world.seed, count, world.now, timezone.get_current_timezone())
        numbers = _Numbers(world.now)
        first_ticket = _next_id(Ticket)
        tasks = [Task(index, [(start + n, first_ticket + start + n, numbers.next(received), registered, received)
                              for n, (registered, received) in enumerate(found[start:start + CHUNK])])
                 for index, start in enumerate(range(0, count, CHUNK))]
        untils = [found[start][0] for start in range(CHUNK, count, CHUNK)] + [None]  # the next chunk's first
        first_ids = {"clock": _next_id(SlaClock), "handover": _next_id(Handover), "repeat": _next_id(RepeatContact),
                     "entry": _next_id(Entry)}
        rebuild = _set_aside_constraints(WRITTEN) if connection.vendor == "postgresql" else []
        self.processes = default_processes(len(tasks)) if self.processes is None else self.processes
        self.timings["prepare"] = time.perf_counter() - started
        sys.stdout.flush()
        sys.stderr.flush()  # the workers are forked: nothing buffered may be written twice
        chunks = Chunks(world, encoding, tasks, first_ids, self.processes)
        writer = Writer()
        tables, done = encoding.tables, 0
        try:
            for task, chunk, until in zip(tasks, chunks, untils, strict=True):
                for name, data in chunk.tables.items():
                    writer.write(tables[name], data)
                chain.add(chunk.events)
                audit = chain.take(until)
                if audit is not None:
                    writer.write(tables["audit"], audit)
                self.statuses += chunk.statuses
                self.rows += chunk.rows
                done += len(task.tickets)
                if progress is not None:
                    progress(done, count)
        except BaseException:
            writer.abandon()
            raise
        finally:
            chunks.close()
        writer.close()
        loaded = time.perf_counter()
        self.timings["load"] = loaded - started
        with connection.cursor() as cursor:
            for sql in rebuild:
                cursor.execute(sql)
        self.timings["rebuild"] = time.perf_counter() - loaded
        self._finish(numbers)
        return done

    def _finish(self, numbers: _Numbers) -> None:
        """Sequences past the ids given here; the per-year ticket numbers; fresh planner statistics."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), WRITTEN):
                cursor.execute(sql)
        for year, last in numbers.last.items():
            TicketNumberSequence.objects.update_or_create(year=year, defaults={"last": last})
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in WRITTEN:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def seed_tickets_fast(*, seed: int, count: int, log: Callable[[str], None] | None = None,
                      progress: Callable[[int, int], None] | None = None, now: datetime | None = None,
                      processes: int | None = None) -> int:
    """Write `count` demo requests with their year of history straight to the database; returns how many.

    `now`: the end of the simulated year (default: now). `processes`: simulation workers (default: one
    per core; 0 simulates here). The data depends on the seed, `now` and the database's prior content,
    never on the number of processes.
    """
    if count <= 0:
        return 0
    started = time.perf_counter()
    with transaction.atomic():
        seeder = _Seeder(seed=seed, now=now or timezone.now(), processes=processes)
        made = seeder.run(count, progress)
    seconds = time.perf_counter() - started
    if log is not None:
        summary = ", ".join(f"{status} {n}" for status, n in sorted(seeder.statuses.items()))
        rows = ", ".join(f"{n:,} {name}" for name, n in seeder.rows.items())
        timings = seeder.timings
        log(f"{made} service requests in {seconds:.1f} s ({made / seconds:,.0f} per second, fast path, "
            f"{seeder.processes} worker processes; {timings['load']:.1f} s to simulate and load, "
            f"{timings['rebuild']:.1f} s to put back indexes and keys, the rest for statistics and commit): "
            f"{summary}. Rows: {rows}.")
    return made
