"""The technicians' booked visits during the year's load, and where a visit can go.

The rules are `fuwu.fieldservice.slots` and `fuwu.fieldservice.dispatch`'s: two-hour windows on the
half-hour grid of the field calendar's working hours, none within the travel buffer of another
booking of the same technician. Every window given out here stays booked for the whole load
(a declined visit's too), so no technician is ever booked twice, whatever the order the work
orders are planned in.
"""

from bisect import bisect_left, insort
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fuwu.fieldservice.dispatch import SLOT_LENGTH, TRAVEL_BUFFER
from fuwu.fieldservice.slots import Slot, clashes, free_slots
from fuwu.standards.businesstime import Schedule, from_us, to_us

MINUTE = 60_000_000
GRID = 30 * MINUTE  # `free_slots`' step
LENGTH = int(SLOT_LENGTH.total_seconds()) * 1_000_000
BUFFER = int(TRAVEL_BUFFER.total_seconds()) * 1_000_000


class Calendars:
    """Per technician, the windows booked so far (microsecond pairs, sorted)."""

    def __init__(self, schedule: Schedule):
        self.schedule = schedule
        self.zone = ZoneInfo(schedule.timezone)
        self.booked: dict[int, list[tuple[int, int]]] = {}

    def _near(self, technician: int, start: int, end: int) -> list[tuple[datetime, datetime]]:
        """The technician's bookings that could clash with [start, end), as datetimes."""
        taken = self.booked.get(technician, [])
        low = bisect_left(taken, (start - BUFFER - 2 * LENGTH,))
        high = bisect_left(taken, (end + BUFFER + 1,))
        return [(from_us(a), from_us(b)) for a, b in taken[low:high]]

    def fits(self, technician: int, start: int, end: int) -> bool:
        return not clashes(Slot(from_us(start), from_us(end)), self._near(technician, start, end), TRAVEL_BUFFER)

    def book(self, technician: int, start: int, end: int) -> None:
        insort(self.booked.setdefault(technician, []), (start, end))

    def grid_window(self, start: int) -> tuple[int, int] | None:
        """The window starting at `start` if it is one the calendar offers (on the grid, within the hours)."""
        local = from_us(start).astimezone(self.zone)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        minute = (local - midnight) // timedelta(minutes=1)
        if local.second or local.microsecond:
            return None
        length = LENGTH // MINUTE
        for open_minute, close_minute in self.schedule.hours_on(local.date()):
            if open_minute <= minute and minute + length <= close_minute and (minute - open_minute) % 30 == 0:
                return start, start + LENGTH
        return None

    def grid_start_before(self, instant: int) -> int | None:
        """The last grid start at or before `instant` on its working day, or None outside the hours."""
        local = from_us(instant).astimezone(self.zone)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        minute = (local - midnight) / timedelta(minutes=1)
        for open_minute, close_minute in self.schedule.hours_on(local.date()):
            if open_minute <= minute < close_minute:
                return to_us(midnight + timedelta(minutes=open_minute + (minute - open_minute) // 30 * 30))
        return None

    def first_free(self, technician: int, *, not_before: int, until: int) -> tuple[int, int] | None:
        """The technician's first free window starting at or after `not_before` and ending by `until`."""
        if until - not_before < LENGTH:
            return None
        first = from_us(not_before).astimezone(self.zone)
        days = (from_us(until).astimezone(self.zone).date() - first.date()).days + 1
        taken = self._near(technician, not_before, until)
        for slot in free_slots(self.schedule, first_day=first.date(), days=days, bookings=taken, length=SLOT_LENGTH,
                               buffer=TRAVEL_BUFFER, not_before=first):
            start, end = to_us(slot.start), to_us(slot.end)
            if end > until:
                return None
            return start, end
        return None
