"""A calendar's business clock in int microseconds: `BusinessClock`'s answers, without its datetimes.

`fuwu.standards.businesstime.BusinessClock` takes aware datetimes, works in float seconds and names
the missing holiday years on every call; at a million requests those conversions were the largest
cost of the load. `MicroClock` lays the calendar's working intervals out once, as int microseconds
over the years the simulation spans, and answers with integer arithmetic; outside those years it
asks the real clock. The answers are the same to the microsecond: the real clock's float arithmetic
errs by well under half a microsecond and rounds back to the exact value. `check` compares both on
sample instants when the clocks are made.
"""

from bisect import bisect_left, bisect_right
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from fuwu.standards.businesstime import MINUTES_PER_DAY, BusinessClock
from fuwu.tickets.scale.instants import DAY, MINUTE, US, from_us, to_us


def _local_us(day: date, minute: int, zone: ZoneInfo) -> int:
    """`businesstime._local_instant`, in microseconds."""
    if minute == MINUTES_PER_DAY:
        day, minute = day + timedelta(days=1), 0
    return to_us(datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=zone))


class MicroClock:
    """`add`, `between` and `end_of_business_day` of one calendar, on int microseconds."""

    def __init__(self, clock: BusinessClock, first_year: int, last_year: int):
        self.clock = clock
        self.schedule = schedule = clock.schedule
        self.zone = zone = ZoneInfo(schedule.timezone)
        starts: list[int] = []
        ends: list[int] = []
        closes: list[int] = []  # per interval: the end of its day's last interval
        day, stop = date(first_year, 1, 1), date(last_year + 1, 1, 1)
        while day < stop:
            hours = schedule.hours_on(day)
            if hours:
                close = _local_us(day, hours[-1][1], zone)
                for start, end in hours:
                    starts.append(_local_us(day, start, zone))
                    ends.append(_local_us(day, end, zone))
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
        self.year_starts = [_local_us(date(y, 1, 1), 0, zone) for y in range(first_year, last_year + 2)]
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

    def add(self, start: int, seconds: int) -> tuple[int, tuple[int, ...]]:
        """The instant `seconds` of working time after `start`, and the years without holiday data."""
        if self.low <= start < self.high:
            target = self._position(start) + seconds * US
            after = self.after
            if target <= after[-1]:
                index = bisect_left(after, target)
                due = max(start, self.starts[index] + target - self.before[index])
                return due, self._missing(start, due)
        due = self.clock.add(from_us(start), timedelta(seconds=seconds))
        return to_us(due.at), due.missing_years

    def between(self, start: int, end: int) -> int:
        """Working microseconds from `start` to `end`."""
        if self.low <= start < self.high and self.low <= end < self.high:
            return self._position(end) - self._position(start)
        return self.clock.between(from_us(start), from_us(end)).duration // timedelta(microseconds=1)

    def end_of_business_day(self, start: int) -> int:
        if self.low <= start < self.high:
            index = bisect_right(self.ends, start)
            if index < len(self.ends):
                return self.closes[index]
        return to_us(self.clock.end_of_business_day(from_us(start)).at)


def check(clock: MicroClock, low: int, high: int) -> None:
    """Compare with the real clock at sample instants in [low, high); a difference stops the load."""
    at, step = low + 7 * MINUTE + 123_457, 37 * 3600 * US + 60_000_001
    while at < high:
        for seconds in (0, 59, 3600, 4 * 3600 + 1, 3 * 86400):
            due = clock.clock.add(from_us(at), timedelta(seconds=seconds))
            ours = clock.add(at, seconds)
            if ours != (to_us(due.at), due.missing_years):
                raise RuntimeError(f"MicroClock.add differs from BusinessClock.add at {from_us(at)}: update it.")
        for span in (0, 3 * 3600 * US + 17, 2 * DAY + 1):
            theirs = clock.clock.between(from_us(at), from_us(at + span)).duration // timedelta(microseconds=1)
            if clock.between(at, at + span) != theirs:
                raise RuntimeError(f"MicroClock.between differs from BusinessClock's at {from_us(at)}: update it.")
        if clock.end_of_business_day(at) != to_us(clock.clock.end_of_business_day(from_us(at)).at):
            raise RuntimeError(f"MicroClock.end_of_business_day differs at {from_us(at)}: update it.")
        at += step
