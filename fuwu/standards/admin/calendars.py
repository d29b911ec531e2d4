"""Admin of the standards domain: business calendars (R10.3).

Calendars and their weekly hours are configuration, saved through `fuwu.standards.actions.calendars`
(`calendar_create`, `calendar_update`, `calendar_set_weekly_hours`), which audit the change and bump
the version of the calendar and its descendants, so cached business clocks are rebuilt. A calendar's
code stays as created. Exceptions, holiday notices and the duty roster are records: they change
through the same actions (the calendar pages, `manage.py import_holidays`) and are read-only here.
"""

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from fuwu.core.admin_base import ActionAdmin, ReadOnlyAdmin, VersionedAdminForm
from fuwu.standards.actions.calendars import (
    CalendarInput,
    calendar_create,
    calendar_set_weekly_hours,
    calendar_update,
)
from fuwu.standards.businesstime import MINUTES_PER_DAY, format_hours, normalise_hours
from fuwu.standards.models import (
    CalendarException,
    CalendarHours,
    DutyAssignment,
    HolidayNotice,
    ServiceCalendar,
    StatutoryDay,
)

SETTINGS = ("name", "name_en", "parent", "timezone", "is_24x7", "observes_statutory_holidays", "description")


class CalendarAdminForm(VersionedAdminForm):
    class Meta:
        model = ServiceCalendar
        fields = ("code", *SETTINGS, "is_active", "version")

    def to_input(self) -> CalendarInput:
        data = self.cleaned_data
        return CalendarInput(**{name: data.get(name) for name in SETTINGS if name != "parent"},
                             parent_id=data["parent"].pk if data.get("parent") else None)


class CalendarHoursFormSet(BaseInlineFormSet):
    """Each weekday's intervals must run forwards and not overlap, as `parse_hours` requires."""

    def _intervals(self) -> dict[int, list[tuple[int, int]]]:
        days: dict[int, list[tuple[int, int]]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("start") is None or data.get("end") is None:
                continue
            start, end = data["start"], data["end"]
            days.setdefault(data["weekday"], []).append(
                (start.hour * 60 + start.minute, end.hour * 60 + end.minute or MINUTES_PER_DAY))
        return days

    def week(self) -> dict[int, str]:
        """Every weekday's hours as the action takes them ("09:00-12:00, 13:00-18:00"; "" is closed)."""
        days = self._intervals()
        return {day: format_hours(normalise_hours(days[day])) if day in days else "" for day in range(7)}

    def clean(self):
        super().clean()
        days = self._intervals()
        for weekday, intervals in sorted(days.items()):
            if weekday > 6:
                raise forms.ValidationError(_("The weekday is 0 (Monday) to 6 (Sunday)."))
            try:
                normalise_hours(intervals)
            except ValueError:
                raise forms.ValidationError(
                    _("The hours of weekday %(day)s run backwards or overlap.") % {"day": weekday}) from None


class CalendarHoursInline(admin.TabularInline):
    model = CalendarHours
    formset = CalendarHoursFormSet
    extra = 0
    fields = ("weekday", "start", "end")


@admin.register(ServiceCalendar)
class ServiceCalendarAdmin(ActionAdmin):
    form = CalendarAdminForm
    inlines = [CalendarHoursInline]
    list_display = ("code", "name", "name_en", "parent", "is_24x7", "observes_statutory_holidays", "is_active",
                    "version")
    list_filter = ("is_24x7", "observes_statutory_holidays", "is_active")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    def save_through_action(self, request, form, formsets, change) -> ServiceCalendar:
        data = form.cleaned_data
        if change:
            calendar = calendar_update(actor=request.user, calendar=form.instance, expected_version=data.get("version"),
                                       data=form.to_input(), is_active=bool(data.get("is_active")))
        else:
            calendar = calendar_create(actor=request.user, code=data["code"], data=form.to_input())
            if not data.get("is_active"):
                calendar = calendar_update(actor=request.user, calendar=calendar, expected_version=None,
                                           data=form.to_input(), is_active=False)
        hours = next((formset for formset in formsets if isinstance(formset, CalendarHoursFormSet)), None)
        if hours is not None and hours.has_changed():  # the calendar is locked and checked by now
            calendar = calendar_set_weekly_hours(actor=request.user, calendar=calendar, hours=hours.week())
        return calendar


@admin.register(CalendarException)
class CalendarExceptionAdmin(ReadOnlyAdmin):
    list_display = ("date", "calendar", "kind", "hours", "note", "is_active", "created_by")
    list_filter = ("calendar", "kind", "is_active")
    date_hierarchy = "date"
    list_select_related = ("calendar", "created_by")


class StatutoryDayInline(admin.TabularInline):
    model = StatutoryDay
    fields = ("date", "kind", "name")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(HolidayNotice)
class HolidayNoticeAdmin(ReadOnlyAdmin):
    """Imported with `manage.py import_holidays`; the days stay on record (R4.9)."""

    list_display = ("year", "title", "source", "imported_by", "imported_at")
    inlines = [StatutoryDayInline]


@admin.register(DutyAssignment)
class DutyAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("date", "calendar", "staff", "shift", "phone", "is_active")
    list_filter = ("calendar", "is_active")
    date_hierarchy = "date"
    list_select_related = ("calendar", "staff")
