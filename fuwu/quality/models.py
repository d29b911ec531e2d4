"""Targets per indicator and period, the snapshots the job computes, and the alerts they raise (R9.5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


class MeritRule(models.Model):
    """A result rule (奖惩规则, R9.5, R11.5): an indicator's value for one staff member over a month or a
    quarter, compared with a threshold, with at least a minimum volume behind it, leads to a reward, a
    penalty or coaching. A change is a new revision of the same code; the old one is retired, never
    deleted (R4.9), so each result names the exact rule it was judged by."""

    class Comparison(models.TextChoices):
        GTE = "gte", "≥"
        GT = "gt", ">"
        LTE = "lte", "≤"
        LT = "lt", "<"

    class Outcome(models.TextChoices):
        REWARD = "reward", _("Reward")
        PENALTY = "penalty", _("Penalty")
        COACHING = "coaching", _("Coaching")

    code = models.SlugField(_("code"), max_length=32)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    indicator = models.CharField(_("indicator"), max_length=32)
    granularity = models.CharField(_("period"), max_length=8, choices=[
        (Granularity.MONTH, Granularity.MONTH.label), (Granularity.QUARTER, Granularity.QUARTER.label)])
    comparison = models.CharField(_("comparison"), max_length=3, choices=Comparison.choices)
    threshold = models.FloatField(_("threshold"))
    min_volume = models.PositiveIntegerField(_("minimum volume"), default=0)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    points = models.IntegerField(_("points"), default=0)
    description = models.CharField(_("description"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("result rule")
        verbose_name_plural = _("result rules")
        ordering = ["code", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["code", "revision"], name="merit_rule_revision"),
            models.UniqueConstraint(fields=["code"], condition=models.Q(is_active=True), name="one_active_merit_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.code} r{self.revision}"


class MeritResult(models.Model):
    """One staff member's figure for one rule and one closed period (R9.5, R11.5): the value and the
    volume behind it, and, when the rule's condition holds, the proposed outcome a manager confirms or
    waives. One row per staff member, rule code and period: a rerun adds nothing."""

    class State(models.TextChoices):
        NONE = "none", _("No outcome")
        PROPOSED = "proposed", pgettext_lazy("merit", "Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        WAIVED = "waived", _("Waived")

    rule = models.ForeignKey(MeritRule, on_delete=models.PROTECT, related_name="results")
    rule_code = models.SlugField(max_length=32)
    subject = models.ForeignKey(User, on_delete=models.PROTECT, related_name="merit_results",
                                verbose_name=_("staff member"))
    group = models.ForeignKey("org.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("group"))  # the staff member's group when judged
    granularity = models.CharField(max_length=8, choices=Granularity.choices)
    period_start = models.DateField(_("period"))
    value = models.FloatField(_("value"))
    numerator = models.FloatField()
    denominator = models.FloatField(null=True, blank=True)
    volume = models.PositiveIntegerField(_("volume"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.NONE)
    note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("period result")
        verbose_name_plural = _("period results")
        ordering = ["period_start", "group_id", "subject_id", "rule_code"]
        constraints = [models.UniqueConstraint(fields=["rule_code", "subject", "granularity", "period_start"],
                                               name="one_merit_result")]
        indexes = [models.Index(fields=["granularity", "period_start", "state"], name="merit_period_idx")]

    def __str__(self) -> str:
        return f"{self.rule_code} {self.subject_id} {self.period_start}"


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
