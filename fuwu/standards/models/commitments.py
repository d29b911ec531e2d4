"""Service standards and the commitments published to customers (服务标准 · 服务承诺, R10.1, R10.2).

A standard is a chain of versions sharing one `code`. A revision is a new row with the next
`edition` (v1, v2, …), a reason and its own effective dates; the version it replaces is retired, never
changed or deleted. Written only by `fuwu.standards.actions`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fuwu.org.models import Department


class Touchpoint(models.TextChoices):
    """Where in the service cycle (服务圈) the standard applies: the moments of truth."""

    ACCESS = "access", _("Reaching us")
    INTAKE = "intake", _("Taking the request")
    RESPONSE = "response", _("First response")
    DISPATCH = "dispatch", _("Dispatch and appointment")
    ON_SITE = "on_site", _("On site")
    RESOLUTION = "resolution", pgettext_lazy("service cycle", "Resolution")
    FOLLOW_UP = "follow_up", _("Follow-up")
    COMPLAINT = "complaint", _("Complaint handling")


class Factor(models.TextChoices):
    """Kano's three factors: what is taken for granted, what pleases more the more there is, what delights."""

    BASIC = "basic", _("Basic")
    PERFORMANCE = "performance", _("Performance")
    DELIGHT = "delight", _("Delight")


class ServiceStandard(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_FORCE = "in_force", _("In force")
        RETIRED = "retired", _("Retired")

    code = models.SlugField(_("code"), max_length=32)
    edition = models.PositiveSmallIntegerField(_("version"), default=1)  # v1, v2, …: what people call the version
    statement = models.TextField(_("statement"))
    statement_en = models.TextField(_("English statement"), blank=True)
    touchpoint = models.CharField(_("touchpoint"), max_length=16, choices=Touchpoint.choices)
    factor = models.CharField(_("factor"), max_length=12, choices=Factor.choices)
    indicator = models.CharField(_("indicator"), max_length=200)
    target = models.CharField(_("target"), max_length=200)
    measuring_method = models.TextField(_("measuring method"))
    owner = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    # Published to customers as a commitment (服务承诺), in these words.
    is_commitment = models.BooleanField(_("published as a commitment"), default=False)
    commitment_text = models.TextField(_("commitment to customers"), blank=True)
    commitment_text_en = models.TextField(_("commitment to customers (English)"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    revision_reason = models.TextField(_("reason for the revision"), blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)  # the edit counter: stale-edit detection (fuwu.core.locking)

    class Meta:
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        ordering = ["touchpoint", "code", "-edition"]
        constraints = [
            models.UniqueConstraint(fields=["code", "edition"], name="standard_code_version_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(state="in_force"), name="one_standard_version_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.edition}"
