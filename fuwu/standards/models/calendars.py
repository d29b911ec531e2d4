"""Business calendars (R10.3): service hours, statutory holidays with adjusted working days (调休),
dated exceptions, inheritance (company -> region) and holiday duty rosters (节假日服务保障).

The arithmetic lives in `fuwu.standards.businesstime`; `fuwu.standards.calendars` turns these rows
into its `Schedule`. Written only by `fuwu.standards.actions`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class ServiceCalendar(models.Model):
    """A calendar: its own weekly hours or its parent's, its own exceptions on top of its parent's.

    `version` goes up with every change to the calendar, its hours or exceptions (or an ancestor's),
    so a cached business clock knows when it is stale.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    timezone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    # Round the clock (a 24-hour duty line); otherwise the weekly hours below, or the parent's.
    is_24x7 = models.BooleanField(_("24 × 7"), default=False)
    observes_statutory_holidays = models.BooleanField(_("observes statutory holidays"), default=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["code"]

    def __str__(self) -> str:
        if self.name_en and translation.get_language() == "en":
            return self.name_en
        return self.name


class CalendarHours(models.Model):
    """One working interval on a weekday; several per day make lunch breaks (e.g. 9–12, 13–18)."""

    calendar = models.ForeignKey(ServiceCalendar, on_delete=models.PROTECT, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 0 = Monday
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))  # 00:00 means midnight at the end of the day

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["calendar", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="calendar_hours_weekday"),
            models.UniqueConstraint(fields=["calendar", "weekday", "start"], name="calendar_hours_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.start:%H:%M}-{self.end:%H:%M}"


class CalendarException(models.Model):
    """A dated exception entered by an administrator; a child's exception beats its parent's.

    Exceptions are never deleted: withdrawing one sets `is_active` off (R4.9).
    """

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Closed")
        WORKING = "working", _("Working day")  # the calendar's normal working-day hours
        SPECIAL = "special", _("Special hours")  # the hours given

    calendar = models.ForeignKey(ServiceCalendar, on_delete=models.PROTECT, related_name="exceptions")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    hours = models.CharField(_("hours"), max_length=100, blank=True)  # "09:00-12:00, 13:00-16:00"
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"], condition=Q(is_active=True), name="one_active_exception_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"


class HolidayNotice(models.Model):
    """A year's statutory holiday notice (国务院办公厅关于…部分节假日安排的通知), imported by an
    administrator for a year `chinese-calendar` does not cover, or to correct one it does."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    source = models.CharField(_("source file"), max_length=200, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    imported_at = models.DateTimeField()

    class Meta:
        verbose_name = _("holiday notice")
        verbose_name_plural = _("holiday notices")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class StatutoryDay(models.Model):
    """One day of an imported notice: a holiday, or an adjusted working day (调休, e.g. a Saturday)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Statutory holiday")
        WORKDAY = "workday", _("Adjusted working day")

    notice = models.ForeignKey(HolidayNotice, on_delete=models.PROTECT, related_name="days")
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("holiday"), max_length=64)

    class Meta:
        verbose_name = _("statutory day")
        verbose_name_plural = _("statutory days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.kind} {self.name}"


class DutyAssignment(models.Model):
    """Who is on duty on a holiday, on which calendar's line (节假日服务保障, R10.3)."""

    calendar = models.ForeignKey(ServiceCalendar, on_delete=models.PROTECT, related_name="duty")
    date = models.DateField(_("date"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="duty_assignments", verbose_name=_("staff")
    )
    shift = models.CharField(_("shift"), max_length=32, blank=True)  # "08:00-20:00"
    phone = models.CharField(_("duty phone"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty roster")
        ordering = ["date", "calendar"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date", "staff"], condition=Q(is_active=True), name="one_active_duty_per_person_day"
            )
        ]
        indexes = [models.Index(fields=["date"], name="duty_date_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.staff_id}"
