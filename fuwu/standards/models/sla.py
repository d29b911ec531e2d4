"""SLA policies (R10.4, R4.4): which time targets a request gets, each measured in a calendar.

A policy matches requests by service type, priority, customer class, region and channel; a blank
criterion matches anything. Precedence is fixed and visible: the matching policy whose criteria
are the most significant wins, type before priority before customer class before region before
channel (see `fuwu.standards.sla.policy_for`). Two active policies may not share the same
criteria. Written only by `fuwu.standards.actions.sla`; a retired policy is inactive, never deleted.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fuwu.org.models import Region
from fuwu.standards.models.calendars import ServiceCalendar
from fuwu.standards.models.catalogue import Priority, ServiceType


class ClockKind(models.TextChoices):
    """The clocks a service department runs on a request."""

    FIRST_RESPONSE = "first_response", _("First response")
    HANDOVER_ACCEPTANCE = "handover_acceptance", _("Hand-over acceptance")
    ONSITE_ARRIVAL = "onsite_arrival", _("On-site arrival")
    RESOLUTION = "resolution", pgettext_lazy("clock", "Resolution")
    FOLLOW_UP = "follow_up", _("Follow-up after resolution")


class SlaPolicy(models.Model):
    name = models.CharField(_("name"), max_length=100)
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("service type")
    )
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, blank=True)
    customer_class = models.CharField(_("customer class"), max_length=16, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    channel = models.CharField(_("channel"), max_length=16, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveIntegerField(default=1)  # the edit counter (fuwu.core.locking)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SlaTarget(models.Model):
    """One time target of a policy. `minutes` of business time in `calendar`, or, with
    `end_of_business_day`, the close of the business day the clock starts in (R10.4 当天事情当天办).

    On-site arrival may differ by region (R4.4): a target with the request's region beats the
    policy's target without one.
    """

    policy = models.ForeignKey(SlaPolicy, on_delete=models.PROTECT, related_name="targets")
    kind = models.CharField(_("clock"), max_length=24, choices=ClockKind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    minutes = models.PositiveIntegerField(_("business minutes"), null=True, blank=True)
    end_of_business_day = models.BooleanField(_("done the same business day"), default=False)
    calendar = models.ForeignKey(
        ServiceCalendar, on_delete=models.PROTECT, related_name="+", verbose_name=_("calendar")
    )
    warn_percent = models.PositiveSmallIntegerField(_("warn at % of the time"), default=75)

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        ordering = ["policy", "kind"]
        constraints = [
            # A blank region is checked by the action: NULLs are distinct in a unique index.
            models.UniqueConstraint(fields=["policy", "kind", "region"], name="sla_target_unique"),
            models.CheckConstraint(
                condition=Q(end_of_business_day=True) | Q(minutes__gt=0), name="sla_target_has_a_time"
            ),
            models.CheckConstraint(
                condition=Q(warn_percent__gte=1, warn_percent__lte=99), name="sla_target_warn_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id}:{self.kind}"
