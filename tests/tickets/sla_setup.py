"""Builders for the SLA tests: a frozen 'now', a Monday–Friday 9–18 calendar and policies on it."""

import datetime as dt
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

from fuwu.standards.models import CalendarHours, ServiceCalendar, ServiceType, SlaPolicy, SlaTarget

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


@contextmanager
def at(instant: dt.datetime):
    """Every `timezone.now()` in the code under test answers `instant`."""
    with mock.patch("django.utils.timezone.now", return_value=instant):
        yield


def weekday_calendar(code: str = "weekdays_9_18", **fields) -> ServiceCalendar:
    """Monday–Friday 9:00–18:00 with China's statutory holidays and adjusted working days."""
    calendar = ServiceCalendar.objects.create(code=code, name=code, **fields)
    CalendarHours.objects.bulk_create(
        CalendarHours(calendar=calendar, weekday=day, start=dt.time(9), end=dt.time(18)) for day in range(5)
    )
    return calendar


def policy(name: str, calendar: ServiceCalendar, targets: dict[str, int | None], **criteria) -> SlaPolicy:
    """A policy with `{clock: business minutes}`; None means the end of the business day (R10.4)."""
    if isinstance(criteria.get("service_type"), str):
        criteria["service_type"] = ServiceType.objects.get(code=criteria["service_type"])
    created = SlaPolicy.objects.create(name=name, **criteria)
    for kind, minutes in targets.items():
        SlaTarget.objects.create(policy=created, kind=kind, minutes=minutes, end_of_business_day=minutes is None,
                                 calendar=calendar)
    return created
