"""Targets per indicator and period, the snapshots the job computes, and the alerts they raise (R9.5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fuwu.quality.indicators.base import Dimension, Granularity

User = settings.AUTH_USER_MODEL


class Target(models.Model):
    """What an indicator should reach over a period, and where it alerts (R9.5)."""

    indicator = models.CharField(_("indicator"), max_length=32)
    granularity = models.CharField(_("period"), max_length=8, choices=Granularity.choices)
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices, default=Dimension.TOTAL)
    dimension_key = models.CharField(_("dimension value"), max_length=32, blank=True)  # "" for the total
    target = models.FloatField(_("target"))
    alert_level = models.FloatField(_("alert level"))  # worse than this: an alert
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible manager"))
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "granularity", "dimension", "dimension_key"]
        constraints = [models.UniqueConstraint(
            fields=["indicator", "granularity", "dimension", "dimension_key"], condition=models.Q(is_active=True),
            name="one_active_target")]

    def __str__(self) -> str:
        """Its indicator's name, period and dimension, as the audit record shows it (no codes, issue 15)."""
        from fuwu.quality.indicators import REGISTRY  # the registry's indicators read models of other apps

        indicator = REGISTRY.get(self.indicator)
        text = f"{indicator.label if indicator else self.indicator} · {self.get_granularity_display()}"
        if self.dimension != Dimension.TOTAL:
            text += f" · {self.get_dimension_display()} {self.dimension_key}"
        return text


class Snapshot(models.Model):
    """An indicator's value in one period for one key of a dimension, as last computed. The home pages
    draw their trends from these rows (one query), never from the requests."""

    indicator = models.CharField(max_length=32)
    granularity = models.CharField(max_length=8, choices=Granularity.choices)
    period_start = models.DateField()
    dimension = models.CharField(max_length=16, choices=Dimension.choices, default=Dimension.TOTAL)
    dimension_key = models.CharField(max_length=32, blank=True)
    numerator = models.FloatField()
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["indicator", "granularity", "period_start", "dimension", "dimension_key"], name="one_snapshot")]
        indexes = [models.Index(fields=["granularity", "period_start"], name="snapshot_period_idx")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.granularity} {self.period_start}"


class Alert(models.Model):
    """A target's alert level crossed in one period: raised once, told once (R9.5)."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="alerts")
    period_start = models.DateField(_("period"))
    value = models.FloatField(_("value"))
    raised_at = models.DateTimeField(_("raised"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    improvement_id = models.PositiveIntegerField(null=True, blank=True)  # the improvement action opened from it
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-raised_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["target", "period_start"], name="one_alert_per_period")]

    def __str__(self) -> str:
        return f"{self.target} {self.period_start:%Y-%m-%d}"
