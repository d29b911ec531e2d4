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
        return f"{self.indicator} {self.granularity} {self.dimension}:{self.dimension_key}"


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
        return f"{self.target} {self.period_start}"


class DailyRollup(models.Model):
    """What the slow indicators count, for one whole past day (China time) and one combination of a
    request's group, owner, service type and channel (R9.6, R15.1): the reports and the snapshot job
    sum these rows for whole past days instead of reading the requests, their clocks and hand-overs
    (fuwu/quality/rollup.py writes them, fuwu/quality/indicators/rolled.py reads them). Each column
    counts exactly what the live definition in fuwu/quality/indicators/tickets.py counts, on that day."""

    day = models.DateField()
    group_id = models.IntegerField(null=True)
    owner_id = models.IntegerField(null=True)
    service_type_id = models.IntegerField(null=True)
    channel = models.CharField(max_length=16)
    # Requests resolved that day (cancelled left out): all, at first contact, ever reopened, handling time.
    resolved = models.PositiveIntegerField(default=0)
    first_contact = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    handling_us = models.BigIntegerField(default=0)  # sum of (resolved − received) in microseconds
    # Clocks settled that day by kind: breached that day, or met that day without a breach.
    first_response_met = models.PositiveIntegerField(default=0)
    first_response_breached = models.PositiveIntegerField(default=0)
    resolution_met = models.PositiveIntegerField(default=0)
    resolution_breached = models.PositiveIntegerField(default=0)
    onsite_arrival_met = models.PositiveIntegerField(default=0)
    onsite_arrival_breached = models.PositiveIntegerField(default=0)
    handover_acceptance_met = models.PositiveIntegerField(default=0)
    handover_acceptance_breached = models.PositiveIntegerField(default=0)
    follow_up_met = models.PositiveIntegerField(default=0)
    follow_up_breached = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="rollup_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.group_id}/{self.owner_id}/{self.service_type_id}/{self.channel}"


class RollupDay(models.Model):
    """A day whose rollup rows are written (a day without requests has none): only such days are
    read from the rollup, every other day is counted live."""

    day = models.DateField(primary_key=True)
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.day}"


class DailyBreach(models.Model):
    """Requests with a time limit breached on a day, by the day of the request's previous breach (None:
    its first), per combination of the request's group, owner, service type and channel. A request counts
    once in a period however many of its clocks broke in it: over whole days [a, b) it is counted on the
    first of them, the day whose previous breach day is before a (fuwu/quality/indicators/rolled.py)."""

    day = models.DateField()
    previous_day = models.DateField(null=True)
    group_id = models.IntegerField(null=True)
    owner_id = models.IntegerField(null=True)
    service_type_id = models.IntegerField(null=True)
    channel = models.CharField(max_length=16)
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="rollup_breach_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} after {self.previous_day}: {self.requests}"
