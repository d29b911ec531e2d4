"""Holiday notices and running out of holiday data (R10.3; docs/operations.md: Holiday data).

`chinese-calendar` knows the statutory holidays and adjusted working days (调休) of the years it
covers; for a later year an administrator imports the State Council's notice (国务院办公厅关于…
部分节假日安排的通知) here, and a daily job warns administrators 60 days before the data runs out.
Keyword-only, actor first (`None` is the system), one transaction, audited.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput
from fuwu.core.outbox import outbox_notify
from fuwu.core.templatetags.fuwu import join_list
from fuwu.org.policy import Perm, require
from fuwu.org.roles import Role
from fuwu.standards.codes import StandardsAction, StandardsError
from fuwu.standards.models import HolidayNotice, StatutoryDay
from fuwu.standards.selectors.calendars import calendar_data_warnings

# Spellings a holiday notice may use for the two kinds of day (the CSV of `import_holidays`).
KIND_SPELLINGS = {
    "holiday": StatutoryDay.Kind.HOLIDAY, "假日": StatutoryDay.Kind.HOLIDAY, "假": StatutoryDay.Kind.HOLIDAY,
    "休": StatutoryDay.Kind.HOLIDAY, "放假": StatutoryDay.Kind.HOLIDAY,
    "workday": StatutoryDay.Kind.WORKDAY, "班": StatutoryDay.Kind.WORKDAY, "上班": StatutoryDay.Kind.WORKDAY,
    "调休": StatutoryDay.Kind.WORKDAY,
}


def _allowed(actor) -> None:
    if actor is not None:
        require(actor, Perm.STANDARDS_MANAGE)


# --- Holiday notices --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HolidayRow:
    """One line of a holiday notice: `date` as ISO text or a date, `kind` holiday/workday (假日/班)."""

    date: str | datetime.date
    kind: str
    name: str


def _clean_row(row: HolidayRow, year: int) -> tuple[datetime.date | None, str | None, list[str]]:
    problems = []
    day = row.date if isinstance(row.date, datetime.date) else None
    if day is None:
        try:
            day = datetime.date.fromisoformat(str(row.date).strip())
        except ValueError:
            problems.append(_("“%(value)s” is not a date such as %(year)s-10-01.") % {"value": row.date, "year": year})
    if day is not None and day.year != year:
        problems.append(_("%(date)s is not in %(year)s.") % {"date": day.isoformat(), "year": year})
    kind = KIND_SPELLINGS.get(str(row.kind).strip().lower())
    if kind is None:
        problems.append(_("“%(value)s” is not a kind of day: write holiday or workday (假日 or 班).")
                        % {"value": row.kind})
    if not str(row.name).strip():
        problems.append(_("Name the holiday (for example 春节)."))
    return day, kind, problems


@transaction.atomic
def holiday_notice_import(*, actor, year: int, rows: Sequence[HolidayRow], title: str = "", source: str = "",
                          row_numbers: Sequence[int] | None = None) -> HolidayNotice:
    """Import one year's statutory holidays and adjusted working days (调休) from the State Council's
    notice (R10.3), all or nothing: every row is checked and each bad one reported by its number
    (errors keyed `row_<n>`, `exc.data["rows"]` maps numbers to messages).

    The imported year replaces `chinese-calendar`'s data for it. A year is imported once: its days
    are part of the record and are never deleted, so a second import of the same year is refused.
    """
    _allowed(actor)
    numbers = list(row_numbers) if row_numbers is not None else list(range(1, len(rows) + 1))
    if not 2000 <= year <= 2100:
        raise InvalidInput(errors={"year": [_("Give a year between 2000 and 2100.")]})
    existing = HolidayNotice.objects.select_for_update().filter(year=year).first()
    if existing is not None:
        raise InvalidInput(code=StandardsError.NOTICE_EXISTS, errors={"year": [
            _("The holiday notice for %(year)s was imported on %(date)s. Imported days are kept on record and are "
              "not replaced; correct single days with calendar exceptions.")
            % {"year": year, "date": formats.date_format(timezone.localtime(existing.imported_at), "Y-m-d")}]})
    if not rows:
        raise InvalidInput(errors={"rows": [_("The notice has no days.")]})
    problems: dict[int, list[str]] = {}
    seen: dict[datetime.date, int] = {}
    cleaned = []
    for number, row in zip(numbers, rows, strict=True):
        day, kind, row_problems = _clean_row(row, year)
        if day is not None and day in seen:
            row_problems.append(_("%(date)s is also on row %(row)s.") % {"date": day.isoformat(), "row": seen[day]})
        elif day is not None:
            seen[day] = number
        if row_problems:
            problems[number] = row_problems
        else:
            cleaned.append((day, kind, str(row.name).strip()[:64]))
    if problems:
        raise InvalidInput(
            message=ngettext("%(n)d row has problems; nothing was imported.",
                             "%(n)d rows have problems; nothing was imported.", len(problems)) % {"n": len(problems)},
            errors={f"row_{n}": messages for n, messages in sorted(problems.items())},
            data={"rows": dict(sorted(problems.items()))},
        )
    if not any(kind == StatutoryDay.Kind.HOLIDAY for _day, kind, _name in cleaned):
        raise InvalidInput(errors={"rows": [_("The notice names no holiday.")]})
    notice = HolidayNotice.objects.create(year=year, title=title.strip()[:200], source=source.strip()[:200],
                                          imported_by=actor, imported_at=timezone.now())
    StatutoryDay.objects.bulk_create(
        StatutoryDay(notice=notice, date=day, kind=kind, name=name) for day, kind, name in sorted(cleaned)
    )
    audit_record(actor=actor, action=StandardsAction.HOLIDAY_NOTICE_IMPORTED, obj=notice, payload={
        "year": year, "title": notice.title, "source": notice.source,
        "holidays": sum(kind == StatutoryDay.Kind.HOLIDAY for _d, kind, _n in cleaned),
        "workdays": sum(kind == StatutoryDay.Kind.WORKDAY for _d, kind, _n in cleaned)})
    return notice


# --- Running out of calendar data ------------------------------------------------------------------------


def administrators() -> Iterable:
    """Active holders of the administrator role, and superusers."""
    return get_user_model().objects.filter(
        Q(is_superuser=True) | Q(profile__roles__code=Role.ADMIN, profile__is_active=True), is_active=True
    ).distinct().order_by("pk")


@transaction.atomic
def calendar_data_notify_missing(*, today: datetime.date) -> int:
    """Tell administrators, once per year and person, that holiday data runs out within 60 days
    (R10.3; docs/operations.md: Holiday data). Idempotent; returns how many notices were queued."""
    queued = 0
    for warning in calendar_data_warnings(today):
        rows = outbox_notify(
            recipients=administrators(), subject=lambda warning=warning: warning.message,
            body=lambda warning=warning: _(
                "Calendars affected: %(names)s. Use: manage.py import_holidays FILE --year %(year)s")
            % {"names": join_list(warning.calendars), "year": warning.year},
            url=reverse("standards:calendars"), dedupe_key=f"calendar-data-missing:{warning.year}", by_email=True,
        )
        if rows:
            audit_record(actor=None, action=StandardsAction.CALENDAR_DATA_MISSING_NOTIFIED,
                         payload={"year": warning.year, "recipients": [r.recipient_id for r in rows]})
        queued += len(rows)
    return queued
