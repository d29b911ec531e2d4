"""The daily rollup (R9.6, R15.1): for every whole past day, what the slow indicators count, per
combination of a request's group, owner, service type and channel (`DailyRollup`).

Written here, read by `fuwu/quality/indicators/rolled.py`. A day's rows are computed with the same
filters as the live definitions (`fuwu/quality/indicators/tickets.py`: `resolved_with_history`,
`FIRST_CONTACT`, `settled`, `HANDLING`), grouped by the local day of the instant that puts a request or
a clock in a period, so summing the rows of whole days gives what the live query gives for them.

Idempotent: recomputing a day replaces its rows. The nightly job (`fuwu/quality/tasks.py`) writes
the day that just ended and every earlier day a change may have touched: the days of the reception,
resolution and clocks (met or breached) of each request changed since the last run. A request's
earlier resolution is the meeting of its earlier resolution clock, so a reopened request's old day is
among them; a clock breached late is dated back to its due instant and its request changed with it.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from fuwu.quality.indicators.base import local_midnight
from fuwu.quality.indicators.rolled import CLOCK_KINDS
from fuwu.quality.indicators.tickets import FIRST_CONTACT, HANDLING, microseconds, resolved_with_history, settled
from fuwu.quality.models import DailyBreach, DailyRollup, RollupDay
from fuwu.tickets.models import SlaClock, Ticket

DIMENSIONS = ("group_id", "owner_id", "service_type_id", "channel")  # the request's, as the live queries group
CHUNK_DAYS = 31  # days computed by one set of grouped queries
CHANGE_MARGIN = datetime.timedelta(minutes=30)  # changes committed while the last run was reading


def _day(expression) -> TruncDate:
    return TruncDate(expression, tzinfo=timezone.get_current_timezone())


def rollup_rows(first: datetime.date, end: datetime.date) -> list[DailyRollup]:
    """The rollup rows of the days [first, end): two grouped queries."""
    since, until = local_midnight(first), local_midnight(end)
    rows: dict[tuple, DailyRollup] = {}

    def row(day, keys) -> DailyRollup:
        key = (day, *keys)
        if key not in rows:
            rows[key] = DailyRollup(day=day, **dict(zip(DIMENSIONS, keys, strict=True)))
        return rows[key]

    resolved = (resolved_with_history(since, until).annotate(day=_day("resolved_at")).order_by()
                .values("day", *DIMENSIONS)
                .annotate(n=Count("pk"), n_first=Count("pk", filter=FIRST_CONTACT),
                          n_reopened=Count("pk", filter=Q(reopened=True)), total=Sum(HANDLING)))
    for r in resolved:
        target = row(r["day"], [r[d] for d in DIMENSIONS])
        target.resolved, target.first_contact, target.reopened = r["n"], r["n_first"], r["n_reopened"]
        target.handling_us = microseconds(r["total"])
    breached, met = settled(since, until)
    ticket_dims = [f"ticket__{d}" for d in DIMENSIONS]
    clocks = (SlaClock.objects.filter(breached | met).annotate(day=_day(Coalesce("breached_at", "met_at")))
              .order_by().values("day", "kind", *ticket_dims)
              .annotate(n_met=Count("pk", filter=Q(breached_at__isnull=True)),
                        n_breached=Count("pk", filter=Q(breached_at__isnull=False))))
    for r in clocks:
        if r["kind"] not in CLOCK_KINDS:
            continue
        target = row(r["day"], [r[d] for d in ticket_dims])
        setattr(target, f"{r['kind']}_met", r["n_met"])
        setattr(target, f"{r['kind']}_breached", r["n_breached"])
    return list(rows.values())


def breach_rows(first: datetime.date, end: datetime.date) -> list[DailyBreach]:
    """The requests breached on each day of [first, end), by the day of each one's previous breach: one
    query for every breach of the requests breached in these days."""
    tz = timezone.get_current_timezone()
    since, until = local_midnight(first), local_midnight(end)
    in_days = SlaClock.objects.filter(breached_at__gte=since, breached_at__lt=until).values("ticket_id")
    days: dict[int, set] = {}
    keys: dict[int, tuple] = {}
    for ticket_id, breached_at, *dims in (SlaClock.objects.filter(ticket_id__in=in_days, breached_at__isnull=False)
                                          .values_list("ticket_id", "breached_at",
                                                       *(f"ticket__{d}" for d in DIMENSIONS))):
        days.setdefault(ticket_id, set()).add(timezone.localtime(breached_at, tz).date())
        keys[ticket_id] = tuple(dims)
    counts: dict[tuple, int] = {}
    for ticket_id, found in days.items():
        previous = None
        for day in sorted(found):
            if first <= day < end:
                key = (day, previous, *keys[ticket_id])
                counts[key] = counts.get(key, 0) + 1
            previous = day
    return [DailyBreach(day=day, previous_day=previous, requests=n, **dict(zip(DIMENSIONS, dims, strict=True)))
            for (day, previous, *dims), n in counts.items()]


def rollup_days(days: Iterable[datetime.date], *, today: datetime.date | None = None) -> int:
    """Recompute the rollup of these days (today and later are never rolled up: they are counted
    live), replacing their rows; in runs of consecutive days. Returns the days written."""
    today = today or timezone.localdate()
    wanted = sorted({d for d in days if d < today})
    written = 0
    while wanted:
        first = wanted[0]
        end = first + datetime.timedelta(days=1)
        while len(wanted) > (end - first).days and wanted[(end - first).days] == end \
                and (end - first).days < CHUNK_DAYS:
            end += datetime.timedelta(days=1)
        count = (end - first).days
        wanted = wanted[count:]
        with transaction.atomic():
            rows, breaches = rollup_rows(first, end), breach_rows(first, end)
            DailyRollup.objects.filter(day__gte=first, day__lt=end).delete()
            DailyRollup.objects.bulk_create(rows, batch_size=2000)
            DailyBreach.objects.filter(day__gte=first, day__lt=end).delete()
            DailyBreach.objects.bulk_create(breaches, batch_size=2000)
            now = timezone.now()
            RollupDay.objects.bulk_create(
                [RollupDay(day=first + datetime.timedelta(days=i), computed_at=now) for i in range(count)],
                update_conflicts=True, unique_fields=["day"], update_fields=["computed_at"])
        written += count
    return written


def days_changed_since(instant: datetime.datetime) -> set[datetime.date]:
    """The local days a change to a request since `instant` may have moved a figure in: its
    reception, resolution, and the meeting and breach of each of its clocks. Two queries."""
    tz = timezone.get_current_timezone()
    changed = Ticket.objects.filter(updated_at__gte=instant)
    instants = []
    for received, resolved in changed.values_list("received_at", "resolved_at"):
        instants += [received, resolved]
    for met, breached in SlaClock.objects.filter(ticket__in=changed).values_list("met_at", "breached_at"):
        instants += [met, breached]
    return {timezone.localtime(i, tz).date() for i in instants if i is not None}


def rollup_refresh(*, today: datetime.date | None = None) -> int:
    """The nightly refresh: every day not yet rolled up since the first request (the whole history on
    the first run), yesterday, and the days touched by requests changed since the last run. Returns the
    days written."""
    today = today or timezone.localdate()
    last_run = RollupDay.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    first_received = Ticket.objects.aggregate(first=Min("received_at"))["first"]
    if first_received is None:
        return 0
    first = timezone.localtime(first_received).date()
    held = set(RollupDay.objects.filter(day__gte=first, day__lt=today).values_list("day", flat=True))
    days = {first + datetime.timedelta(days=i) for i in range((today - first).days)} - held
    days.add(today - datetime.timedelta(days=1))
    if last_run is not None:
        days |= days_changed_since(last_run - CHANGE_MARGIN)
    return rollup_days(days, today=today)
