"""Business calendars API (R10.3), mounted at /api/v1/calendars: read the calendars and ask their
business clocks when a duration of working time ends, or how much working time lies between two
instants. A year without holiday data falls back to the weekly hours and is named in the answer.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Query, Router, Schema

from fuwu.core.errors import InvalidInput
from fuwu.org.policy import Perm, require
from fuwu.standards.businesstime import NoWorkingTime
from fuwu.standards.calendars import business_clock
from fuwu.standards.codes import StandardsError
from fuwu.standards.selectors.calendars import access_calendar, calendar_overview, calendars_visible_to

router = Router(tags=["calendars"])

MAX_HOURS = 20_000  # about ten years of office hours: enough for any time limit
MAX_SPAN_DAYS = 3660


class CalendarOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    parent_id: int | None
    timezone: str
    is_24x7: bool
    observes_statutory_holidays: bool
    is_active: bool
    version: int


class ExceptionOut(Schema):
    id: int
    calendar_id: int
    date: datetime.date
    kind: str
    hours: str
    note: str
    is_active: bool


class CalendarDetailOut(CalendarOut):
    description: str
    weekly_hours: list[str]  # Monday first; "" is closed
    hours_inherited_from: int | None
    exceptions: list[ExceptionOut]  # from 30 days back, this calendar's and its ancestors'


class DueOut(Schema):
    calendar: int
    start: datetime.datetime
    due: datetime.datetime
    hours: float
    calendar_data_missing: list[int]
    message: str | None


class SpanOut(Schema):
    calendar: int
    start: datetime.datetime
    end: datetime.datetime
    seconds: float
    hours: float
    calendar_data_missing: list[int]
    message: str | None


class DueParams(Schema):
    start: str
    hours: str = ""  # numbers, read by `_number` so a bad one is reported under its own name
    minutes: str = ""


class SpanParams(Schema):
    start: str
    end: str


FIRST_YEAR, LAST_YEAR = 1970, 2200


def _instant(value: str, field: str, zone: ZoneInfo) -> datetime.datetime:
    """An ISO 8601 instant; without an offset it is read in the calendar's time zone."""
    try:
        parsed = parse_datetime(value.strip().replace(" ", "T", 1))
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidInput(errors={field: [_("Give a date and time in ISO 8601, such as 2026-09-30T17:00:00+08:00.")]})
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:  # business time far outside any calendar is meaningless
        raise InvalidInput(errors={field: [_("Give a date between the years %(first)d and %(last)d.")
                                           % {"first": FIRST_YEAR, "last": LAST_YEAR}]})
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(zone)


def _number(value: str, field: str) -> float | None:
    if not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not 0 <= number <= MAX_HOURS * (60 if field == "minutes" else 1):
        raise InvalidInput(errors={field: [_("Give a duration from 0 to %(max)s hours.") % {"max": MAX_HOURS}]})
    return number


def _missing_message(years) -> str | None:
    if not years:
        return None
    listed = ", ".join(str(y) for y in years)
    return ngettext(
        "Calendar data missing for %(years)s: its holidays are unknown, so only the weekly hours were used.",
        "Calendar data missing for %(years)s: their holidays are unknown, so only the weekly hours were used.",
        len(years),
    ) % {"years": listed}


@router.get("", response=list[CalendarOut], summary="List business calendars")
def calendar_list(request):
    require(request.auth, Perm.STANDARDS_VIEW)
    return list(calendars_visible_to(request.auth))


@router.get("/{calendar_id}", response=CalendarDetailOut, summary="One business calendar with its weekly hours")
def calendar_detail(request, calendar_id: int):
    calendar = access_calendar(request.auth, calendar_id)
    overview = calendar_overview(calendar, since=timezone.localdate() - datetime.timedelta(days=30))
    source = overview["hours_inherited_from"]
    return {
        **CalendarOut.model_validate(calendar).model_dump(),
        "description": calendar.description,
        "weekly_hours": [text for _day, text in overview["week"]],
        "hours_inherited_from": source.pk if source else None,
        "exceptions": overview["exceptions"],
    }


@router.get("/{calendar_id}/business-time", response=DueOut,
            summary="When a duration of working time after `start` ends (hours= or minutes=)")
def business_time_add(request, calendar_id: int, params: Query[DueParams]):
    calendar = access_calendar(request.auth, calendar_id)
    clock = business_clock(calendar)
    start = _instant(params.start, "start", clock.zone)
    given_hours, given_minutes = _number(params.hours, "hours"), _number(params.minutes, "minutes")
    if given_hours is None and given_minutes is None:
        raise InvalidInput(errors={"hours": [_("Give hours= or minutes=.")]})
    hours = (given_hours or 0) + (given_minutes or 0) / 60
    if hours > MAX_HOURS:
        raise InvalidInput(errors={"hours": [_("Give a duration from 0 to %(max)s hours.") % {"max": MAX_HOURS}]})
    try:
        due = clock.add(start, datetime.timedelta(hours=hours))
    except NoWorkingTime:
        raise InvalidInput(code=StandardsError.NO_WORKING_TIME, errors={"calendar": [
            _("This calendar has no working time at all.")]}) from None
    return {"calendar": calendar.pk, "start": start, "due": due.at, "hours": hours,
            "calendar_data_missing": list(due.missing_years), "message": _missing_message(due.missing_years)}


@router.get("/{calendar_id}/business-time/between", response=SpanOut,
            summary="Working time between two instants (negative when `end` is earlier)")
def business_time_between(request, calendar_id: int, params: Query[SpanParams]):
    calendar = access_calendar(request.auth, calendar_id)
    clock = business_clock(calendar)
    start, end = _instant(params.start, "start", clock.zone), _instant(params.end, "end", clock.zone)
    if abs(end - start) > datetime.timedelta(days=MAX_SPAN_DAYS):
        raise InvalidInput(errors={"end": [_("Ask about at most ten years at a time.")]})
    span = clock.between(start, end)
    seconds = span.duration.total_seconds()
    return {"calendar": calendar.pk, "start": start, "end": end, "seconds": seconds, "hours": seconds / 3600,
            "calendar_data_missing": list(span.missing_years), "message": _missing_message(span.missing_years)}
