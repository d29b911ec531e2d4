"""Reads of business calendars (R10.3): the calendars a viewer may see, a month as a grid of days
(working day, weekend, statutory holiday, adjusted working day 调休, exceptions, duty people), and
the years whose holiday data is missing.
"""

from __future__ import annotations

import calendar as gregorian
import datetime
from dataclasses import dataclass, field

import chinese_calendar.constants as statutory_package
from django.db.models import QuerySet, TextChoices
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fuwu.core.errors import NotFound
from fuwu.org.policy import Perm, can, require
from fuwu.standards.businesstime import format_hours
from fuwu.standards.calendars import HOLIDAY, ancestry, business_clock, statutory_days, weekly_hours
from fuwu.standards.models import CalendarException, DutyAssignment, HolidayNotice, ServiceCalendar

WARNING_HORIZON_DAYS = 60

# Holiday names in both languages. The package writes them in English; a notice may use either
# language, and either the short or the long Chinese form (清明 / 清明节).
_CHINESE_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
}
_HOLIDAY_NAMES: dict[str, tuple[str, str]] = {}  # {any spelling: (中文, English)}
for _holiday in statutory_package.Holiday:
    _names = (_CHINESE_NAMES.get(_holiday.value, _holiday.chinese), _holiday.value)
    for _spelling in {_holiday.value, _holiday.chinese, _names[0], _holiday.chinese.removesuffix("节")}:
        _HOLIDAY_NAMES[_spelling] = _names


def holiday_label(name: str) -> str:
    """A holiday's name in the current language (国庆节 / National Day); unknown names as written."""
    chinese, english = _HOLIDAY_NAMES.get(name.strip(), (name, name))
    return chinese if (translation.get_language() or "zh").startswith("zh") else english


class DayKind(TextChoices):
    WORKING = "working", gettext_lazy("Working day")
    WEEKEND = "weekend", gettext_lazy("Weekend")
    HOLIDAY = "holiday", gettext_lazy("Statutory holiday")
    ADJUSTED_WORKDAY = "adjusted_workday", gettext_lazy("Adjusted working day (调休)")
    EXCEPTION_CLOSED = "exception_closed", gettext_lazy("Closed (exception)")
    EXCEPTION_SPECIAL = "exception_special", gettext_lazy("Special hours (exception)")
    EXCEPTION_WORKING = "exception_working", gettext_lazy("Working day (exception)")


_EXCEPTION_KINDS = {
    CalendarException.Kind.CLOSED: DayKind.EXCEPTION_CLOSED,
    CalendarException.Kind.SPECIAL: DayKind.EXCEPTION_SPECIAL,
    CalendarException.Kind.WORKING: DayKind.EXCEPTION_WORKING,
}


# --- Access -------------------------------------------------------------------------------------


def calendars_visible_to(viewer) -> QuerySet[ServiceCalendar]:
    """Every calendar for staff who may read the standards; nothing for anyone else."""
    if not can(viewer, Perm.STANDARDS_VIEW):
        return ServiceCalendar.objects.none()
    return ServiceCalendar.objects.select_related("parent").order_by("-is_active", "code")


def access_calendar(viewer, calendar_id, *, for_write: bool = False) -> ServiceCalendar:
    """One calendar the viewer may see (and, with for_write, change), or raise."""
    require(viewer, Perm.STANDARDS_MANAGE if for_write else Perm.STANDARDS_VIEW)
    try:
        return calendars_visible_to(viewer).get(pk=calendar_id)
    except (ServiceCalendar.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def access_exception(calendar: ServiceCalendar, exception_id) -> CalendarException:
    try:
        return calendar.exceptions.get(pk=exception_id)
    except (CalendarException.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def access_duty(calendar: ServiceCalendar, assignment_id) -> DutyAssignment:
    try:
        return calendar.duty.select_related("staff").get(pk=assignment_id)
    except (DutyAssignment.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- A month --------------------------------------------------------------------------------------


@dataclass
class Day:
    date: datetime.date
    kind: DayKind
    hours: str  # "09:00-12:00, 13:00-18:00", "" when closed
    holiday: str = ""  # the statutory holiday's name in the current language, also on its 调休 days
    exception: CalendarException | None = None
    inherited_exception: bool = False  # the exception is the parent's
    duty: list[DutyAssignment] = field(default_factory=list)
    in_month: bool = True
    is_today: bool = False
    data_missing: bool = False  # the year's holidays are unknown: weekly hours only

    @property
    def label(self) -> str:
        return str(self.kind.label)


@dataclass
class Month:
    calendar: ServiceCalendar
    year: int
    month: int
    weeks: list[list[Day]]
    missing_years: list[int]  # years shown whose holiday data is missing (observing calendars only)

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def previous(self) -> datetime.date:
        return (self.first - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> datetime.date:
        return (self.first + datetime.timedelta(days=31)).replace(day=1)

    @property
    def kinds(self) -> list[DayKind]:
        """The legend: every kind of day, in a fixed order."""
        return list(DayKind)

    @property
    def data_missing(self) -> bool:
        return self.year in self.missing_years


def effective_exceptions(calendar: ServiceCalendar, first: datetime.date, last: datetime.date,
                         chain: list[ServiceCalendar] | None = None) -> dict[datetime.date, CalendarException]:
    """The active exception that applies on each date: the nearest calendar's (a child's beats its parent's)."""
    chain = chain or ancestry(calendar)
    depth = {c.pk: index for index, c in enumerate(chain)}
    found: dict[datetime.date, CalendarException] = {}
    rows = CalendarException.objects.filter(calendar__in=chain, is_active=True, date__range=(first, last))
    for exception in sorted(rows, key=lambda e: depth[e.calendar_id]):
        found[exception.date] = exception
    return found


def calendar_month(calendar: ServiceCalendar, year: int, month: int, *, today: datetime.date | None = None) -> Month:
    """The month as weeks of seven days, Monday first, with the neighbouring months' days to fill them."""
    weeks_of_dates = gregorian.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks_of_dates[0][0], weeks_of_dates[-1][-1]
    chain = ancestry(calendar)
    schedule = business_clock(calendar).schedule
    weekly = weekly_hours(chain)
    statutory, covered = statutory_days()
    exceptions = effective_exceptions(calendar, first, last, chain)
    duty: dict[datetime.date, list[DutyAssignment]] = {}
    for assignment in (DutyAssignment.objects.filter(calendar=calendar, is_active=True, date__range=(first, last))
                       .select_related("staff").order_by("date", "shift", "pk")):
        duty.setdefault(assignment.date, []).append(assignment)
    observes = calendar.observes_statutory_holidays
    missing = sorted({d.year for d in (first, last) if observes and d.year not in covered})
    weeks = []
    for dates in weeks_of_dates:
        week = []
        for day in dates:
            kind_name = statutory.get(day)
            exception = exceptions.get(day)
            if exception is not None:
                kind = _EXCEPTION_KINDS[exception.kind]
            elif observes and kind_name is not None:
                kind = DayKind.HOLIDAY if kind_name[0] == HOLIDAY else DayKind.ADJUSTED_WORKDAY
            elif not weekly[day.weekday()]:
                kind = DayKind.WEEKEND
            else:
                kind = DayKind.WORKING
            week.append(Day(
                date=day, kind=kind, hours=format_hours(schedule.hours_on(day)),
                holiday=holiday_label(kind_name[1]) if kind_name else "",
                exception=exception, inherited_exception=exception is not None and exception.calendar_id != calendar.pk,
                duty=duty.get(day, []), in_month=day.month == month, is_today=day == today,
                data_missing=day.year in missing,
            ))
        weeks.append(week)
    return Month(calendar=calendar, year=year, month=month, weeks=weeks, missing_years=missing)


# --- The calendar page's other panels ----------------------------------------------------------------


def calendar_overview(calendar: ServiceCalendar, *, since: datetime.date) -> dict:
    """Weekly hours (own or inherited), the exceptions (its own and its ancestors') and the duty roster
    from `since` on, and the calendars that inherit from this one."""
    chain = ancestry(calendar)
    own_rows = calendar.hours.exists()
    source = next((c for c in reversed(chain) if c.is_24x7 or c.hours.exists()), None)
    week = weekly_hours(chain)
    return {
        "chain": chain,
        "week": [(index, format_hours(hours)) for index, hours in enumerate(week)],
        "hours_inherited_from": None if own_rows or source is calendar else source,
        "exceptions": list(CalendarException.objects.filter(calendar__in=chain, date__gte=since)
                           .select_related("calendar", "created_by").order_by("date", "-is_active", "pk")[:100]),
        "duty": list(DutyAssignment.objects.filter(calendar=calendar, date__gte=since)
                     .select_related("staff").order_by("date", "-is_active", "shift", "pk")[:100]),
        "children": list(calendar.children.order_by("code")),
    }


# --- Missing holiday data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDataWarning:
    year: int
    calendars: list[str]  # names of the active calendars that observe statutory holidays

    @property
    def message(self) -> str:
        return _("Calendar data missing for %(year)s: import the State Council's holiday notice") % {
            "year": self.year}


def calendar_data_warnings(today: datetime.date, *, horizon_days: int = WARNING_HORIZON_DAYS
                           ) -> list[CalendarDataWarning]:
    """Years without holiday data that fall within the next `horizon_days` (from 2026-11-02 on, 2027)
    for calendars that observe statutory holidays (R10.3)."""
    observing = [str(c) for c in ServiceCalendar.objects.filter(is_active=True, observes_statutory_holidays=True)]
    if not observing:
        return []
    _days, covered = statutory_days()
    end = today + datetime.timedelta(days=horizon_days)
    return [CalendarDataWarning(year, observing) for year in range(today.year, end.year + 1) if year not in covered]


def holiday_notices() -> QuerySet[HolidayNotice]:
    return HolidayNotice.objects.select_related("imported_by").order_by("-year")
