"""Business-time arithmetic (R10.3, R10.4; docs/architecture.md, "Time commitments"). Pure Python: no Django import.

A `Schedule` says when a calendar is open: per weekday a few working intervals (lunch breaks) or
round the clock, overridden on dated days (statutory holidays, adjusted working days (调休),
exceptions entered by an administrator). `BusinessClock` answers the two questions the SLA clocks
ask, in that calendar:

- `add(start, duration)`: the instant when `duration` of working time has passed after `start`;
- `between(start, end)`: how much working time lies between two instants.

Both run in O(log n) on a timeline of working intervals as epoch seconds, built a year at a time
and extended on demand. Years whose holiday data is unknown fall back to the weekly schedule and
are named in the result (`missing_years`), so a caller can say "calendar data missing for 2027"
instead of failing.

The SLA clocks of requests (`fuwu.tickets.workflow`) count in integer microseconds since
2000-01-01 UTC (`to_us`, `from_us`): `BusinessClock.add_us`, `between_us` and
`end_of_business_day_us` answer in them, and `MicroClock` answers the same questions from working
intervals laid out once as integers, which the bulk demo loader asks millions of times.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
# Working intervals of one day as minute offsets from local midnight: ((540, 720), (780, 1080)).
Hours = tuple[tuple[int, int], ...]
ROUND_THE_CLOCK: Hours = ((0, MINUTES_PER_DAY),)
CLOSED: Hours = ()
MAX_EMPTY_YEARS = 5  # a schedule with no working time for this long has none at all


class NoWorkingTime(ValueError):
    """The schedule never opens, so no due instant exists."""


class Due(NamedTuple):
    at: datetime
    missing_years: tuple[int, ...]


class Span(NamedTuple):
    duration: timedelta
    missing_years: tuple[int, ...]


def parse_hours(text: str) -> Hours:
    """"09:00-12:00, 13:00-18:00" -> ((540, 720), (780, 1080)); "24:00" is the end of the day.

    Raises ValueError for malformed, empty, reversed or overlapping intervals.
    """
    intervals = []
    for part in text.replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        start_text, sep, end_text = part.replace("–", "-").partition("-")
        if not sep:
            raise ValueError(part)
        intervals.append((_minutes(start_text), _minutes(end_text)))
    return normalise_hours(intervals)


def _minutes(text: str) -> int:
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise ValueError(text)
    value = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or value > MINUTES_PER_DAY:
        raise ValueError(text)
    return value


def normalise_hours(intervals) -> Hours:
    ordered = sorted((int(s), int(e)) for s, e in intervals)
    for (start, end), following in zip(ordered, [*ordered[1:], None], strict=True):
        if not 0 <= start < end <= MINUTES_PER_DAY:
            raise ValueError(f"{start}-{end}")
        if following is not None and following[0] < end:
            raise ValueError(f"{start}-{end} overlaps {following[0]}-{following[1]}")
    return tuple(ordered)


def format_hours(hours: Hours) -> str:
    return ", ".join(f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}" for s, e in hours)


@dataclass(frozen=True)
class Schedule:
    """When a calendar is open. `weekly[0]` is Monday. `days` overrides the weekly hours on a date.

    `covered_years` are the years whose holidays are known; for any other year only the weekly
    hours and the administrator's own exceptions apply, and results name that year as missing.
    A schedule that ignores holidays (a 24×7 duty line) sets `needs_holiday_data` to False.
    """

    timezone: str
    weekly: tuple[Hours, ...]
    days: Mapping[date, Hours] = field(default_factory=dict)
    covered_years: frozenset[int] = frozenset()
    needs_holiday_data: bool = True

    def __post_init__(self):
        if len(self.weekly) != 7:
            raise ValueError("weekly needs seven days, Monday first")

    def hours_on(self, day: date) -> Hours:
        hours = self.days.get(day)
        return self.weekly[day.weekday()] if hours is None else hours

    def is_missing(self, year: int) -> bool:
        return self.needs_holiday_data and year not in self.covered_years


class _Timeline(NamedTuple):
    starts: list[float]  # epoch seconds of each working interval's start, ascending
    ends: list[float]
    before: list[float]  # working seconds from the timeline's origin to each interval's start
    after: list[float]  # ... to each interval's end
    years: list[int]  # local year of each interval
    first_year: int
    last_year: int
    low: float  # epoch seconds of the first year's start
    high: float  # ... of the start of the year after the last


US = 1_000_000  # microseconds per second
_ONE_US = timedelta(microseconds=1)
# PostgreSQL's own epoch: a timestamptz in binary COPY is exactly these microseconds.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def to_us(at: datetime) -> int:
    """An aware instant as integer microseconds since 2000-01-01 UTC."""
    return (at - EPOCH) // _ONE_US


def from_us(us: int) -> datetime:
    """The aware (UTC) instant of `to_us`."""
    return EPOCH + timedelta(microseconds=us)


class BusinessClock:
    """Business-time arithmetic in one schedule. Thread-safe; cheap to keep per calendar."""

    def __init__(self, schedule: Schedule):
        self.schedule = schedule
        self.zone = ZoneInfo(schedule.timezone)
        self._lock = threading.Lock()
        self._timeline: _Timeline | None = None

    # -- the two questions -------------------------------------------------------------------

    def add(self, start: datetime, duration: timedelta) -> Due:
        """The instant when `duration` of working time has passed after `start`.

        A start outside working hours counts from the next opening; a due time that falls on the
        end of a working interval is that end (18:00, not 9:00 the next morning).
        """
        seconds = duration.total_seconds()
        if seconds < 0:
            raise ValueError("duration must not be negative")
        origin = start.timestamp()
        timeline = self._covering(origin, origin)
        target = self._position(timeline, origin) + seconds
        while target > timeline.after[-1]:
            timeline = self._extend_forward(timeline)
            # Positions count from the timeline's first year, which another thread may have moved.
            target = self._position(timeline, origin) + seconds
        index = bisect_left(timeline.after, target)
        due = max(origin, timeline.starts[index] + (target - timeline.before[index]))
        at = datetime.fromtimestamp(due, self.zone)
        return Due(at, self._missing(start, at))

    def between(self, start: datetime, end: datetime) -> Span:
        """Working time from `start` to `end` (negative when `end` is earlier)."""
        a, b = start.timestamp(), end.timestamp()
        timeline = self._covering(min(a, b), max(a, b))
        seconds = self._position(timeline, b) - self._position(timeline, a)
        first, last = (start, end) if a <= b else (end, start)
        return Span(timedelta(seconds=seconds), self._missing(first, last))

    def end_of_business_day(self, start: datetime) -> Due:
        """R10.4 当天事情当天办: the close of the working day `start` falls in, or of the next one
        when `start` is after that day's last working hour."""
        origin = start.timestamp()
        timeline = self._covering(origin, origin)
        index = bisect_right(timeline.ends, origin)
        while index >= len(timeline.ends) or timeline.ends[index] <= timeline.starts[index]:
            # Past the last interval, or on the placeholder of a closed stretch: extend, then look again
            # (a closed year's placeholder is not in the extended timeline, so indexes move).
            timeline = self._extend_forward(timeline)
            index = bisect_right(timeline.ends, origin)
        day = datetime.fromtimestamp(timeline.starts[index], self.zone).date()
        hours = self.schedule.hours_on(day)
        close = _local_instant(day, hours[-1][1], self.zone)
        return Due(close, self._missing(start, close))

    # -- the same questions in integer microseconds (see `to_us`) ------------------------------------

    def add_us(self, start: int, seconds: int) -> tuple[int, tuple[int, ...]]:
        """`add` from and to microseconds: the due instant and the years without holiday data."""
        due = self.add(from_us(start), timedelta(seconds=seconds))
        return to_us(due.at), due.missing_years

    def between_us(self, start: int, end: int) -> int:
        """`between` in microseconds."""
        return self.between(from_us(start), from_us(end)).duration // _ONE_US

    def end_of_business_day_us(self, start: int) -> int:
        return to_us(self.end_of_business_day(from_us(start)).at)

    def is_working(self, instant: datetime) -> bool:
        at = instant.timestamp()
        timeline = self._covering(at, at)
        index = bisect_right(timeline.starts, at) - 1
        return index >= 0 and at < timeline.ends[index]

    # -- the timeline ----------------------------------------------------------------------------

    def _position(self, timeline: _Timeline, at: float) -> float:
        """Working seconds from the timeline's origin to `at`."""
        index = bisect_right(timeline.starts, at) - 1
        if index < 0:
            return 0.0
        return timeline.before[index] + min(at, timeline.ends[index]) - timeline.starts[index]

    def _missing(self, first: datetime, last: datetime) -> tuple[int, ...]:
        if not self.schedule.needs_holiday_data:
            return ()
        years = range(first.astimezone(self.zone).year, last.astimezone(self.zone).year + 1)
        return tuple(y for y in years if self.schedule.is_missing(y))

    def _covering(self, low: float, high: float) -> _Timeline:
        timeline = self._timeline
        if timeline is not None and timeline.low <= low and high < timeline.high:
            return timeline
        low_year = datetime.fromtimestamp(low, self.zone).year
        high_year = datetime.fromtimestamp(high, self.zone).year
        if timeline is not None:
            low_year, high_year = min(low_year, timeline.first_year), max(high_year, timeline.last_year)
        return self._build(low_year, high_year)

    def _extend_forward(self, timeline: _Timeline) -> _Timeline:
        if timeline.last_year - _last_working_year(timeline) >= MAX_EMPTY_YEARS:
            raise NoWorkingTime(self.schedule.timezone)
        return self._build(timeline.first_year, timeline.last_year + 1)

    def _build(self, first_year: int, last_year: int) -> _Timeline:
        with self._lock:
            current = self._timeline
            if current is not None and current.first_year <= first_year and last_year <= current.last_year:
                return current
            starts: list[float] = []
            ends: list[float] = []
            years: list[int] = []
            day = date(first_year, 1, 1)
            stop = date(last_year + 1, 1, 1)
            one_day = timedelta(days=1)
            while day < stop:
                for start_minute, end_minute in self.schedule.hours_on(day):
                    starts.append(_local_instant(day, start_minute, self.zone).timestamp())
                    ends.append(_local_instant(day, end_minute, self.zone).timestamp())
                    years.append(day.year)
                day += one_day
            before, after, total = [], [], 0.0
            for start, end in zip(starts, ends, strict=True):
                before.append(total)
                total += end - start
                after.append(total)
            if not starts:  # a closed stretch: one empty interval keeps the lookups simple
                origin = _year_start(first_year, self.zone)
                starts, ends, before, after, years = [origin], [origin], [0.0], [0.0], [first_year]
            timeline = _Timeline(starts, ends, before, after, years, first_year, last_year,
                                 _year_start(first_year, self.zone), _year_start(last_year + 1, self.zone))
            self._timeline = timeline
            return timeline


def _last_working_year(timeline: _Timeline) -> int:
    for index in range(len(timeline.starts) - 1, -1, -1):
        if timeline.ends[index] > timeline.starts[index]:
            return timeline.years[index]
    return timeline.first_year - 1


def _local_instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    if minute == MINUTES_PER_DAY:
        day, minute = day + timedelta(days=1), 0
    return datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=zone)


def _year_start(year: int, zone: ZoneInfo) -> float:
    return datetime(year, 1, 1, tzinfo=zone).timestamp()


class MicroClock:
    """`BusinessClock.add_us`, `between_us` and `end_of_business_day_us`, on integers laid out once.

    At a million requests, converting instants to datetimes and float seconds was the largest
    cost of the bulk load: this lays the calendar's working intervals out as integer microseconds
    over the years given and answers with integer arithmetic; outside those years the real clock
    answers. The answers are the same to the microsecond (the real clock's float arithmetic errs by
    well under half a microsecond and rounds back); `check_micro_clock` compares both.
    """

    def __init__(self, clock: BusinessClock, first_year: int, last_year: int):
        self.clock = clock
        self.schedule = schedule = clock.schedule
        self.zone = zone = clock.zone
        starts: list[int] = []
        ends: list[int] = []
        closes: list[int] = []  # per interval: the end of its day's last interval
        day, stop = date(first_year, 1, 1), date(last_year + 1, 1, 1)
        while day < stop:
            hours = schedule.hours_on(day)
            if hours:
                close = to_us(_local_instant(day, hours[-1][1], zone))
                for start, end in hours:
                    starts.append(to_us(_local_instant(day, start, zone)))
                    ends.append(to_us(_local_instant(day, end, zone)))
                    closes.append(close)
            day += timedelta(days=1)
        before: list[int] = []
        after: list[int] = []
        total = 0
        for start, end in zip(starts, ends, strict=True):
            before.append(total)
            total += end - start
            after.append(total)
        self.starts, self.ends, self.closes, self.before, self.after = starts, ends, closes, before, after
        self.first_year = first_year
        self.year_starts = [to_us(datetime(y, 1, 1, tzinfo=zone)) for y in range(first_year, last_year + 2)]
        # Outside [low, high), or with no working time in it, the real clock answers.
        self.low, self.high = (self.year_starts[0], self.year_starts[-1]) if starts else (0, 0)
        self.missing_years = {y for y in range(first_year, last_year + 1) if schedule.is_missing(y)}

    def _position(self, at: int) -> int:
        index = bisect_right(self.starts, at) - 1
        if index < 0:
            return 0
        return self.before[index] + min(at, self.ends[index]) - self.starts[index]

    def _missing(self, first: int, last: int) -> tuple[int, ...]:
        if not self.schedule.needs_holiday_data:
            return ()
        if self.low <= first and last < self.high:
            low = bisect_right(self.year_starts, first) - 1 + self.first_year
            high = bisect_right(self.year_starts, last) - 1 + self.first_year
            if low == high:
                return (low,) if low in self.missing_years else ()
        else:
            low, high = from_us(first).astimezone(self.zone).year, from_us(last).astimezone(self.zone).year
        return tuple(y for y in range(low, high + 1) if self.schedule.is_missing(y))

    def add_us(self, start: int, seconds: int) -> tuple[int, tuple[int, ...]]:
        if self.low <= start < self.high:
            target = self._position(start) + seconds * US
            after = self.after
            if target <= after[-1]:
                index = bisect_left(after, target)
                due = max(start, self.starts[index] + target - self.before[index])
                return due, self._missing(start, due)
        return self.clock.add_us(start, seconds)

    def between_us(self, start: int, end: int) -> int:
        if self.low <= start < self.high and self.low <= end < self.high:
            return self._position(end) - self._position(start)
        return self.clock.between_us(start, end)

    def end_of_business_day_us(self, start: int) -> int:
        if self.low <= start < self.high:
            index = bisect_right(self.ends, start)
            if index < len(self.ends):
                return self.closes[index]
        return self.clock.end_of_business_day_us(start)


def check_micro_clock(clock: MicroClock, low: int, high: int) -> None:
    """Compare with the real clock at sample instants in [low, high); a difference raises."""
    real = clock.clock
    at, step = low + 7 * 60 * US + 123_457, 37 * 3600 * US + 60_000_001
    while at < high:
        for seconds in (0, 59, 3600, 4 * 3600 + 1, 3 * 86400):
            if clock.add_us(at, seconds) != real.add_us(at, seconds):
                raise RuntimeError(f"MicroClock.add_us differs from BusinessClock's at {from_us(at)}.")
        for span in (0, 3 * 3600 * US + 17, 2 * 86400 * US + 1):
            if clock.between_us(at, at + span) != real.between_us(at, at + span):
                raise RuntimeError(f"MicroClock.between_us differs from BusinessClock's at {from_us(at)}.")
        if clock.end_of_business_day_us(at) != real.end_of_business_day_us(at):
            raise RuntimeError(f"MicroClock.end_of_business_day_us differs at {from_us(at)}.")
        at += step
