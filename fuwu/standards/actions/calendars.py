"""Every change to business calendars and holiday duty rosters (R10.3).

Keyword-only, the acting user first (`None` is the system: setup, demo data, command line), one
transaction, `Perm.STANDARDS_MANAGE`, an audit event in the same transaction. Any change to a
calendar, its hours or its exceptions bumps `version` on that calendar and all its descendants,
so cached business clocks (`fuwu.standards.calendars.business_clock`) are rebuilt. Nothing here is
ever deleted except a weekday's working intervals, which a new set replaces (old and new are in the
audit event); exceptions and duty assignments are withdrawn (R4.9). Holiday notices are imported by
`fuwu.standards.actions.holidays` (re-exported here).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput
from fuwu.core.locking import bump_version, lock_row
from fuwu.core.outbox import outbox_notify
from fuwu.org.policy import Perm, is_staff_member, require
from fuwu.standards.actions.holidays import HolidayRow, calendar_data_notify_missing, holiday_notice_import
from fuwu.standards.businesstime import MINUTES_PER_DAY, Hours, format_hours, parse_hours
from fuwu.standards.calendars import ancestry, weekly_hours
from fuwu.standards.codes import StandardsAction
from fuwu.standards.models import (
    CalendarException,
    CalendarHours,
    DutyAssignment,
    ServiceCalendar,
)

__all__ = [
    "CalendarInput",
    "HolidayRow",
    "calendar_add_exception",
    "calendar_create",
    "calendar_data_notify_missing",
    "calendar_set_weekly_hours",
    "calendar_update",
    "calendar_withdraw_exception",
    "duty_assign",
    "duty_withdraw",
    "holiday_notice_import",
]

WEEKDAYS = range(7)


def _allowed(actor) -> None:
    if actor is not None:
        require(actor, Perm.STANDARDS_MANAGE)


# --- Versions and locking --------------------------------------------------------------------


def descendant_ids(calendar: ServiceCalendar) -> list[int]:
    """Every calendar below this one (children, their children, …); calendars are few."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in ServiceCalendar.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, frontier = [], [calendar.pk]
    while frontier:
        below = [pk for parent in frontier for pk in children.get(parent, []) if pk not in found]
        found.extend(below)
        frontier = below
    return found


def _bump(calendar: ServiceCalendar, *fields: str) -> None:
    """Count one change of the (locked) calendar, saving `fields` with it, and of every calendar below
    it, so the cached business clocks of the whole chain are rebuilt."""
    bump_version(calendar, *fields)
    ServiceCalendar.objects.filter(pk__in=descendant_ids(calendar)).update(version=F("version") + 1)


def _lock(calendar: ServiceCalendar, expected_version: int | None) -> ServiceCalendar:
    return lock_row(ServiceCalendar.objects, calendar.pk, expected_version=expected_version)


# --- Validation ---------------------------------------------------------------------------------


def _parts(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


def hours_problem(text: str) -> str | None:
    """A translated explanation of what is wrong with hours written as "09:00-12:00, 13:00-18:00"."""
    try:
        parse_hours(text)
    except ValueError:
        pass
    else:
        return None
    for part in _parts(text):
        try:
            parse_hours(part)
        except ValueError:
            return _("“%(part)s” is not a time range such as 09:00-12:00 (from an earlier to a later time of "
                     "the same day; 24:00 is midnight at its end).") % {"part": part}
    if not _parts(text):
        return _("Give the hours, for example 09:00-12:00.")
    return _("The time ranges overlap. Write each range once, for example 09:00-12:00, 13:00-18:00.")


def clean_hours(text: str, field: str, errors: dict[str, list[str]]) -> Hours:
    """The hours in `text`; blank is closed (no hours). Problems are added to `errors[field]`."""
    if not _parts(text):
        return ()
    problem = hours_problem(text)
    if problem:
        errors.setdefault(field, []).append(problem)
        return ()
    return parse_hours(text)


@dataclass
class CalendarInput:
    """The settings of a calendar, as a form or the admin gives them."""

    name: str
    name_en: str = ""
    parent_id: int | None = None
    timezone: str = "Asia/Shanghai"
    is_24x7: bool = False
    observes_statutory_holidays: bool = True
    description: str = ""


def _clean_calendar(data: CalendarInput, errors: dict[str, list[str]], calendar: ServiceCalendar | None) -> None:
    data.name, data.name_en, data.description = data.name.strip(), data.name_en.strip(), data.description.strip()
    data.timezone = data.timezone.strip()
    if not data.name:
        errors["name"] = [_("Give the calendar a name.")]
    try:
        ZoneInfo(data.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = [_("“%(zone)s” is not a known time zone, such as Asia/Shanghai.")
                              % {"zone": data.timezone}]
    if data.parent_id is None:
        return
    parent = ServiceCalendar.objects.filter(pk=data.parent_id).first()
    if parent is None:
        errors["parent"] = [_("Choose an existing calendar.")]
    elif calendar is not None and calendar.pk in {c.pk for c in ancestry(parent)}:
        errors["parent"] = [_("A calendar cannot inherit from itself or from one of its own descendants.")]


def check_calendar_settings(data: CalendarInput, calendar: ServiceCalendar | None = None) -> None:
    """Raise InvalidInput for bad settings (used by the actions and the admin's form)."""
    errors: dict[str, list[str]] = {}
    _clean_calendar(data, errors, calendar)
    if errors:
        raise InvalidInput(errors=errors)


# --- Calendars ----------------------------------------------------------------------------------


@transaction.atomic
def calendar_create(*, actor, code: str, data: CalendarInput) -> ServiceCalendar:
    """A new business calendar (R10.3), e.g. a region's service hours inheriting the company's."""
    _allowed(actor)
    errors: dict[str, list[str]] = {}
    code = code.strip()
    try:
        validate_slug(code)
    except Exception:
        errors["code"] = [_("Use letters, digits, hyphens and underscores only.")]
    else:
        if ServiceCalendar.objects.filter(code=code).exists():
            errors["code"] = [_("A calendar with this code already exists.")]
    _clean_calendar(data, errors, None)
    if errors:
        raise InvalidInput(errors=errors)
    calendar = ServiceCalendar.objects.create(code=code, **asdict(data))
    audit_record(actor=actor, action=StandardsAction.CALENDAR_CREATED, obj=calendar,
                 payload={"code": code, "new": asdict(data)})
    return calendar


@transaction.atomic
def calendar_update(*, actor, calendar: ServiceCalendar, expected_version: int | None,
                    data: CalendarInput, is_active: bool | None = None) -> ServiceCalendar:
    """Change a calendar's settings, and with `is_active` whether it is offered (None: as it is);
    a stale `expected_version` is a conflict, never an overwrite."""
    _allowed(actor)
    locked = _lock(calendar, expected_version)
    check_calendar_settings(data, locked)
    new = asdict(data) | ({} if is_active is None else {"is_active": is_active})
    old = {name: getattr(locked, name) for name in new if getattr(locked, name) != new[name]}
    if not old:
        return locked
    for name in old:
        setattr(locked, name, new[name])
    _bump(locked, *old)
    audit_record(actor=actor, action=StandardsAction.CALENDAR_UPDATED, obj=locked,
                 payload={"old": old, "new": {name: new[name] for name in old}})
    return locked


def _own_week(calendar: ServiceCalendar) -> dict[int, Hours]:
    rows = calendar.hours.order_by("weekday", "start").values_list("weekday", "start", "end")
    week: dict[int, list[tuple[int, int]]] = {}
    for weekday, start, end in rows:
        end_minute = end.hour * 60 + end.minute or MINUTES_PER_DAY  # 00:00 as an end is midnight
        week.setdefault(weekday, []).append((start.hour * 60 + start.minute, end_minute))
    return {day: tuple(week[day]) for day in week}


def _as_time(minute: int) -> datetime.time:
    return datetime.time(0, 0) if minute == MINUTES_PER_DAY else datetime.time(minute // 60, minute % 60)


@transaction.atomic
def calendar_set_weekly_hours(*, actor, calendar: ServiceCalendar, hours: Mapping[int, str],
                              expected_version: int | None = None) -> ServiceCalendar:
    """Replace the working intervals of the given weekdays (0 = Monday) with `hours` text such as
    "09:00-12:00, 13:00-18:00"; a blank text closes that weekday (R10.3).

    A calendar inheriting its week from its parent takes a copy of that week first, so changing
    Monday does not close Tuesday to Sunday. Errors are keyed `hours_<weekday>`.
    """
    _allowed(actor)
    locked = _lock(calendar, expected_version)
    errors: dict[str, list[str]] = {}
    parsed: dict[int, Hours] = {}
    for weekday, text in hours.items():
        if weekday not in WEEKDAYS:
            errors[f"hours_{weekday}"] = [_("Not a day of the week.")]
            continue
        parsed[weekday] = clean_hours(text or "", f"hours_{weekday}", errors)
    if errors:
        raise InvalidInput(errors=errors)
    own = _own_week(locked)
    # Without a week of its own, the calendar follows its parent's (weekly_hours of the ancestors).
    current = own if own else dict(enumerate(weekly_hours(ancestry(locked)[:-1])))
    week = {day: parsed.get(day, current.get(day, ())) for day in WEEKDAYS}
    if not any(week.values()):
        raise InvalidInput(errors={f"hours_{min(parsed, default=0)}": [
            _("A calendar needs working hours on at least one day of the week. To close on particular dates, "
              "add exceptions.")]})
    changed = [day for day in WEEKDAYS if week[day] != own.get(day, ())]
    if not changed:
        return locked
    CalendarHours.objects.filter(calendar=locked, weekday__in=changed).delete()
    CalendarHours.objects.bulk_create(
        CalendarHours(calendar=locked, weekday=day, start=_as_time(start), end=_as_time(end))
        for day in changed for start, end in week[day]
    )
    _bump(locked)
    audit_record(actor=actor, action=StandardsAction.CALENDAR_HOURS_SET, obj=locked, payload={
        "old": {day: format_hours(own.get(day, ())) for day in changed},
        "new": {day: format_hours(week[day]) for day in changed},
        "copied_from_parent": not own,
    })
    return locked


# --- Exceptions ----------------------------------------------------------------------------------


@transaction.atomic
def calendar_add_exception(*, actor, calendar: ServiceCalendar, date: datetime.date, kind: str, hours: str = "",
                           note: str = "") -> CalendarException:
    """A dated exception (R10.3): closed, a normal working day, or special hours that day.

    One active exception per calendar and day; a child's exception beats its parent's.
    """
    _allowed(actor)
    locked = _lock(calendar, None)
    errors: dict[str, list[str]] = {}
    if kind not in CalendarException.Kind.values:
        errors["kind"] = [_("Choose closed, working day or special hours.")]
    if kind == CalendarException.Kind.SPECIAL:
        parsed = clean_hours(hours, "hours", errors)
        if not parsed and "hours" not in errors:
            errors["hours"] = [_("Give the hours of that day, for example 09:00-12:00.")]
        hours = format_hours(parsed)
    else:
        hours = ""
    if CalendarException.objects.filter(calendar=locked, date=date, is_active=True).exists():
        errors["date"] = [_("This calendar already has an exception on %(date)s; withdraw it first.")
                          % {"date": formats.date_format(date, "Y-m-d")}]
    if errors:
        raise InvalidInput(errors=errors)
    exception = CalendarException.objects.create(
        calendar=locked, date=date, kind=kind, hours=hours, note=note.strip()[:200], created_by=actor,
        created_at=timezone.now(),
    )
    _bump(locked)
    audit_record(actor=actor, action=StandardsAction.CALENDAR_EXCEPTION_ADDED, obj=locked, payload={
        "exception_id": exception.pk, "date": date, "kind": kind, "hours": hours, "note": exception.note})
    return exception


@transaction.atomic
def calendar_withdraw_exception(*, actor, exception: CalendarException, reason: str = "") -> CalendarException:
    """Withdraw an exception: it stays on record, inactive (R4.9)."""
    _allowed(actor)
    locked = _lock(exception.calendar, None)
    exception = CalendarException.objects.select_for_update().get(pk=exception.pk)
    if not exception.is_active:
        return exception
    exception.is_active = False
    exception.save(update_fields=["is_active"])
    _bump(locked)
    audit_record(actor=actor, action=StandardsAction.CALENDAR_EXCEPTION_WITHDRAWN, obj=locked, payload={
        "exception_id": exception.pk, "date": exception.date, "kind": exception.kind, "reason": reason.strip()})
    return exception


# --- Holiday duty roster (节假日服务保障) ----------------------------------------------------------------


@transaction.atomic
def duty_assign(*, actor, calendar: ServiceCalendar, date: datetime.date, staff, shift: str = "", phone: str = "",
                note: str = "") -> DutyAssignment:
    """Put a staff member on duty on a calendar's line that day (R10.3); they are told through the outbox."""
    _allowed(actor)
    locked = _lock(calendar, None)
    errors: dict[str, list[str]] = {}
    if staff is None or not is_staff_member(staff):
        errors["staff"] = [_("Choose an active staff member.")]
    elif DutyAssignment.objects.filter(calendar=locked, date=date, staff=staff, is_active=True).exists():
        errors["staff"] = [_("%(name)s is already on duty on this calendar that day.")
                           % {"name": staff.get_full_name() or staff.get_username()}]
    shift = format_hours(clean_hours(shift, "shift", errors))  # blank: no particular shift
    if len(shift) > DutyAssignment._meta.get_field("shift").max_length:
        errors["shift"] = [_("Give the shift as one or two time ranges, such as 08:00-20:00.")]
    if errors:
        raise InvalidInput(errors=errors)
    assignment = DutyAssignment.objects.create(
        calendar=locked, date=date, staff=staff, shift=shift, phone=phone.strip()[:20],
        note=note.strip()[:200], created_by=actor, created_at=timezone.now(),
    )
    audit_record(actor=actor, action=StandardsAction.DUTY_ASSIGNED, obj=assignment, payload={
        "calendar": locked.code, "date": date, "staff": staff.pk, "shift": assignment.shift})
    if date >= timezone.localdate():  # a roster entered afterwards for the record tells nobody
        outbox_notify(
            recipients=[staff],
            subject=lambda: _("You are on duty on %(date)s (%(calendar)s)")
            % {"date": formats.date_format(date, "Y-m-d"), "calendar": locked},
            body=" ".join(filter(None, [assignment.shift, assignment.note])), obj=assignment,
        )
    return assignment


@transaction.atomic
def duty_withdraw(*, actor, assignment: DutyAssignment, reason: str = "") -> DutyAssignment:
    """Take someone off the roster; the assignment stays on record, inactive (R4.9)."""
    _allowed(actor)
    assignment = DutyAssignment.objects.select_for_update().select_related("staff", "calendar").get(pk=assignment.pk)
    if not assignment.is_active:
        return assignment
    assignment.is_active = False
    assignment.save(update_fields=["is_active"])
    audit_record(actor=actor, action=StandardsAction.DUTY_WITHDRAWN, obj=assignment, payload={
        "calendar": assignment.calendar.code, "date": assignment.date, "staff": assignment.staff_id,
        "reason": reason.strip()})
    if assignment.date >= timezone.localdate():
        outbox_notify(
            recipients=[assignment.staff],
            subject=lambda: _("Your duty on %(date)s (%(calendar)s) is cancelled")
            % {"date": formats.date_format(assignment.date, "Y-m-d"), "calendar": assignment.calendar},
            body=reason.strip(), obj=assignment,
        )
    return assignment
