"""The service catalogue (R3.2): the kinds of request the department takes and what each needs."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from fuwu.org.models import Group


class ServiceKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    COMPLAINT = "complaint", _("Complaint")
    REPAIR = "repair", _("Repair / service request")
    SUGGESTION = "suggestion", _("Suggestion")
    FAULT = "fault", _("Fault report")
    ERRAND = "errand", _("Business errand")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    """How a request reached the department (R3.1); SLA policies may differ by channel."""

    PHONE = "phone", _("Phone hotline")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Web form / portal")
    LETTER = "letter", _("Letter")
    WALK_IN = "walk_in", _("Walk-in")
    FAX = "fax", _("Fax")
    CHAT = "chat", _("Online chat")
    API = "api", _("API")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


# What a request of a type must carry before it can be registered (R3.3: who, how to reach them,
# where, what, since when). "what" (title/description) and "who" (contact name) are always required.
REQUIRABLE_FIELDS = {
    "contact_phone": _("Contact phone"),
    "site_address": _("Site address"),
    "region": _("Region"),
    "occurred_since": _("Since when"),
    "customer": _("Customer"),
}


class ServiceType(models.Model):
    """A kind of request the department takes (R3.2). Written only by `fuwu.standards.actions.catalogue`."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ServiceKind.choices)
    required_fields = models.JSONField(_("required fields"), default=list, blank=True)
    default_group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("default group")
    )
    default_priority = models.CharField(
        _("default priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1)  # the edit counter (fuwu.core.locking)

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        if self.name_en and translation.get_language() == "en":
            return self.name_en
        return self.name
