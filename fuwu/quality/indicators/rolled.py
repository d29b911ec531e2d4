"""The slow indicators read from the daily rollup for the whole past days it holds, and counted live
for the rest of the period (today, a part of a day, a day not rolled up yet) (R9.6, R15.1).

Every figure is a sum over days, so the rollup's part and the live part add up to what the live
definition (`fuwu/quality/indicators/tickets.py`) gives for the whole period — the same integers, and
for durations the same microseconds before they become hours. `tests/quality/test_rollup.py` computes
each indicator both ways. The rollup has the request's group, owner, service type and channel; the
other dimensions (region, customer class) are counted live.
"""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import F, Q, Sum
from django.utils import timezone

from fuwu.quality.indicators import tickets as t
from fuwu.quality.indicators.base import Dimension, Value, local_midnight
from fuwu.standards.models import ClockKind

ROLLED_DIMENSIONS = (Dimension.TOTAL, Dimension.GROUP, Dimension.STAFF, Dimension.SERVICE_TYPE, Dimension.CHANNEL)

CLOCK_KINDS = tuple(ClockKind.values)  # each has a met and a breached column in the rollup
Stretch = tuple[datetime.datetime, datetime.datetime]


_seen: ContextVar[dict | None] = ContextVar("rollup_parts", default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Within the block, which days the rollup holds is read once per period (a report, a snapshot run)."""
    token = _seen.set({})
    try:
        yield
    finally:
        _seen.reset(token)


def parts(since: datetime.datetime, until: datetime.datetime) -> tuple[Q | None, list[Stretch]]:
    """The rollup rows that cover whole past days of [since, until) (None: none), and the stretches
    left to count live: one query (none when `one_reading` has seen the period)."""
    seen = _seen.get()
    if seen is not None and (since, until) in seen:
        return seen[(since, until)]
    found = _parts(since, until)
    if seen is not None:
        seen[(since, until)] = found
    return found


def _parts(since: datetime.datetime, until: datetime.datetime) -> tuple[Q | None, list[Stretch]]:
    from fuwu.quality.models import RollupDay

    tz = timezone.get_current_timezone()
    first = timezone.localtime(since, tz).date()
    if local_midnight(first) < since:
        first += datetime.timedelta(days=1)
    end = min(timezone.localtime(until, tz).date(), timezone.localdate())
    if end <= first:
        return None, [(since, until)]
    held = list(RollupDay.objects.filter(day__gte=first, day__lt=end).order_by("day").values_list("day", flat=True))
    if not held:
        return None, [(since, until)]
    runs: list[list[datetime.date]] = []
    for day in held:
        if runs and runs[-1][1] == day:
            runs[-1][1] = day + datetime.timedelta(days=1)
        else:
            runs.append([day, day + datetime.timedelta(days=1)])
    rows, live, cursor = Q(), [], since
    for start, stop in runs:
        if local_midnight(start) > cursor:
            live.append((cursor, local_midnight(start)))
        rows |= Q(day__gte=start, day__lt=stop)
        cursor = local_midnight(stop)
    if cursor < until:
        live.append((cursor, until))
    return rows, live


def add(*results: dict[str, Value]) -> dict[str, Value]:
    """Values of the same keys summed, numerators and denominators apart."""
    total: dict[str, Value] = {}
    for result in results:
        for key, v in result.items():
            before = total.get(key)
            if before is None:
                total[key] = v
            elif v.denominator is None and before.denominator is None:
                total[key] = Value(before.numerator + v.numerator)
            else:
                total[key] = Value(before.numerator + v.numerator, (before.denominator or 0) + (v.denominator or 0))
    return total


def _rollup(rows: Q, keep: Q, dimension: str, **sums) -> dict[str, dict]:
    from fuwu.quality.models import DailyRollup

    return t.grouped(DailyRollup.objects.filter(rows).filter(keep), dimension, **sums)


def rolled(live: Callable, from_rollup: Callable[[Q, str], dict[str, Value]],
           finish: Callable[[dict[str, Value]], dict[str, Value]] = lambda v: v):
    """An indicator's compute: the rollup's whole past days plus the live rest, `finish`ed at the end."""
    def compute(since, until, dimension) -> dict[str, Value]:
        rows, live_parts = parts(since, until) if dimension in ROLLED_DIMENSIONS else (None, [(since, until)])
        found = [from_rollup(rows, dimension)] if rows is not None else []
        found += [live(s, u, dimension) for s, u in live_parts]
        return finish(add(*found))
    return compute


def _rates(rows: dict[str, dict]) -> dict[str, Value]:
    return {k: Value(r["num"] or 0, r["den"] or 0) for k, r in rows.items()}


def clock_compliance(kind: str):
    met, breached = f"{kind}_met", f"{kind}_breached"

    def from_rollup(rows, dimension):
        return _rates(_rollup(rows, Q(**{f"{met}__gt": 0}) | Q(**{f"{breached}__gt": 0}), dimension,
                              num=Sum(met), den=Sum(F(met) + F(breached))))
    return rolled(t.clock_compliance(kind), from_rollup)


first_contact_resolution = rolled(t.first_contact_resolution, lambda rows, dimension: _rates(_rollup(
    rows, Q(resolved__gt=0), dimension, num=Sum("first_contact"), den=Sum("resolved"))))

reopen_rate = rolled(t.reopen_rate, lambda rows, dimension: _rates(_rollup(
    rows, Q(resolved__gt=0), dimension, num=Sum("reopened"), den=Sum("resolved"))))


def _handling_from_rollup(rows, dimension):
    found = _rollup(rows, Q(resolved__gt=0), dimension, total=Sum("handling_us"), n=Sum("resolved"))
    return {k: Value(r["total"] or 0, r["n"] or 0) for k, r in found.items()}


handling_time = rolled(t.handling_microseconds, _handling_from_rollup, t.in_hours)


# -- counts for the reports ------------------------------------------------------------------------

Counts = dict[tuple, dict[str, int]]


def counts(since, until, by: tuple[str, ...], sums: dict[str, str], live: Callable[[datetime.datetime,
           datetime.datetime], Counts]) -> Counts:
    """Sums of rollup columns (`sums`: name → column) per key of the rollup's fields `by`, over whole
    past days, plus `live(since, until)` for the rest; keys with nothing counted are left out."""
    from fuwu.quality.models import DailyRollup

    rows, live_parts = parts(since, until)
    total: Counts = {}

    def merge(found: Counts) -> None:
        for key, values in found.items():
            into = total.setdefault(key, dict.fromkeys(sums, 0))
            for name, n in values.items():
                into[name] += n or 0

    if rows is not None:
        keep = Q()
        for column in sums.values():
            keep |= Q(**{f"{column}__gt": 0})
        found = DailyRollup.objects.filter(rows).filter(keep).order_by().values(*by).annotate(
            **{name: Sum(column) for name, column in sums.items()})
        merge({tuple(r[f] for f in by): {name: r[name] for name in sums} for r in found})
    for s, u in live_parts:
        merge(live(s, u))
    return {k: v for k, v in total.items() if any(v.values())}


# -- requests with a breach, each once -------------------------------------------------------------

def _one_run(since, until, live_parts: list[Stretch]) -> datetime.date | None:
    """The end of the rolled days when they run unbroken from `since` (a midnight) and only the end of
    the period is left live; None otherwise."""
    tz = timezone.get_current_timezone()
    if local_midnight(timezone.localtime(since, tz).date()) != since:
        return None
    if not live_parts:
        return timezone.localtime(until, tz).date()
    if len(live_parts) == 1 and live_parts[0][0] > since and live_parts[0][1] == until:
        return timezone.localtime(live_parts[0][0], tz).date()
    return None


def breached_requests(since, until, by: tuple[str, ...]) -> dict[tuple, int]:
    """Requests with a time limit breached in [since, until), each counted once, per key of the
    request's fields `by` (() for the total). Over whole past days from `DailyBreach`: a request on the
    first of its breach days in the period; the live rest leaves out requests already breached earlier
    in the period."""
    from django.db.models import Count, Exists, OuterRef

    from fuwu.quality.models import DailyBreach
    from fuwu.tickets.models import SlaClock

    rows, live_parts = parts(since, until)
    end = _one_run(since, until, live_parts) if rows is not None and set(by) <= set(_ROLLED_FIELDS) else None
    clocks = SlaClock.objects.order_by()
    fields = [f"ticket__{f}" for f in by]
    found: dict[tuple, int] = {}
    if end is None:
        live = [(since, until)]
    else:
        first = timezone.localtime(since).date()
        rolled = (DailyBreach.objects.filter(day__gte=first, day__lt=end)
                  .filter(Q(previous_day__isnull=True) | Q(previous_day__lt=first)).order_by())
        _add_counts(found, rolled, by, Sum("requests"))
        live = live_parts
    for s, u in live:
        qs = clocks.filter(breached_at__gte=s, breached_at__lt=u)
        if s > since:
            qs = qs.exclude(Exists(SlaClock.objects.filter(ticket_id=OuterRef("ticket_id"), breached_at__gte=since,
                                                           breached_at__lt=s)))
        _add_counts(found, qs, fields, Count("ticket_id", distinct=True))
    return found


def _add_counts(found: dict[tuple, int], qs, fields, aggregate) -> None:
    rows = qs.values(*fields).annotate(n=aggregate) if fields else [qs.aggregate(n=aggregate)]
    for r in rows:
        key = tuple(r[f] for f in fields)
        found[key] = found.get(key, 0) + (r["n"] or 0)


_ROLLED_FIELDS = ("group_id", "owner_id", "service_type_id", "channel")


def breaches(since, until, dimension) -> dict[str, Value]:
    """The `breaches` indicator (requests with a breached time limit, each once), from the rollup."""
    if dimension not in ROLLED_DIMENSIONS:
        return t.breaches(since, until, dimension)
    if dimension == Dimension.TOTAL:
        return {t.TOTAL_KEY: Value(sum(breached_requests(since, until, ()).values()))}
    field = t.TICKET_DIMENSIONS[dimension]
    found = breached_requests(since, until, (field,))
    result = {t.TOTAL_KEY: Value(sum(found.values()))}
    for (key,), n in found.items():
        if key is not None:
            result[str(key)] = Value(n)
    return result
