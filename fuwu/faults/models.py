"""Major fault reports (重大故障报告, R7): the report, its progress entries and the notice list.
Rows change only through `fuwu/faults/actions.py`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fuwu.customers.models import Customer
from fuwu.faults import workflow
from fuwu.org.models import Department, Region
from fuwu.org.roles import Role
from fuwu.standards.models import ServiceType


class FaultStatus(models.TextChoices):
    OPEN = workflow.FaultStatus.OPEN, _("Reported")
    HANDLING = workflow.FaultStatus.HANDLING, _("Being handled")
    RESTORED = workflow.FaultStatus.RESTORED, _("Service restored")
    CLOSED = workflow.FaultStatus.CLOSED, _("Closed")


class FaultMove(models.TextChoices):
    HANDLE = workflow.FaultMove.HANDLE, _("Start handling")
    RESTORE = workflow.FaultMove.RESTORE, _("Service restored")
    RECUR = workflow.FaultMove.RECUR, _("The fault is back")
    CLOSE = workflow.FaultMove.CLOSE, _("Close with the analysis")


class Severity(models.TextChoices):
    MAJOR = workflow.Severity.MAJOR, _("Major")
    SEVERE = workflow.Severity.SEVERE, _("Severe")
    CRITICAL = workflow.Severity.CRITICAL, _("Critical")


class FaultReport(models.Model):
    """One major fault: when and where it began, whom and which services it hits, what is seen and
    the handling plan (R7.1); then the handling and the analysis (R7.2)."""

    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=FaultStatus.choices, default=FaultStatus.OPEN,
                              db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    severity = models.CharField(_("fault severity"), max_length=10, choices=Severity.choices, default=Severity.MAJOR)
    started_at = models.DateTimeField(_("started at"), db_index=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("region"))
    place = models.CharField(_("place"), max_length=200)
    symptoms = models.TextField(_("symptoms"), max_length=4000)
    handling_plan = models.TextField(_("handling plan"), max_length=4000)
    customers = models.ManyToManyField(Customer, blank=True, related_name="fault_reports",
                                       verbose_name=_("affected customers"))
    service_types = models.ManyToManyField(ServiceType, blank=True, related_name="+",
                                           verbose_name=_("affected services"))
    # Told with the notice list at once (R7.1): who owns the business hit, who answers for the handling.
    business_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("business owner"))
    responsible_manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                            blank=True, related_name="+", verbose_name=_("responsible manager"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("reported by"))
    # A retried form (two clicks, a reload) carries the same key and finds the report it made.
    request_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    opened_at = models.DateTimeField(_("reported at"))
    restored_at = models.DateTimeField(_("restored at"), null=True, blank=True)
    # The analysis (R7.2). The measures are improvement actions where they are linked; the text sums them up.
    impact = models.TextField(_("impact"), max_length=4000, blank=True)
    handling_summary = models.TextField(_("handling"), max_length=4000, blank=True)
    root_cause = models.TextField(_("root cause"), max_length=4000, blank=True)
    corrective_measures = models.TextField(_("corrective measures"), max_length=4000, blank=True)
    preventive_measures = models.TextField(_("preventive measures"), max_length=4000, blank=True)
    analysed_at = models.DateTimeField(_("analysed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("fault report")
        verbose_name_plural = _("fault reports")
        constraints = [
            models.CheckConstraint(condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                                   name="fault_closed_has_time"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"GZ-{self.opened_at:%Y}-{self.pk:04d}"

    @property
    def is_open(self) -> bool:
        return self.status != FaultStatus.CLOSED

    @property
    def status_tone(self) -> str:
        return {FaultStatus.OPEN: "danger", FaultStatus.HANDLING: "warning", FaultStatus.RESTORED: "info"}.get(
            self.status, "neutral")

    @property
    def severity_tone(self) -> str:
        return "danger" if self.severity == Severity.CRITICAL else "warning"

    @property
    def has_analysis(self) -> bool:
        return all(text.strip() for text in (self.impact, self.handling_summary, self.root_cause))


class FaultUpdate(models.Model):
    """One entry of the fault's timeline: progress written by someone, or a status change. Never
    edited or deleted (the timeline is a record)."""

    fault = models.ForeignKey(FaultReport, on_delete=models.PROTECT, related_name="updates")
    at = models.DateTimeField(_("at"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    text = models.TextField(_("progress"), max_length=4000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=FaultStatus.choices, blank=True)

    class Meta:
        ordering = ("at", "id")
        verbose_name = _("fault progress entry")
        verbose_name_plural = _("fault progress entries")

    def __str__(self) -> str:
        return self.text[:60]


class RecipientKind(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    ROLE = "role", _("Role")
    USER = "user", _("Person")


class NoticeRecipient(models.Model):
    """One line of the list told of every major fault at once (R7.1): a department (its head, else its
    members), everyone holding a role (senior management: the general manager), or one person."""

    kind = models.CharField(_("kind"), max_length=10, choices=RecipientKind.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("department"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("person"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        ordering = ("kind", "id")
        verbose_name = _("fault notice recipient")
        verbose_name_plural = _("fault notice list")
        constraints = [
            models.UniqueConstraint(fields=("department",), condition=models.Q(kind="department"),
                                    name="fault_notice_department_once"),
            models.UniqueConstraint(fields=("role",), condition=models.Q(kind="role"), name="fault_notice_role_once"),
            models.UniqueConstraint(fields=("user",), condition=models.Q(kind="user"), name="fault_notice_user_once"),
        ]

    def __str__(self) -> str:
        if self.kind == RecipientKind.DEPARTMENT:
            return str(self.department)
        if self.kind == RecipientKind.ROLE:
            return str(self.get_role_display())
        return str(self.user.get_full_name() or self.user.get_username()) if self.user else ""
