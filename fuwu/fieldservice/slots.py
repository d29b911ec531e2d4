"""Appointment slots a technician can offer (R4.5): their working calendar minus what is booked,
with a travel buffer around each booking. Pure, like `fuwu/standards/businesstime.py`: a schedule,
bookings and instants in, slots out; `fuwu/fieldservice/selectors.py` loads the rows.
"""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from fuwu.standards.businesstime import Schedule


class Slot(NamedTuple):
    start: datetime
    end: datetime


def _overlaps(a: Slot, b: Slot) -> bool:
    return a.start < b.end and b.start < a.end


def free_slots(
    schedule: Schedule,
    *,
    first_day: date,
    days: int,
    bookings: Iterable[tuple[datetime, datetime]],
    length: timedelta,
    buffer: timedelta,
    not_before: datetime,
    step: timedelta = timedelta(minutes=30),
) -> Iterator[Slot]:
    """Slots of `length` within the working hours of each day from `first_day`, none starting before
    `not_before`, none within `buffer` of a booking (the journey between two sites). Holidays are
    closed and adjusted working days (调休) open, as the schedule says; a slot never spans a break."""
    zone = ZoneInfo(schedule.timezone)
    blocked = [Slot(start - buffer, end + buffer) for start, end in bookings]
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        midnight = datetime.combine(day, time.min, tzinfo=zone)
        for open_minute, close_minute in schedule.hours_on(day):
            cursor = midnight + timedelta(minutes=open_minute)
            close = midnight + timedelta(minutes=close_minute)
            while cursor + length <= close:
                slot = Slot(cursor, cursor + length)
                clash = next((b for b in blocked if _overlaps(slot, b)), None)
                if slot.start < not_before:
                    cursor += step
                elif clash is not None:
                    cursor = max(cursor + step, _next_step(cursor, clash.end, step))
                else:
                    yield slot
                    cursor += length


def _next_step(cursor: datetime, free_from: datetime, step: timedelta) -> datetime:
    """The first instant on the cursor's grid at or after `free_from`."""
    steps = -(-(free_from - cursor) // step)
    return cursor + steps * step


def clashes(slot: Slot, bookings: Iterable[tuple[datetime, datetime]], buffer: timedelta) -> bool:
    """Whether `slot` falls within `buffer` of any of the bookings (a double booking)."""
    return any(_overlaps(slot, Slot(start - buffer, end + buffer)) for start, end in bookings)
