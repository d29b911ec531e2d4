"""Business calendar pages (R10.3): the list with the missing-data warning, and a calendar's month
view with its weekly hours, exceptions and holiday duty roster. Parse, call an action or selector,
render. Everyone with `Perm.STANDARDS_VIEW` reads; the forms are for `Perm.STANDARDS_MANAGE`.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fuwu.core.errors import Conflict, InvalidInput
from fuwu.core.forms import add_action_errors
from fuwu.org.policy import Perm, can, require
from fuwu.standards.actions import calendars as actions
from fuwu.standards.calendars import package_years
from fuwu.standards.forms.calendars import (
    WEEKDAY_NAMES,
    CalendarEditForm,
    CalendarForm,
    DutyForm,
    ExceptionForm,
    HoursForm,
    ReasonForm,
)
from fuwu.standards.selectors.calendars import (
    DayKind,
    access_calendar,
    access_duty,
    access_exception,
    calendar_data_warnings,
    calendar_month,
    calendar_overview,
    calendars_visible_to,
    holiday_notices,
)

# Colours of the month view, by kind of day (Bootstrap's subtle backgrounds, so text stays legible).
KIND_STYLES = {
    DayKind.WORKING: "bg-body",
    DayKind.WEEKEND: "bg-secondary-subtle",
    DayKind.HOLIDAY: "bg-danger-subtle",
    DayKind.ADJUSTED_WORKDAY: "bg-warning-subtle",
    DayKind.EXCEPTION_CLOSED: "day-closed",  # hatched (calendar_detail.html), unlike a weekend
    DayKind.EXCEPTION_SPECIAL: "bg-info-subtle",
    DayKind.EXCEPTION_WORKING: "bg-success-subtle",
}


@login_required
def calendar_list(request):
    require(request.user, Perm.STANDARDS_VIEW)
    can_manage = can(request.user, Perm.STANDARDS_MANAGE)
    form = CalendarForm(prefix="new")
    if request.method == "POST":
        require(request.user, Perm.STANDARDS_MANAGE)
        form = CalendarForm(request.POST, prefix="new")
        if form.is_valid():
            try:
                calendar = actions.calendar_create(actor=request.user, code=form.cleaned_data["code"],
                                                   data=form.to_input())
            except InvalidInput as exc:
                add_action_errors(exc, ("", form))
            else:
                messages.success(request, _("Calendar %(name)s created.") % {"name": calendar})
                return redirect("standards:calendar", calendar.pk)
    context = {
        "calendars": calendars_visible_to(request.user),
        "warnings": calendar_data_warnings(timezone.localdate()),
        "notices": holiday_notices(),
        "package_last_year": max(package_years()),
        "can_manage": can_manage,
        "form": form,
        "open_form": request.method == "POST",
    }
    return render(request, "standards/calendar_list.html", context, status=400 if request.method == "POST" else 200)


def _page(request, calendar, *, year: int | None = None, month: int | None = None, status: int = 200, **forms):
    """The calendar page, with any form given in `forms` (bound, with errors) in place of a blank one."""
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    can_manage = can(request.user, Perm.STANDARDS_MANAGE)
    conflict = forms.pop("conflict", None)
    overview = calendar_overview(calendar, since=datetime.date(year, month, 1))
    shown = calendar_month(calendar, year, month, today=today)
    for week in shown.weeks:
        for day in week:
            day.css = KIND_STYLES[day.kind]
    context = {
        "calendar": calendar,
        "month": shown,
        "legend": [(kind, KIND_STYLES[kind]) for kind in DayKind],
        "weekday_names": WEEKDAY_NAMES,
        **overview,
        "week": [(WEEKDAY_NAMES[day], text) for day, text in overview["week"]],
        "can_manage": can_manage,
        "warnings": [w for w in calendar_data_warnings(today) if calendar.observes_statutory_holidays],
        "open_form": next(iter(forms), ""),
        "conflict": conflict,
    }
    if can_manage:
        context |= {
            "settings_form": CalendarEditForm(initial=CalendarEditForm.initial_for(calendar), calendar=calendar),
            "hours_form": HoursForm(initial={"version": calendar.version,
                                             **{f"hours_{day}": text for day, text in overview["week"]}}),
            "exception_form": ExceptionForm(initial={"date": today}),
            "duty_form": DutyForm(initial={"date": today}),
            **forms,
        }
    template = "standards/calendar_detail.html"
    if request.htmx and not forms:  # month navigation swaps the grid only
        template += "#month"
    return render(request, template, context, status=status)


@login_required
def calendar_detail(request, calendar_id: int, year: int | None = None, month: int | None = None):
    calendar = access_calendar(request.user, calendar_id)
    return _page(request, calendar, year=year, month=month)


def _back(calendar, day: datetime.date | None = None):
    if day is None:
        return redirect("standards:calendar", calendar.pk)
    return redirect("standards:calendar_month", calendar.pk, day.year, day.month)


@login_required
@require_POST
def calendar_settings(request, calendar_id: int):
    calendar = access_calendar(request.user, calendar_id, for_write=True)
    form = CalendarEditForm(request.POST, calendar=calendar)
    if form.is_valid():
        try:
            actions.calendar_update(actor=request.user, calendar=calendar,
                                    expected_version=form.cleaned_data["version"], data=form.to_input())
        except Conflict as exc:
            return _stale(request, calendar, form, exc, "settings_form")
        except InvalidInput as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Changes saved."))
            return _back(calendar)
    return _page(request, calendar, status=400, settings_form=form)


def _stale(request, calendar, form, exc: Conflict, name: str):
    """Someone changed the calendar meanwhile: keep what was typed, show the current state, allow a retry."""
    current = access_calendar(request.user, calendar.pk)
    form.data = form.data.copy()
    form.data["version"] = current.version
    return _page(request, current, status=409, **{name: form, "conflict": exc.message})


@login_required
@require_POST
def calendar_hours(request, calendar_id: int):
    calendar = access_calendar(request.user, calendar_id, for_write=True)
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            actions.calendar_set_weekly_hours(actor=request.user, calendar=calendar, hours=form.hours(),
                                              expected_version=form.cleaned_data["version"])
        except Conflict as exc:
            return _stale(request, calendar, form, exc, "hours_form")
        except InvalidInput as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Working hours saved."))
            return _back(calendar)
    return _page(request, calendar, status=400, hours_form=form)


@login_required
@require_POST
def exception_add(request, calendar_id: int):
    calendar = access_calendar(request.user, calendar_id, for_write=True)
    form = ExceptionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.calendar_add_exception(actor=request.user, calendar=calendar, date=d["date"], kind=d["kind"],
                                           hours=d["hours"], note=d["note"])
        except InvalidInput as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Exception on %(date)s added.") % {"date": d["date"].isoformat()})
            return _back(calendar, d["date"])
    day = form.cleaned_data.get("date")
    return _page(request, calendar, year=day and day.year, month=day and day.month, status=400, exception_form=form)


@login_required
@require_POST
def exception_withdraw(request, calendar_id: int, exception_id: int):
    calendar = access_calendar(request.user, calendar_id, for_write=True)
    exception = access_exception(calendar, exception_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    actions.calendar_withdraw_exception(actor=request.user, exception=exception,
                                        reason=form.cleaned_data.get("reason", ""))
    messages.success(request, _("Exception on %(date)s withdrawn.") % {"date": exception.date.isoformat()})
    return _back(calendar, exception.date)


@login_required
@require_POST
def duty_assign(request, calendar_id: int):
    calendar = access_calendar(request.user, calendar_id, for_write=True)
    form = DutyForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.duty_assign(actor=request.user, calendar=calendar, date=d["date"], staff=d["staff"],
                                shift=d["shift"], phone=d["phone"], note=d["note"])
        except InvalidInput as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("%(name)s is on duty on %(date)s.")
                             % {"name": d["staff"].get_full_name() or d["staff"].get_username(),
                                "date": d["date"].isoformat()})
            return _back(calendar, d["date"])
    day = form.cleaned_data.get("date")
    return _page(request, calendar, year=day and day.year, month=day and day.month, status=400, duty_form=form)


@login_required
@require_POST
def duty_withdraw(request, calendar_id: int, assignment_id: int):
    calendar = access_calendar(request.user, calendar_id, for_write=True)
    assignment = access_duty(calendar, assignment_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    actions.duty_withdraw(actor=request.user, assignment=assignment, reason=form.cleaned_data.get("reason", ""))
    messages.success(request, _("Duty of %(name)s on %(date)s withdrawn.")
                     % {"name": assignment.staff.get_full_name() or assignment.staff.get_username(),
                        "date": assignment.date.isoformat()})
    return _back(calendar, assignment.date)


urlpatterns = [
    path("calendars/", calendar_list, name="calendars"),
    path("calendars/<int:calendar_id>/", calendar_detail, name="calendar"),
    path("calendars/<int:calendar_id>/<int:year>/<int:month>/", calendar_detail, name="calendar_month"),
    path("calendars/<int:calendar_id>/settings/", calendar_settings, name="calendar_settings"),
    path("calendars/<int:calendar_id>/hours/", calendar_hours, name="calendar_hours"),
    path("calendars/<int:calendar_id>/exceptions/", exception_add, name="calendar_exception_add"),
    path("calendars/<int:calendar_id>/exceptions/<int:exception_id>/withdraw/", exception_withdraw,
         name="calendar_exception_withdraw"),
    path("calendars/<int:calendar_id>/duty/", duty_assign, name="calendar_duty_assign"),
    path("calendars/<int:calendar_id>/duty/<int:assignment_id>/withdraw/", duty_withdraw,
         name="calendar_duty_withdraw"),
]
