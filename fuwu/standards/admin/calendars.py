"""Admin of the standards domain: business calendars (R10.3).

Calendars and their weekly hours are configuration: edited here, audited, never deleted. Every save
bumps the version of the calendar and its descendants, as the actions do, so cached business
clocks are rebuilt. Exceptions, holiday notices and the duty roster are records: they change through
`fuwu.standards.actions` (the calendar pages, `manage.py import_holidays`) and are read-only here.
"""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from fuwu.core.admin_base import AuditedConfigAdmin, ReadOnlyAdmin
from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput
from fuwu.standards.actions.calendars import CalendarInput, check_calendar_settings, descendant_ids
from fuwu.standards.businesstime import MINUTES_PER_DAY, format_hours, normalise_hours
from fuwu.standards.calendars import weekly_hours
from fuwu.standards.codes import StandardsAction
from fuwu.standards.models import (
    CalendarException,
    CalendarHours,
    DutyAssignment,
    HolidayNotice,
    ServiceCalendar,
    StatutoryDay,
)


class CalendarAdminForm(forms.ModelForm):
    class Meta:
        model = ServiceCalendar
        fields = ("code", "name", "name_en", "parent", "timezone", "is_24x7", "observes_statutory_holidays",
                  "description", "is_active")

    def clean(self):
        cleaned = super().clean()
        data = CalendarInput(
            name=cleaned.get("name") or "", parent_id=cleaned["parent"].pk if cleaned.get("parent") else None,
            timezone=cleaned.get("timezone") or "",
        )
        try:
            check_calendar_settings(data, self.instance if self.instance.pk else None)
        except InvalidInput as exc:
            for field, messages in exc.errors.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return cleaned


class CalendarHoursFormSet(BaseInlineFormSet):
    """Each weekday's intervals must run forwards and not overlap, as `parse_hours` requires."""

    def clean(self):
        super().clean()
        days: dict[int, list[tuple[int, int]]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("start") is None or data.get("end") is None:
                continue
            start, end = data["start"], data["end"]
            days.setdefault(data["weekday"], []).append(
                (start.hour * 60 + start.minute, end.hour * 60 + end.minute or MINUTES_PER_DAY))
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
class ServiceCalendarAdmin(AuditedConfigAdmin):
    form = CalendarAdminForm
    inlines = [CalendarHoursInline]
    list_display = ("code", "name", "name_en", "parent", "is_24x7", "observes_statutory_holidays", "is_active",
                    "version")
    list_filter = ("is_24x7", "observes_statutory_holidays", "is_active")
    readonly_fields = ("version",)

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            before = [format_hours(day) for day in weekly_hours([form.instance])] if change else []
            super().save_related(request, form, formsets, change)
            calendar = form.instance
            after = [format_hours(day) for day in weekly_hours([calendar])]
            changed = [day for day in range(7) if not before or before[day] != after[day]]
            if any(formset.has_changed() for formset in formsets) and changed:
                audit_record(actor=request.user, action=StandardsAction.CALENDAR_HOURS_SET, obj=calendar, payload={
                    "old": {day: before[day] if before else "" for day in changed},
                    "new": {day: after[day] for day in changed}, "via": "admin"})
            ServiceCalendar.objects.filter(pk__in=[calendar.pk, *descendant_ids(calendar)]).update(
                version=F("version") + 1)


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
