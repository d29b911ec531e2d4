"""From calendar rows to business clocks (R10.3): inheritance, statutory days, exceptions, caching.

Statutory holidays and adjusted working days (调休) come from `chinese-calendar` for the years it
covers; a year imported by an administrator (`HolidayNotice`) replaces the package's data for that
year. A year neither covers falls back to the weekly hours and is reported as missing.
"""

from __future__ import annotations

import datetime
import threading
import time
from functools import lru_cache

import chinese_calendar.constants as statutory_package
from django.conf import settings
from django.db.models import F, Func, Subquery

from fuwu.standards.businesstime import CLOSED, ROUND_THE_CLOCK, BusinessClock, Hours, Schedule, parse_hours
from fuwu.standards.models import CalendarException, HolidayNotice, ServiceCalendar, StatutoryDay

HOLIDAY, WORKDAY = StatutoryDay.Kind.HOLIDAY, StatutoryDay.Kind.WORKDAY


@lru_cache(maxsize=1)
def package_years() -> frozenset[int]:
    return frozenset(day.year for day in statutory_package.holidays)


def _notices_stamp() -> tuple[int, int]:
    """Changes whenever a notice is imported, so cached statutory data is rebuilt."""
    latest = HolidayNotice.objects.order_by("-imported_at").values_list("pk", "imported_at").first()
    return (HolidayNotice.objects.count(), hash(latest))


_statutory_cache: dict[tuple[int, int], tuple[dict[datetime.date, tuple[str, str]], frozenset[int]]] = {}


def statutory_days() -> tuple[dict[datetime.date, tuple[str, str]], frozenset[int]]:
    """{date: (kind, holiday name)} for every known year, and the set of years covered."""
    stamp = _notices_stamp()
    cached = _statutory_cache.get(stamp)
    if cached is not None:
        return cached
    imported_years = set(HolidayNotice.objects.values_list("year", flat=True))
    days: dict[datetime.date, tuple[str, str]] = {}
    for kind, source in ((HOLIDAY, statutory_package.holidays), (WORKDAY, statutory_package.workdays)):
        for day, name in source.items():
            if day.year not in imported_years:
                days[day] = (kind, name)
    for day, kind, name in StatutoryDay.objects.values_list("date", "kind", "name"):
        days[day] = (kind, name)
    result = (days, package_years() | frozenset(imported_years))
    _statutory_cache.clear()
    _statutory_cache[stamp] = result
    return result


def ancestry(calendar: ServiceCalendar) -> list[ServiceCalendar]:
    """The calendar and its ancestors, root first."""
    chain = [calendar]
    seen = {calendar.pk}
    while chain[0].parent_id is not None and chain[0].parent_id not in seen:
        parent = ServiceCalendar.objects.get(pk=chain[0].parent_id)
        seen.add(parent.pk)
        chain.insert(0, parent)
    return chain


def weekly_hours(chain: list[ServiceCalendar]) -> tuple[Hours, ...]:
    """The nearest calendar in the chain with hours of its own (or round the clock) decides the week."""
    for calendar in reversed(chain):
        if calendar.is_24x7:
            return (ROUND_THE_CLOCK,) * 7
        rows = list(calendar.hours.order_by("weekday", "start").values_list("weekday", "start", "end"))
        if rows:
            week: list[list[tuple[int, int]]] = [[] for _ in range(7)]
            for weekday, start, end in rows:
                end_minute = end.hour * 60 + end.minute or 24 * 60  # 00:00 as an end is midnight
                week[weekday].append((start.hour * 60 + start.minute, end_minute))
            return tuple(tuple(day) for day in week)
    return (CLOSED,) * 7


def working_day_hours(weekly: tuple[Hours, ...]) -> Hours:
    """The hours of a normal working day, used on adjusted working days (调休) and "working" exceptions."""
    return next((hours for hours in weekly[:5] if hours), next((hours for hours in weekly if hours), CLOSED))


def exception_hours(exception: CalendarException, workday: Hours) -> Hours:
    if exception.kind == CalendarException.Kind.CLOSED:
        return CLOSED
    if exception.kind == CalendarException.Kind.WORKING:
        return workday
    return parse_hours(exception.hours)


def schedule_for(calendar: ServiceCalendar) -> Schedule:
    chain = ancestry(calendar)
    weekly = weekly_hours(chain)
    workday = working_day_hours(weekly)
    days: dict[datetime.date, Hours] = {}
    statutory, covered = statutory_days()
    if calendar.observes_statutory_holidays:
        for day, (kind, _name) in statutory.items():
            days[day] = CLOSED if kind == HOLIDAY else workday
    exceptions = CalendarException.objects.filter(calendar__in=chain, is_active=True)
    depth = {c.pk: index for index, c in enumerate(chain)}
    for exception in sorted(exceptions, key=lambda e: depth[e.calendar_id]):  # nearer calendars win
        days[exception.date] = exception_hours(exception, workday)
    return Schedule(
        timezone=calendar.timezone,
        weekly=weekly,
        days=days,
        covered_years=covered,
        needs_holiday_data=calendar.observes_statutory_holidays,
    )


_clocks: dict[int, tuple[tuple, BusinessClock, float]] = {}
_clocks_lock = threading.Lock()


def _stamp(chain_ids: list[int]) -> tuple:
    """One query: the versions (and parents) of a calendar chain and the imported notices' state."""
    notices = HolidayNotice.objects.order_by()
    rows = ServiceCalendar.objects.filter(pk__in=chain_ids).annotate(
        notices=Subquery(notices.annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]),
        latest=Subquery(notices.order_by("-imported_at", "-pk").values("imported_at")[:1]),
    ).order_by("pk").values_list("pk", "version", "parent_id", "notices", "latest")
    return tuple(rows)


def business_clock(calendar: ServiceCalendar | int) -> BusinessClock:
    """The business clock of a calendar, cached per process until the calendar chain or the notices change.

    A cached clock costs one query to confirm (versions are bumped by every calendar action), at most
    once per FUWU_STANDARDS_CACHE_SECONDS: a change reaches other processes within that time.
    """
    pk = calendar.pk if isinstance(calendar, ServiceCalendar) else calendar
    cached = _clocks.get(pk)
    if cached is not None:
        stamp, clock, confirmed = cached
        if time.monotonic() - confirmed < settings.FUWU_STANDARDS_CACHE_SECONDS:
            return clock
        if _stamp([row[0] for row in stamp]) == stamp:
            _clocks[pk] = (stamp, clock, time.monotonic())
            return clock
    if not isinstance(calendar, ServiceCalendar):
        calendar = ServiceCalendar.objects.get(pk=calendar)
    chain = ancestry(calendar)
    stamp = _stamp([c.pk for c in chain])
    clock = BusinessClock(schedule_for(calendar))
    with _clocks_lock:
        _clocks[pk] = (stamp, clock, time.monotonic())
    return clock


def business_clocks(calendar_ids) -> dict[int, BusinessClock]:
    """The clocks of several calendars, the cached ones confirmed together in one query (a queue page
    shows requests of a handful of calendars; it should not pay a query for each)."""
    ids = set(calendar_ids)
    cached = {pk: _clocks[pk] for pk in ids if pk in _clocks}
    now = time.monotonic()
    stale = {pk for pk, (_stamp_, _clock, confirmed) in cached.items()
             if now - confirmed >= settings.FUWU_STANDARDS_CACHE_SECONDS}
    clocks = {pk: cached[pk][1] for pk in cached if pk not in stale}
    if stale:
        rows = {row[0]: row for row in _stamp(sorted({row[0] for pk in stale for row in cached[pk][0]}))}
        for pk in stale:
            stamp, clock, _confirmed = cached[pk]
            if tuple(rows.get(row[0]) for row in stamp) == stamp:
                _clocks[pk] = (stamp, clock, now)
                clocks[pk] = clock
    for pk in ids - clocks.keys():  # not cached, or changed since: built again
        clocks[pk] = business_clock(pk)
    return clocks


def forget_cached_clocks() -> None:
    """For tests that rewrite calendars underneath the cache."""
    _clocks.clear()
    _statutory_cache.clear()
