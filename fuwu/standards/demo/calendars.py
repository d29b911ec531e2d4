"""Demo business calendars (`manage.py seed_demo`, R10.3): a region's service hours inheriting the
company's standard hours with two exceptions, and a holiday duty roster on the 24-hour duty line for
the 2026 National Day holiday (1–7 October) and New Year 2027.

Everything goes through `fuwu.standards.actions.calendars` with `actor=None` (the system), so it is
audited like any other change. Deterministic for a seed; does nothing if the region calendar exists.
"""

import datetime
import random

from fuwu.org.models import Region
from fuwu.org.roles import Role
from fuwu.standards.actions import calendars as actions
from fuwu.standards.models import CalendarException, ServiceCalendar

NATIONAL_DAY_2026 = [datetime.date(2026, 10, 1) + datetime.timedelta(days=n) for n in range(7)]
NEW_YEAR_2027 = [datetime.date(2027, 1, 1) + datetime.timedelta(days=n) for n in range(3)]
DUTY_ROLES = (Role.MANAGER, Role.AGENT, Role.SUPPORT, Role.TECHNICIAN)
# (date, kind, hours, note) on the region's calendar.
REGION_EXCEPTIONS = [
    (datetime.date(2026, 12, 31), CalendarException.Kind.SPECIAL, "08:00-15:00", "年终盘点，提前下班"),
    (datetime.date(2027, 1, 16), CalendarException.Kind.CLOSED, "", "全员安全培训"),
]


def region_calendar_code(region: Region) -> str:
    return f"service_hours_{region.code}"


def seed_calendars(*, regions: list[Region], staff_by_role: dict, seed: int) -> list[ServiceCalendar]:
    """Create the demo calendars and roster; returns the calendars created (none if already there).

    `regions` are the demo regions (the first gets its own calendar); `staff_by_role` maps a role to
    its demo login, as `fuwu.org.demo.seed_staff` returns it.
    """
    if not regions:
        return []
    region = regions[0]
    code = region_calendar_code(region)
    if ServiceCalendar.objects.filter(code=code).exists():
        return []
    standard = ServiceCalendar.objects.get(code="service_hours")
    calendar = actions.calendar_create(actor=None, code=code, data=actions.CalendarInput(
        name=f"{region.name}标准服务时间", name_en=f"{region.code.title()} region service hours",
        parent_id=standard.pk, timezone=standard.timezone,
        description=f"{region.name}区域的服务时间：沿用公司标准服务时间，另有本区域的例外日期。",
    ))
    for day, kind, hours, note in REGION_EXCEPTIONS:
        actions.calendar_add_exception(actor=None, calendar=calendar, date=day, kind=kind, hours=hours, note=note)

    duty_line = ServiceCalendar.objects.get(code="duty_line")
    rng = random.Random(f"calendars-{seed}")
    people = [staff_by_role[role] for role in DUTY_ROLES if role in staff_by_role]
    for day in NATIONAL_DAY_2026 + NEW_YEAR_2027:
        for person, shift in zip(rng.sample(people, k=min(2, len(people))), ("08:00-20:00", "20:00-24:00"),
                                 strict=False):
            profile = getattr(person, "profile", None)
            actions.duty_assign(actor=None, calendar=duty_line, date=day, staff=person, shift=shift,
                                phone=profile.phone if profile else "", note="节假日值班")
    return [calendar]
