"""Demo service requests at scale (`manage.py seed_demo --tickets 1000000 --fast`): a year in minutes.

`fuwu.tickets.demo` lives each request through the actions, which is right for a demo of a few
thousand and far too slow for a million (a few hundred requests a second). This module simulates
the same year (the same branches and waits as `DemoTicketGenerator.life`) and writes the rows the
actions would have written, directly: binary COPY on PostgreSQL (psycopg's `cursor.copy`), large
multi-row inserts on SQLite.

What it writes for each request, as the actions do:

- the ticket row in its final state (status, owner, group, tier, version, times, arrival on
  site, `sla_due_at` / `sla_state` as `fuwu.tickets.clocks.refresh_ticket` leaves them), numbered
  FW-<year>-NNNNNN in registration order;
- its hand-overs (accepted or declined, with the reason), repeat contacts and follow-up entries;
- its SLA clocks as `fuwu.tickets.clocks` drives them (first response, hand-over acceptance,
  on-site arrival, resolution, follow-up; R10.4, R4.4, R3.3) under the targets
  `fuwu.standards.sla.targets_for` picks, with due and warning instants from the calendars'
  business clocks, pauses while waiting for the customer, met / stopped / breached consistent
  with the times; and what the minute-by-minute breach watch would have done to them (warnings,
  breaches, escalations: `SlaEscalation` rows and their events);
- its audit events with the actions' payloads, appended to the hash chain in time order after
  the events already recorded, under the chain lock, so `manage.py verify_audit` passes.

What it does not write: outbox rows and notifications (delivery state of the past, not the
record). Customers and staff are made before, through their actions. Deterministic for a seed.
Fields the simulation does not know (added later) get their model default; a field without one
stops it with a clear error. On PostgreSQL, the loaded tables' secondary indexes and foreign keys
are set aside during the load and put back (and so checked) at the end, in the same transaction.
"""

from __future__ import annotations

import itertools
import json
import queue
import random
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from typing import Any

from django.conf import settings
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import GENESIS_HASH, actor_display_name, compute_hash, normalise_payload
from fuwu.core.models import AuditEvent
from fuwu.core.request_context import current_request_id
from fuwu.customers.models import Address, Contact, Customer
from fuwu.org.models import Group, Profile, Region
from fuwu.org.roles import Role
from fuwu.standards.businesstime import BusinessClock
from fuwu.standards.calendars import business_clock
from fuwu.standards.models import ClockKind, Priority, ServiceType, SlaTarget
from fuwu.standards.sla import Facts, targets_for
from fuwu.tickets.actions.conversation import sanitise
from fuwu.tickets.clocks import LIVE_CHANNELS
from fuwu.tickets.demo import (
    CANCEL_REASONS,
    CATALOGUE,
    CHANNELS,
    DECLINE_REASONS,
    FOLLOW_UP_NOTES,
    REOPEN_REASONS,
    REPEAT_NOTES,
    SINCE,
    _staff,
)
from fuwu.tickets.lifecycle import TIER_ORDER, Channel, Move, Status, Tier
from fuwu.tickets.models import (
    Entry,
    Handover,
    RepeatContact,
    SlaClock,
    SlaClockPause,
    SlaEscalation,
    Ticket,
    TicketNumberSequence,
)

US = 1_000_000  # microseconds per second: every instant here is an int of microseconds since the epoch
MINUTE, HOUR, DAY = 60 * US, 3600 * US, 86400 * US
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_NAIVE = datetime(1970, 1, 1)  # noqa: DTZ001 - naive UTC, for formatting only
_CODES = list(CATALOGUE)
_WEIGHTS = [CATALOGUE[c][0] for c in _CODES]
_CHANNEL_VALUES = [str(c) for c, _w in CHANNELS]
_CHANNEL_WEIGHTS = list(itertools.accumulate(w for _c, w in CHANNELS))
_CODE_WEIGHTS = list(itertools.accumulate(_WEIGHTS))
CHUNK = 20_000  # requests simulated, then written, at a time
OBJECT_TYPE = Ticket._meta.label_lower


def to_us(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(microseconds=1)


def from_us(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


def _iso_utc(us: int) -> str:
    """`occurred_at.astimezone(UTC).isoformat(timespec="microseconds")`, as the audit hash has it."""
    return (_EPOCH_NAIVE + timedelta(microseconds=us)).isoformat(timespec="microseconds") + "+00:00"


_json_encoder = DjangoJSONEncoder()


def _json_instant(us: int) -> str:
    """`DjangoJSONEncoder().default(datetime in UTC)`: milliseconds, "Z" (checked in `_check_hash`)."""
    text = (_EPOCH_NAIVE + timedelta(microseconds=us)).isoformat()
    return (text[:23] if us % US else text) + "Z"


# --- Writing rows ------------------------------------------------------------------------------------------------


def _column_kind(f: models.Field) -> str:
    if isinstance(f, models.DateTimeField):
        return "t"
    if isinstance(f, models.JSONField):
        return "j"
    return "v"


class _Table:
    """The rows of one model, as tuples in the order of `given` (attribute names, id first).

    Other concrete fields of the model (added later, not known here) are filled with their default.
    Instants are ints of microseconds; a JSON column holds a Python value or its JSON text.
    """

    def __init__(self, model: type[models.Model], given: list[str]):
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields if not f.generated and not (
            f.primary_key and f.attname not in given)}  # a primary key not given is the database's
        unknown = set(given) - set(fields)
        if unknown:
            raise TypeError(f"{model.__name__} has no field(s) {', '.join(sorted(unknown))}.")
        extra, extra_names = [], []
        for name, f in fields.items():
            if name in given:
                continue
            if not (f.has_default() or f.null or (f.blank and f.empty_strings_allowed)):
                raise TypeError(f"{model.__name__}.{name} has no default: the fast demo path must be taught it.")
            extra_names.append(name)
            value = f.get_default()
            extra.append(to_us(value) if isinstance(value, datetime) else value)
        self.extra = tuple(extra)
        self.attnames = [*given, *extra_names]
        self.columns = [fields[n].column for n in self.attnames]
        self.kinds = [_column_kind(fields[n]) for n in self.attnames]
        self.rows: list[tuple] = []

    def add(self, row: tuple) -> None:
        self.rows.append(row + self.extra if self.extra else row)

    def take(self) -> list[tuple]:
        rows, self.rows = self.rows, []
        return rows


_canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
_PG_EPOCH_US = 946_684_800 * US  # PostgreSQL's binary timestamps count from 2000-01-01


def _pg_binary_dumpers(adapters) -> None:
    """COPY … (FORMAT BINARY) of our plain values: an instant as int microseconds, JSON as its text."""
    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    class Instant(Dumper):
        format = Format.BINARY
        oid = adapters.types["timestamptz"].oid

        def dump(self, obj: int) -> bytes:
            return struct.pack("!q", obj - _PG_EPOCH_US)

    class JsonText(Dumper):
        format = Format.BINARY
        oid = adapters.types["jsonb"].oid

        def dump(self, obj: Any) -> bytes:
            if isinstance(obj, str):  # already JSON text
                return b"\x01" + obj.encode()
            return b"\x01" + (_canonical(obj) if obj else "[]").encode()

    adapters.register_dumper(None, Instant)
    adapters.register_dumper(None, JsonText)


def _sqlite_instant(us: int | None) -> str | None:
    """Django's SQLite form of an aware datetime: naive UTC text."""
    return None if us is None else (_EPOCH_NAIVE + timedelta(microseconds=us)).isoformat(sep=" ")


def _sqlite_json(value: Any) -> str:
    return value if isinstance(value, str) else _canonical(value)


class _Writer:
    """Sends tables to the database in the caller's transaction: binary COPY on PostgreSQL, executemany on SQLite.

    On PostgreSQL the rows are sent by a thread (on the same connection and transaction), so that
    simulating the next chunk here and the server's work on this one overlap on two cores.
    """

    def __init__(self):
        self.vendor = connection.vendor
        self.sent: Counter = Counter()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._types: dict[str, list[int]] = {}
        if self.vendor == "postgresql":
            self._queue: queue.Queue = queue.Queue(maxsize=3)
            self._cursor = connection.connection.cursor()  # the psycopg cursor, used by the thread only
            _pg_binary_dumpers(self._cursor.adapters)
            self._thread = threading.Thread(target=self._send_loop, name="fast-seed-copy", daemon=True)
            self._thread.start()

    def _column_types(self, table: _Table) -> list[int]:
        name = table.model._meta.db_table
        if name not in self._types:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
                    [connection.ops.quote_name(name)])
                oids = dict(cursor.fetchall())
            self._types[name] = [oids[c] for c in table.columns]
        return self._types[name]

    def write(self, table: _Table) -> None:
        rows = table.take()
        if not rows:
            return
        self.sent[table.model.__name__] += len(rows)
        qn = connection.ops.quote_name
        name = qn(table.model._meta.db_table)
        columns = ", ".join(qn(c) for c in table.columns)
        if self.vendor == "postgresql":
            if self._error is not None:
                raise self._error
            statement = f"COPY {name} ({columns}) FROM STDIN (FORMAT BINARY)"
            self._queue.put((statement, self._column_types(table), rows))
            return
        convert = [(i, _sqlite_instant if k == "t" else _sqlite_json) for i, k in enumerate(table.kinds) if k != "v"]
        prepared = []
        for row in rows:
            row = list(row)
            for i, fn in convert:
                row[i] = fn(row[i])
            prepared.append(row)
        marks = ", ".join(["%s"] * len(table.columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {name} ({columns}) VALUES ({marks})", prepared)  # noqa: S608

    def _send_loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None:
                continue
            statement, types, rows = item
            try:
                with self._cursor.copy(statement) as copy:
                    copy.set_types(types)
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row)
            except BaseException as exc:  # reported to the producer at its next write, or at close
                self._error = exc

    def abandon(self) -> None:
        """Stop the sending thread after a failure elsewhere (the transaction is rolled back anyway)."""
        self._error = self._error or RuntimeError("abandoned")
        self.close(raise_error=False)

    def close(self, *, raise_error: bool = True) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
            self._cursor.close()
        if raise_error and self._error is not None:
            raise self._error


# --- The simulation -------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Handover:
    id: int
    ticket_id: int
    from_user: int
    to_group: int
    to_user: int | None
    note: str
    created_at: int
    state: str = Handover.State.PENDING
    decided_by: int | None = None
    decided_at: int | None = None
    decline_reason: str = ""

    def row(self) -> tuple:
        return (self.id, self.ticket_id, self.from_user, self.to_group, self.to_user, self.note, str(self.state),
                self.created_at, self.decided_by, self.decided_at, self.decline_reason)


@dataclass(slots=True)
class _Clock:
    """An SLA clock as `fuwu.tickets.clocks` keeps it (instants in microseconds)."""

    id: int
    kind: str
    target: SlaTarget
    handover: _Handover | None
    target_seconds: int
    started_at: int
    running_since: int | None
    state: str = SlaClock.State.RUNNING
    consumed: int = 0
    due_at: int | None = None
    warn_at: int | None = None
    met_at: int | None = None
    breached_at: int | None = None
    warned_at: int | None = None
    escalation_level: int = 0
    next_escalation_at: int | None = None
    missing_years: list = field(default_factory=list)
    pauses: list = field(default_factory=list)  # [started, ended or None, reason]
    first_watch: int = 0  # the watch's first run after the row existed

    def row(self, ticket_id: int) -> tuple:
        return (self.id, ticket_id, self.kind, self.target.pk, self.target.calendar_id,
                self.handover.id if self.handover else None, self.target_seconds, str(self.state), self.started_at,
                self.running_since, self.consumed, self.due_at, self.warn_at, self.met_at, self.breached_at,
                self.warned_at, self.escalation_level, self.next_escalation_at, self.missing_years)


@dataclass(slots=True)
class _Ticket:
    id: int
    number: str
    received: int
    registered: int
    code: str = ""
    title: str = ""
    description: str = ""
    customer_id: int | None = None
    customer_class: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    site_address: str = ""
    region_id: int | None = None
    channel: str = ""
    occurred_since: str = ""
    is_retroactive: bool = False
    priority: str = ""
    status: str = Status.NEW
    tier: str = Tier.HOTLINE
    remote_authorised: bool = False
    is_major: bool = False
    first_responsible: int = 0
    owner: int | None = None
    group_id: int | None = None
    resolution: str = ""
    resolved_at: int | None = None
    closed_at: int | None = None
    repeat_contacts: int = 0
    pending: _Handover | None = None
    onsite_arrived_at: int | None = None
    version: int = 1
    updated_at: int = 0
    step: int = 0
    clocks: list = field(default_factory=list)
    handovers: list = field(default_factory=list)
    repeats: list = field(default_factory=list)  # RepeatContact rows
    entries: list = field(default_factory=list)  # Entry rows
    escalations: list = field(default_factory=list)  # SlaEscalation rows (clock id, level, at, recipients)


def _load_clock(calendar_id: int) -> BusinessClock:
    """A private copy of the calendar's business clock that names missing holiday years cheaply.

    `BusinessClock._missing` finds the local year of both instants on every call, the largest single
    cost of a million-request load. When the calendar has holiday data for the instants' years and
    the years either side (a local year is at most one off the one an instant shows), nothing is
    missing; otherwise the clock's own answer is used. Same results, only faster.
    """
    shared = business_clock(calendar_id)
    clock = BusinessClock(shared.schedule)
    schedule, own = clock.schedule, clock._missing
    known = {y for y in range(1990, 2100) if not any(schedule.is_missing(z) for z in (y - 1, y, y + 1))}

    def missing(first: datetime, last: datetime) -> tuple[int, ...]:
        if not schedule.needs_holiday_data or (first.year in known and last.year in known):
            return ()
        return own(first, last)

    clock._missing = missing
    return clock


def _ceil_minute(us: int) -> int:
    """The breach watch runs every minute (huey crontab minute="*"): the first run at or after `us`."""
    return -(-us // MINUTE) * MINUTE


class FastTicketGenerator:
    """The year of `fuwu.tickets.demo.DemoTicketGenerator`, simulated without the ORM.

    The same requests' lives as the demo (same branches, same waits), the same rows and events as
    the actions, and the SLA clocks as `fuwu.tickets.clocks` drives them, with the minute-by-minute
    breach watch (`fuwu.tickets.actions.escalation.sla_watch`) replayed at the minutes it would have run.
    """

    def __init__(self, *, seed: int, now: datetime, ids: dict[str, int]):
        self.rng = random.Random(f"tickets-fast-{seed}")
        self.now = to_us(now)
        self.ids = ids  # the next id per table
        staff = _staff()
        self.agents = [u.pk for u in staff.agents]
        self.support = [u.pk for u in staff.support]
        self.technicians = [u.pk for u in staff.technicians]
        self.manager = staff.manager.pk
        everyone = [*staff.agents, *staff.support, *staff.technicians, staff.manager]
        self.names = {u.pk: actor_display_name(u) for u in everyone}
        self.names[None] = actor_display_name(None)
        self.user_group = dict(Profile.objects.filter(user_id__in=list(self.names)).values_list("user_id", "group_id"))
        self.groups = {g.code: g.pk for g in Group.objects.all()}
        self.leaders = dict(Group.objects.values_list("id", "leader_id"))
        self.holders = {
            role: [p.user_id for p in Profile.objects.filter(roles__code=role, is_active=True, user__is_active=True)
                   .distinct()]
            for role in (Role.MANAGER, Role.GENERAL_MANAGER)
        }
        self.types = {t.code: t for t in ServiceType.objects.filter(code__in=_CODES)}
        self.regions = list(Region.objects.order_by("id").values_list("id", flat=True))
        addresses = {}
        for customer_id, line, region_id in Address.objects.filter(is_active=True).order_by("-id").values_list(
                "customer_id", "line", "region_id"):
            addresses[customer_id] = (line, region_id)
        classes = dict(Customer.objects.filter(is_active=True).values_list("id", "customer_class"))
        contacts = Contact.objects.filter(is_primary=True, is_active=True, customer__is_active=True).exclude(phone="")
        self.callers = [
            (customer_id, name, phone, *addresses.get(customer_id, ("", None)), classes.get(customer_id, ""))
            for customer_id, name, phone in contacts.order_by("id").values_list("customer_id", "name", "phone")
        ]
        self._targets: dict[Facts, dict[str, SlaTarget]] = {}
        self._business: dict[int, Any] = {}
        self._sanitised: dict[str, str] = {}
        self.major_reason = _("Marked major at registration.")
        self.escalation_step = settings.FUWU_SLA_ESCALATION_STEP_PERCENT
        self.request_id = current_request_id.get()
        self.statuses: Counter = Counter()
        self.events: list[tuple] = []  # (at, ticket id, step, action, actor, payload, ticket)
        self.first_night = to_us(
            (from_us(self.now - 365 * DAY) + timedelta(days=1)).replace(hour=3, minute=0, second=0, microsecond=0))
        self.auto_close_after = settings.FUWU_AUTO_CLOSE_DAYS * DAY
        self.at = 0
        self.t: _Ticket = None  # type: ignore[assignment]

    # Helpers (the demo's, in microseconds) ------------------------------------------------------------------------

    def minutes(self, low: float, high: float) -> int:
        return int(self.rng.uniform(low, high) * MINUTE)

    def hours(self, low: float, high: float) -> int:
        return int(self.rng.uniform(low, high) * HOUR)

    def members(self, code: str) -> list[int]:
        return {"tech_support": self.support, "repair": self.technicians}.get(code, self.agents)

    def next_id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def _event(self, action: str, actor: int | None, payload: dict, at: int | None = None) -> None:
        t = self.t
        t.step += 1
        self.events.append((self.at if at is None else at, t.id, t.step, action, actor, payload, t))

    def _save(self) -> None:
        self.t.version += 1
        self.t.updated_at = self.at

    # SLA clocks: fuwu.tickets.clocks, step for step ------------------------------------------------------------------

    def business(self, calendar_id: int) -> BusinessClock:
        clock = self._business.get(calendar_id)
        if clock is None:
            clock = self._business[calendar_id] = _load_clock(calendar_id)
        return clock

    def targets(self) -> dict[str, SlaTarget]:
        t = self.t
        facts = Facts(self.types[t.code].pk, t.priority, t.customer_class, t.region_id, t.channel)
        found = self._targets.get(facts)
        if found is None:
            found = self._targets[facts] = targets_for(facts)
        return found

    def _live(self, *kinds: str) -> list[_Clock]:
        return [c for c in self.t.clocks if c.state in (SlaClock.State.RUNNING, SlaClock.State.PAUSED)
                and (not kinds or c.kind in kinds)]

    def _schedule(self, c: _Clock) -> None:
        business = self.business(c.target.calendar_id)
        left = max(0, c.target_seconds - c.consumed)
        due = business.add(from_us(c.running_since), timedelta(seconds=left))
        warn_after = max(0, c.target_seconds * c.target.warn_percent // 100 - c.consumed)
        c.due_at = to_us(due.at)
        c.warn_at = to_us(business.add(from_us(c.running_since), timedelta(seconds=warn_after)).at)
        c.missing_years = list(due.missing_years)

    def _used(self, c: _Clock, at: int) -> int:
        span = self.business(c.target.calendar_id).between(from_us(c.running_since), from_us(at))
        return max(0, round(span.duration.total_seconds()))

    def clock_start(self, target: SlaTarget, at: int, handover: _Handover | None = None) -> _Clock:
        if target.end_of_business_day:
            business = self.business(target.calendar_id)
            start = from_us(at)
            seconds = max(0, round(business.between(start, business.end_of_business_day(start).at)
                                   .duration.total_seconds()))
        else:
            seconds = target.minutes * 60
        c = _Clock(self.next_id("clock"), str(target.kind), target, handover, seconds, at, at,
                   first_watch=_ceil_minute(self.at + 1))
        self._schedule(c)
        self.t.clocks.append(c)
        return c

    def clock_meet(self, c: _Clock, at: int) -> None:
        self.watch(c, until=at)
        if c.state == SlaClock.State.RUNNING:
            c.consumed += self._used(c, at)
        if c.due_at is not None and at > c.due_at and c.breached_at is None:
            c.breached_at = c.due_at
        self._close_pause(c, at)
        c.state, c.met_at, c.running_since, c.warn_at, c.next_escalation_at = SlaClock.State.MET, at, None, None, None

    def clock_stop(self, c: _Clock, at: int) -> None:
        self.watch(c, until=at)
        self._close_pause(c, at)
        c.state, c.running_since, c.warn_at, c.next_escalation_at = SlaClock.State.STOPPED, None, None, None

    def clock_pause(self, c: _Clock, at: int, reason: str) -> None:
        if c.state != SlaClock.State.RUNNING:
            return
        self.watch(c, until=at)
        c.consumed += self._used(c, at)
        c.state, c.running_since, c.due_at, c.warn_at, c.next_escalation_at = (
            SlaClock.State.PAUSED, None, None, None, None)
        c.pauses.append([at, None, reason])

    def clock_resume(self, c: _Clock, at: int) -> None:
        if c.state != SlaClock.State.PAUSED:
            return
        self._close_pause(c, at)
        c.state, c.running_since = SlaClock.State.RUNNING, at
        self._schedule(c)

    def _close_pause(self, c: _Clock, at: int) -> None:
        if c.state == SlaClock.State.PAUSED:
            for pause in c.pauses:
                if pause[1] is None:
                    pause[1] = at

    def on_registered(self) -> None:
        t, targets = self.t, self.targets()
        for kind in (ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION):
            if kind in targets:
                c = self.clock_start(targets[kind], t.received)
                if kind == ClockKind.FIRST_RESPONSE and t.channel in LIVE_CHANNELS:
                    self.clock_meet(c, t.registered)

    def on_responded(self, at: int) -> None:
        for c in self._live(ClockKind.FIRST_RESPONSE):
            self.clock_meet(c, at)

    def on_status_changed(self, old: str, new: str, at: int) -> None:
        if new in (Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED):
            self.on_responded(at)
        if new == Status.PENDING_CUSTOMER:
            for c in self._live(ClockKind.RESOLUTION):
                self.clock_pause(c, at, "pending_customer")
        if old == Status.PENDING_CUSTOMER and new == Status.IN_PROGRESS:
            for c in self._live(ClockKind.RESOLUTION):
                self.clock_resume(c, at)
        if new == Status.RESOLVED:
            for c in self._live(ClockKind.RESOLUTION):
                self.clock_meet(c, at)
            for c in self._live(ClockKind.ONSITE_ARRIVAL, ClockKind.HANDOVER_ACCEPTANCE):
                self.clock_stop(c, at)
            target = self.targets().get(ClockKind.FOLLOW_UP)
            if target is not None and not self._live(ClockKind.FOLLOW_UP):
                self.clock_start(target, at)
        if new == Status.REOPENED:
            for c in self._live(ClockKind.FOLLOW_UP):
                self.clock_stop(c, at)
            target = self.targets().get(ClockKind.RESOLUTION)
            if target is not None:
                self.clock_start(target, at)
        if new == Status.CANCELLED:
            for c in self._live():
                self.clock_stop(c, at)

    # The breach watch, replayed -------------------------------------------------------------------------------------

    def watch(self, c: _Clock, *, until: int) -> None:
        """What `sla_watch` did to this running clock in the minutes before `until` (and before now)."""
        if c.state != SlaClock.State.RUNNING or c.due_at is None:
            return
        until = min(until, self.now)
        if c.breached_at is None:
            breach = max(_ceil_minute(c.due_at), c.first_watch)
            if c.warned_at is None and c.warn_at is not None:
                warn = max(_ceil_minute(c.warn_at), c.first_watch)
                if warn < breach and warn < until:  # in one run the breach step comes first and warns too
                    c.warned_at = warn
                    self._escalation(c, 0, warn, [self.t.owner or self.leaders.get(self.t.group_id)],
                                     "ticket.sla_warning")
            if breach >= until:
                return
            c.breached_at = c.due_at
            c.warned_at = c.warned_at or breach
            c.escalation_level = 1
            c.next_escalation_at = self._next_escalation(c, after=1)
            self._escalation(c, 1, breach, [self.t.owner, self.leaders.get(self.t.group_id)], "ticket.sla_breached")
            last = breach
        else:
            last = 0
        while c.next_escalation_at is not None:
            at = max(_ceil_minute(c.next_escalation_at), last)
            if at >= until or c.escalation_level + 1 > 3:
                return
            c.escalation_level += 1
            c.next_escalation_at = self._next_escalation(c, after=c.escalation_level)
            role = Role.MANAGER if c.escalation_level == 2 else Role.GENERAL_MANAGER
            self._escalation(c, c.escalation_level, at, self.holders[role], "ticket.sla_escalated")
            last = at

    def watch_all(self, until: int) -> None:
        for c in self.t.clocks:
            self.watch(c, until=until)

    def _next_escalation(self, c: _Clock, *, after: int) -> int | None:
        t = self.t
        if after >= 3 or (after == 2 and not (t.is_major or t.priority == Priority.URGENT)):
            return None
        step = c.target_seconds * self.escalation_step // 100 * after
        return to_us(self.business(c.target.calendar_id).add(from_us(c.due_at), timedelta(seconds=step)).at)

    def _escalation(self, c: _Clock, level: int, at: int, recipients: list, action: str) -> None:
        recipients = [user for user in recipients if user is not None]
        self.t.escalations.append((c.id, level, at, recipients))
        self._event(action, None, {"clock": c.id, "kind": c.kind, "level": level,
                                   "due": _json_instant(c.due_at), "recipients": recipients}, at=at)

    # The actions, as rows -----------------------------------------------------------------------------------------

    def register(self, actor: int, *, settle: str = "", retroactive: bool = False, major: bool = False) -> None:
        t, at = self.t, self.at
        service_type = self.types[t.code]
        t.first_responsible = t.owner = actor
        t.group_id = self.user_group.get(actor) or service_type.default_group_id
        t.priority = service_type.default_priority
        t.is_retroactive = retroactive
        t.updated_at = at
        self._event("ticket.registered", actor, {
            "number": t.number, "type": t.code, "channel": t.channel, "retroactive": retroactive,
            "received_at": _json_instant(t.received)})
        self.on_registered()
        if settle:
            self.move(actor, Move.RESOLVE, resolution=settle)
        if major:
            t.is_major = True
            self._save()
            self._event("ticket.marked_major", actor, {"reason": self.major_reason})

    def move(self, actor: int | None, move: Move, *, resolution: str = "", reason: str = "",
             automatic: bool = False) -> None:
        t, at = self.t, self.at
        target = {Move.ACCEPT: Status.ACCEPTED, Move.START: Status.IN_PROGRESS, Move.RESOLVE: Status.RESOLVED,
                  Move.WAIT_CUSTOMER: Status.PENDING_CUSTOMER, Move.RESUME: Status.IN_PROGRESS,
                  Move.CLOSE: Status.CLOSED, Move.REOPEN: Status.REOPENED, Move.CANCEL: Status.CANCELLED}[move]
        payload: dict[str, Any] = {"move": str(move), "from": t.status, "to": str(target)}
        if automatic:  # tickets_auto_close: its own payload, and no clock changes
            payload = {"move": str(move), "from": t.status, "to": str(target), "automatic": True}
        if move == Move.RESOLVE:
            t.resolution, t.resolved_at = resolution, at
            payload["resolution"] = resolution
        if move in (Move.CANCEL, Move.REOPEN):
            payload["reason"] = reason
        if target == Status.CLOSED:
            t.closed_at = at
        if move == Move.REOPEN:
            t.resolved_at = None
        old, t.status = t.status, str(target)
        self._save()
        self._event("ticket.moved", actor, payload)
        if not automatic:
            self.on_status_changed(old, t.status, at)

    def hand_over(self, actor: int, group: str, to_user: int | None, note: str) -> _Handover:
        t = self.t
        handover = _Handover(self.next_id("handover"), t.id, actor, self.groups[group], to_user, note, self.at)
        t.handovers.append(handover)
        t.pending = handover
        self._save()
        self._event("ticket.handover_requested", actor, {
            "handover_id": handover.id, "to_group": group, "to_user": to_user, "note": note})
        target = self.targets().get(ClockKind.HANDOVER_ACCEPTANCE)
        if target is not None:
            self.clock_start(target, handover.created_at, handover)
        return handover

    def decide(self, handover: _Handover, actor: int, *, reason: str = "") -> None:
        t, at = self.t, self.at
        self.watch_all(at)  # the watch's recipients are the owner and group of the time
        handover.decided_by, handover.decided_at = actor, at
        t.pending = None
        if reason:
            handover.state, handover.decline_reason = Handover.State.DECLINED, reason
            self._save()
            self._event("ticket.handover_declined", actor, {"handover_id": handover.id, "reason": reason})
            for c in self._live():
                if c.handover is handover:
                    self.clock_stop(c, at)
            return
        handover.state = Handover.State.ACCEPTED
        old_owner = t.owner
        t.owner, t.group_id = actor, handover.to_group
        if t.status == Status.NEW:
            t.status = Status.ACCEPTED
        self._save()
        self._event("ticket.handover_accepted", actor,
                    {"handover_id": handover.id, "old_owner": old_owner, "new_owner": actor})
        for c in self._live():
            if c.handover is handover:
                self.clock_meet(c, at)
        if t.status == Status.ACCEPTED:
            self.on_responded(at)

    def change_tier(self, actor: int, tier: Tier, reason: str, authorised: bool = False) -> None:
        t = self.t
        step = TIER_ORDER.index(tier) - TIER_ORDER.index(Tier(t.tier))
        payload: dict[str, Any] = {"from": t.tier, "to": str(tier), "reason": reason, "step": step}
        t.tier = str(tier)
        if authorised and not t.remote_authorised:
            t.remote_authorised = True
            payload["customer_authorised"] = True
        self._save()
        self._event("ticket.tier_changed", actor, payload)
        live = self._live(ClockKind.ONSITE_ARRIVAL)
        if t.tier == Tier.ONSITE and not live and t.onsite_arrived_at is None:
            target = self.targets().get(ClockKind.ONSITE_ARRIVAL)
            if target is not None:
                self.clock_start(target, self.at)
        elif t.tier != Tier.ONSITE:
            for c in live:
                self.clock_stop(c, self.at)

    def record_arrival(self, actor: int) -> None:
        t, at = self.t, self.at
        t.onsite_arrived_at = at
        self._save()
        for c in self._live(ClockKind.ONSITE_ARRIVAL):
            self.clock_meet(c, at)
        self._event("ticket.arrived_on_site", actor, {"arrived_at": _json_instant(at)})

    def follow_up(self, actor: int, note: str) -> None:
        t, at = self.t, self.at
        body = self._sanitised.get(note)
        if body is None:
            body = self._sanitised[note] = sanitise(note).strip()
        entry_id = self.next_id("entry")
        t.entries.append((entry_id, t.id, Entry.Kind.FOLLOW_UP.value, actor, body, at, None))
        self._save()
        self._event(f"ticket.{Entry.Kind.FOLLOW_UP.value}_added", actor,
                    {"entry_id": entry_id, "supersedes": None, "files": []})
        for c in self._live(ClockKind.FOLLOW_UP):
            self.clock_meet(c, at)

    def link_repeat(self, actor: int, channel: str, note: str) -> None:
        t = self.t
        repeat_id = self.next_id("repeat")
        t.repeats.append((repeat_id, t.id, channel, self.at, actor, note))
        t.repeat_contacts += 1
        self._save()
        self._event("ticket.repeat_contact", actor, {"repeat_id": repeat_id, "channel": channel, "note": note})

    # One request's life: `fuwu.tickets.demo.DemoTicketGenerator.life`, step for step ---------------------------------

    def _fill(self, t: _Ticket, code: str) -> None:
        rng = self.rng
        t.code = code
        t.title, t.description = rng.choice(CATALOGUE[code][1])
        t.channel = rng.choices(_CHANNEL_VALUES, cum_weights=_CHANNEL_WEIGHTS)[0]
        if self.callers and (code != "consultation" or rng.random() < 0.8):
            customer_id, name, phone, line, region_id, customer_class = rng.choice(self.callers)
            t.customer_id, t.contact_name, t.contact_phone, t.customer_class = customer_id, name, phone, customer_class
            t.site_address = line or f"{rng.choice(['中山路', '人民路', '解放路', '建设路'])}{rng.randint(1, 300)}号"
            t.region_id = region_id or (rng.choice(self.regions) if self.regions else None)
        else:
            t.contact_name = rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["先生", "女士"])
            t.contact_phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        t.occurred_since = rng.choice(SINCE)

    def _resolution(self, code: str) -> str:
        return self.rng.choice(CATALOGUE[code][2])

    def life(self, t: _Ticket) -> Iterator[int]:
        rng = self.rng
        code = rng.choices(_CODES, cum_weights=_CODE_WEIGHTS)[0]
        agent = rng.choice(self.agents)
        self._fill(t, code)
        if code in ("consultation", "suggestion") and rng.random() < 0.75:
            self.register(agent, settle=self._resolution(code))
            yield from self._after_resolution(agent, agent, code)
            return
        if code == "repair" and rng.random() < 0.03:  # R3.7: acted first, registered afterwards
            technician = rng.choice(self.technicians)
            t.description += "（先抢修后补登记）"
            self.register(technician, retroactive=True)
            yield self.minutes(5, 30)
            self.move(technician, Move.RESOLVE, resolution=self._resolution(code))
            yield from self._after_resolution(technician, technician, code)
            return
        major = (code == "complaint" and rng.random() < 0.1) or (code == "repair" and rng.random() < 0.02)
        self.register(agent, major=major)
        yield self.minutes(3, 40)
        if rng.random() < 0.03:
            self.move(self.manager, Move.CANCEL, reason=rng.choice(CANCEL_REASONS))
            return
        owner = agent
        if code in ("repair", "fault", "consultation"):
            target = "repair" if code == "repair" else "tech_support"
            if rng.random() < 0.08:  # handed to the wrong group first: declined with a reason, then re-routed
                wrong = "tech_support" if target == "repair" else "repair"
                handover = self.hand_over(agent, wrong, None, f"{t.title}，请处理。")
                yield self.minutes(10, 90)
                self.decide(handover, rng.choice(self.members(wrong)), reason=rng.choice(DECLINE_REASONS))
                yield self.minutes(5, 30)
            members = self.members(target)
            named = rng.choice(members) if rng.random() < 0.5 else None
            handover = self.hand_over(agent, target, named, f"{t.title}，联系人{t.contact_name}，请尽快跟进。")
            yield self.minutes(5, 50) if rng.random() < 0.85 else self.minutes(60, 240)  # mostly within the hour
            owner = named or rng.choice(members)
            self.decide(handover, owner)
        else:
            self.move(agent, Move.ACCEPT)
        yield self.minutes(10, 240)
        if code == "repair":
            self.change_tier(owner, Tier.ONSITE, "电话指导无法排除，需上门检测。")
            yield self.hours(0.5, 7)
            self.record_arrival(owner)
        elif code == "fault" and rng.random() < 0.6:
            self.change_tier(owner, Tier.REMOTE, "需远程登录设备排查。", authorised=True)
        self.move(owner, Move.START)
        if rng.random() < 0.08:
            yield self.hours(2, 30)
            self.link_repeat(rng.choice(self.agents), Channel.PHONE.value, rng.choice(REPEAT_NOTES))
        if rng.random() < 0.12:
            yield self.hours(1, 24)
            self.move(owner, Move.WAIT_CUSTOMER)
            yield self.hours(12, 96)
            self.move(owner, Move.RESUME)
        yield self.hours(1, 60)
        self.move(owner, Move.RESOLVE, resolution=self._resolution(code))
        yield from self._after_resolution(agent, owner, code)

    def _after_resolution(self, first_responsible: int, owner: int, code: str) -> Iterator[int]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.04 and code not in ("consultation", "suggestion"):
            yield self.hours(12, 72)
            self.move(first_responsible, Move.REOPEN, reason=rng.choice(REOPEN_REASONS))
            yield self.hours(1, 24)
            self.move(owner, Move.START)
            yield self.hours(2, 48)
            self.move(owner, Move.RESOLVE, resolution="复查后" + self._resolution(code))
        if rng.random() < 0.9:  # the follow-up call after resolution (R10.4 follow-up clock)
            yield self.hours(1, 30)
            self.follow_up(first_responsible, rng.choice(FOLLOW_UP_NOTES))
        if roll < 0.6:
            yield self.hours(1, 24)
            self.move(first_responsible, Move.CLOSE)
        # otherwise the nightly job closes it (R4.1)

    def live(self, t: _Ticket) -> None:
        """Run one life up to now: a step that would fall after now has not happened yet."""
        self.t, self.at = t, t.registered
        steps = self.life(t)
        delay = next(steps, None)
        while delay is not None and self.at + delay < self.now:
            self.at += delay
            delay = next(steps, None)
        if t.status == Status.RESOLVED:  # the nightly job (03:00) closes what stayed unconfirmed for the period
            due = t.resolved_at + self.auto_close_after
            night = self.first_night + max(0, (due - self.first_night) // DAY + 1) * DAY
            if night < self.now:
                self.watch_all(night)
                self.at = night
                self.move(None, Move.CLOSE, automatic=True)
        self.watch_all(self.now)
        self.statuses[t.status] += 1

    def sla_columns(self, t: _Ticket) -> tuple[int | None, str]:
        """`fuwu.tickets.clocks.refresh_ticket`: the most urgent running clock's due instant and the worst state."""
        running = [c for c in t.clocks if c.state == SlaClock.State.RUNNING]
        due = min((c.due_at for c in running if c.due_at is not None), default=None)
        if any(c.breached_at is not None for c in running):
            return due, "breached"
        if any(c.warned_at is not None for c in running):
            return due, "warning"
        if due is not None:
            return due, "running"
        if any(c.state == SlaClock.State.PAUSED for c in t.clocks):
            return due, "paused"
        return due, ""

    # The year ------------------------------------------------------------------------------------------------------

    def arrivals(self, count: int) -> list[tuple[int, int]]:
        """(registered, received) for `count` calls over the past year, in registration order (as the demo)."""
        rng = self.rng
        # Days start at local midnight, so the calls come in between 8:00 and 20:00 where the service is.
        local = from_us(self.now - 365 * DAY).astimezone(timezone.get_current_timezone())
        start = to_us(local.replace(hour=0, minute=0, second=0, microsecond=0))
        arrivals = []
        recent = min(count, max(25, count // 15))
        hours = range(8, 20)
        for n in range(count):
            while True:
                day = rng.randrange(362, 365) if n < recent else rng.randrange(365)
                if n < recent or rng.random() < (1.0 if 150 <= day <= 260 else 0.75):
                    break
            at = start + day * DAY + rng.choice(hours) * HOUR + rng.randrange(60) * MINUTE
            received = min(at, self.now - 30 * MINUTE)
            arrivals.append((received + self.minutes(1, 8), received))
        arrivals.sort()
        return arrivals


# Row layouts: attribute names, in the order the tuples are built.
_TICKET = ["id", "number", "service_type_id", "kind", "title", "description", "customer_id", "contact_name",
           "contact_phone", "site_address", "region_id", "channel", "received_at", "occurred_since", "registered_at",
           "is_retroactive", "priority", "status", "tier", "remote_authorised", "is_major", "first_responsible_id",
           "owner_id", "group_id", "resolution", "resolved_at", "closed_at", "repeat_contacts", "has_pending_handover",
           "onsite_arrived_at", "sla_due_at", "sla_state", "version", "updated_at"]
_CLOCK = ["id", "ticket_id", "kind", "target_id", "calendar_id", "handover_id", "target_seconds", "state",
          "started_at", "running_since", "consumed_seconds", "due_at", "warn_at", "met_at", "breached_at", "warned_at",
          "escalation_level", "next_escalation_at", "missing_years"]
_PAUSE = ["clock_id", "started_at", "ended_at", "reason"]
_ESCALATION = ["clock_id", "level", "at", "recipients"]
_HANDOVER = ["id", "ticket_id", "from_user_id", "to_group_id", "to_user_id", "note", "state", "created_at",
             "decided_by_id", "decided_at", "decline_reason"]
_REPEAT = ["id", "ticket_id", "channel", "received_at", "taken_by_id", "note"]
_ENTRY = ["id", "ticket_id", "kind", "author_id", "body", "created_at", "supersedes_id"]
_EVENT = ["id", "occurred_at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_repr",
          "payload", "request_id", "supersedes_id", "prev_hash", "hash"]

_WRITTEN = [Ticket, Handover, RepeatContact, Entry, SlaClock, SlaClockPause, SlaEscalation, AuditEvent]


def _set_aside_constraints(written: list[type[models.Model]]) -> list[str]:
    """PostgreSQL: drop the secondary indexes, unique and foreign-key constraints of the tables about to be
    loaded, in this transaction; returns the statements that put them back, to run after the load.

    What `pg_restore` does: a million rows load far faster without maintaining a dozen indexes row by
    row and queueing a deferred foreign-key check per row; putting a constraint back checks every row
    at once (a failing check rolls the whole load back). Primary keys and CHECK constraints stay.
    """
    tables = [m._meta.db_table for m in written]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
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


class _Seeder:
    def __init__(self, *, seed: int, now: datetime):
        _check_hash()
        self.head, self.next_event = _chain_head()
        self.gen = FastTicketGenerator(seed=seed, now=now, ids={
            "ticket": _next_id(Ticket), "clock": _next_id(SlaClock), "handover": _next_id(Handover),
            "repeat": _next_id(RepeatContact), "entry": _next_id(Entry)})
        self.writer = _Writer()
        self.tables = {name: _Table(model, layout) for name, model, layout in (
            ("ticket", Ticket, _TICKET), ("handover", Handover, _HANDOVER), ("repeat", RepeatContact, _REPEAT),
            ("entry", Entry, _ENTRY), ("clock", SlaClock, _CLOCK), ("pause", SlaClockPause, _PAUSE),
            ("escalation", SlaEscalation, _ESCALATION), ("audit", AuditEvent, _EVENT))}
        self.numbers: dict[int, int] = dict(TicketNumberSequence.objects.values_list("year", "last"))
        self.zone = timezone.get_current_timezone()

    def number(self, received: int) -> str:
        year = from_us(received).astimezone(self.zone).year
        last = self.numbers.get(year, 0) + 1
        self.numbers[year] = last
        return f"FW-{year}-{last:06d}"

    def run(self, count: int, progress: Callable[[int, int], None] | None) -> int:
        arrivals = self.gen.arrivals(count)
        rebuild = _set_aside_constraints(_WRITTEN) if connection.vendor == "postgresql" else []
        try:
            done = self._chunks(arrivals, count, progress)
        except BaseException:
            self.writer.abandon()
            raise
        self.writer.close()
        self.loaded_at = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in rebuild:
                cursor.execute(sql)
        self._finish()
        return done

    def _chunks(self, arrivals: list[tuple[int, int]], count: int, progress) -> int:
        gen, done = self.gen, 0
        for chunk_start in range(0, count, CHUNK):
            chunk = arrivals[chunk_start:chunk_start + CHUNK]
            for registered, received in chunk:
                t = _Ticket(gen.next_id("ticket"), self.number(received), received, registered)
                gen.live(t)
                self._rows(t)
            for name in ("ticket", "handover", "repeat", "entry", "clock", "pause", "escalation"):
                self.writer.write(self.tables[name])
            later = chunk_start + CHUNK
            self._record(until=arrivals[later][0] if later < count else None)
            done += len(chunk)
            if progress is not None:
                progress(done, count)
        self._record(until=None)
        return done

    def _rows(self, t: _Ticket) -> None:
        tables = self.tables
        service_type = self.gen.types[t.code]
        due, sla_state = self.gen.sla_columns(t)
        tables["ticket"].add((
            t.id, t.number, service_type.pk, service_type.kind, t.title[:200], t.description, t.customer_id,
            t.contact_name, t.contact_phone, t.site_address, t.region_id, t.channel, t.received, t.occurred_since,
            t.registered, t.is_retroactive, t.priority, t.status, t.tier, t.remote_authorised, t.is_major,
            t.first_responsible, t.owner, t.group_id, t.resolution, t.resolved_at, t.closed_at, t.repeat_contacts,
            t.pending is not None, t.onsite_arrived_at, due, sla_state, t.version, t.updated_at,
        ))
        for handover in t.handovers:
            tables["handover"].add(handover.row())
        for row in t.repeats:
            tables["repeat"].add(row)
        for row in t.entries:
            tables["entry"].add(row)
        for c in t.clocks:
            tables["clock"].add(c.row(t.id))
            for started, ended, reason in c.pauses:
                tables["pause"].add((c.id, started, ended, reason))
        for row in t.escalations:
            tables["escalation"].add(row)
        t.clocks = t.handovers = t.repeats = t.entries = t.escalations = []  # the events still refer to the ticket

    def _record(self, *, until: int | None) -> None:
        """Append the events before `until` (all when None) to the chain, in time order."""
        gen = self.gen
        pending = gen.events
        pending.sort()  # by time, ticket, step: unique, so the rest of the tuples is never compared
        if until is None:
            ready, gen.events = pending, []
        else:
            cut = _bisect_time(pending, until)
            ready, gen.events = pending[:cut], pending[cut:]
        names, request_id, add = gen.names, gen.request_id, self.tables["audit"].add
        prev, event_id = self.head, self.next_event
        tail = "," + _canonical(request_id) + ",null]"
        for at, ticket_id, _step, action, actor, payload, t in ready:
            object_id = str(ticket_id)
            object_repr = f"{t.number} {t.title}"[:200]
            actor_name = names[actor]
            payload_json = _canonical(payload)  # once: for the hash and, as it is, for the column
            head = _canonical([prev, _iso_utc(at), actor, actor_name, action, OBJECT_TYPE, object_id, object_repr])
            digest = sha256((head[:-1] + "," + payload_json + tail).encode()).hexdigest()
            add((event_id, at, actor, actor_name, action, OBJECT_TYPE, object_id, object_repr, payload_json,
                 request_id, None, prev, digest))
            prev = digest
            event_id += 1
        self.head, self.next_event = prev, event_id
        self.writer.write(self.tables["audit"])

    def _finish(self) -> None:
        """Sequences past the ids given here; the per-year ticket numbers; fresh planner statistics."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), _WRITTEN):
                cursor.execute(sql)
        for year, last in self.numbers.items():
            TicketNumberSequence.objects.update_or_create(year=year, defaults={"last": last})
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in _WRITTEN:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _check_hash() -> None:
    """The chain is hashed here as `fuwu.core.audit.compute_hash` does, but faster: make sure it still agrees."""
    us = 1_780_000_000_123_456
    payload = {"to": "closed", "automatic": True, "n": 1, "note": 'a "quoted" \\ note', "at": _json_instant(us),
               "list": [1, None]}
    if _json_instant(us) != _json_encoder.default(from_us(us)) or _json_instant(us - 123_456) != (
            _json_encoder.default(from_us(us - 123_456))):
        raise RuntimeError("fuwu.tickets.scale formats instants differently from DjangoJSONEncoder: update it.")
    head = _canonical(["ab" * 32, _iso_utc(us), 7, "王小明", "ticket.moved", OBJECT_TYPE, "42", "FW-2026-000042 空调"])
    ours = sha256((head[:-1] + "," + _canonical(payload) + "," + _canonical("") + ",null]").encode()).hexdigest()
    theirs = compute_hash(prev_hash="ab" * 32, occurred_at=from_us(us), actor_id=7, actor_name="王小明",
                          action="ticket.moved", object_type=OBJECT_TYPE, object_id="42",
                          object_repr="FW-2026-000042 空调", payload=normalise_payload(payload), request_id="",
                          supersedes_id=None)
    if ours != theirs:
        raise RuntimeError("fuwu.tickets.scale hashes audit events differently from fuwu.core.audit: update it.")


def _bisect_time(events: list[tuple], until: int) -> int:
    low, high = 0, len(events)
    while low < high:
        mid = (low + high) // 2
        if events[mid][0] < until:
            low = mid + 1
        else:
            high = mid
    return low


def seed_tickets_fast(*, seed: int, count: int, log: Callable[[str], None] | None = None,
                      progress: Callable[[int, int], None] | None = None) -> int:
    """Write `count` demo requests with their year of history straight to the database; returns how many."""
    if count <= 0:
        return 0
    started = time.perf_counter()
    with transaction.atomic():
        seeder = _Seeder(seed=seed, now=timezone.now())
        made = seeder.run(count, progress)
    seconds = time.perf_counter() - started
    if log is not None:
        summary = ", ".join(f"{status} {n}" for status, n in sorted(seeder.gen.statuses.items()))
        rows = ", ".join(f"{n:,} {name}" for name, n in seeder.writer.sent.items())
        log(f"{made} service requests in {seconds:.1f} s ({made / seconds:,.0f} per second, fast path; "
            f"{seeder.loaded_at - started:.1f} s to simulate and load, the rest for indexes, keys, statistics "
            f"and commit): {summary}. Rows: {rows}.")
    return made
