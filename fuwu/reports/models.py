"""Issued reports (R8.4, R9.6): each version archived unchanged, and who receives each kind.

A `Report` row is written once by `report_issue` and never changed: its data (the figures as JSON),
its PDF and its workbook are what was issued. Re-issuing a period makes version n + 1.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class ReportKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly report")
    MONTHLY = "monthly", _("Monthly service supervision report")


class ReportQuerySet(models.QuerySet):
    """Archived: an issued report is never changed or removed."""

    def update(self, **kwargs):
        raise TypeError("Issued reports are archived unchanged.")

    def delete(self):
        raise TypeError("Issued reports are archived unchanged.")


class Report(models.Model):
    kind = models.CharField(_("kind"), max_length=8, choices=ReportKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))  # the first day after the period
    version = models.PositiveIntegerField(_("version"))
    scheduled = models.BooleanField(_("issued by the schedule"), default=False)
    data = models.JSONField(_("figures"))
    pdf = models.BinaryField(_("PDF"))
    xlsx = models.BinaryField(_("workbook"))
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued at"))

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period_start", "version"], name="one_report_version"),
            # The schedule issues each kind and period once, however often the job runs.
            models.UniqueConstraint(fields=["kind", "period_start"], condition=models.Q(scheduled=True),
                                    name="one_scheduled_report"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%Y-%m-%d} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Issued reports are archived unchanged.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Issued reports are archived unchanged.")

    @property
    def last_day(self):
        """The period's last day (period_end is the first day after it)."""
        return self.period_end - datetime.timedelta(days=1)


class Distribution(models.Model):
    """Who receives a kind of report by e-mail when it is issued: logins and other addresses."""

    kind = models.CharField(_("kind"), max_length=8, choices=ReportKind.choices, unique=True)
    users = models.ManyToManyField(User, blank=True, related_name="+", verbose_name=_("staff"))
    emails = models.TextField(_("other addresses"), blank=True)  # one per line
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report recipients")
        verbose_name_plural = _("report recipients")

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def addresses(self) -> list[str]:
        return [line.strip() for line in self.emails.splitlines() if line.strip()]
