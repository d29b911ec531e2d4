"""Complaints (投诉, R6): the investigation record of a complaint-kind request, compensation and
claims, accountability. Rows change only through `fuwu/complaints/actions.py`. No field rates the
complainant (R6.4: complaining customers are never marked or treated worse)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fuwu.complaints import workflow
from fuwu.org.models import Department
from fuwu.tickets.models import Ticket

# The taxonomy the house starts with (migration 0002); managers add their own causes.
BUILTIN_ROOT_CAUSES = {
    "attitude": _("Service attitude"),
    "skill": _("Skill"),
    "product_quality": _("Product quality"),
    "delay": _("Delay"),
    "process": _("Process"),
    "billing": _("Billing"),
    "other": _("Other"),
}


class RootCause(models.Model):
    """A root cause a complaint's investigation may name (configurable taxonomy, R6.2, R6.5)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ("position", "id")
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self):
        """The built-in causes speak the reader's language; a cause a manager added shows its name."""
        return BUILTIN_ROOT_CAUSES.get(self.code, self.name)


class ComplaintStatus(models.TextChoices):
    REGISTERED = workflow.ComplaintStatus.REGISTERED, _("Registered")
    INVESTIGATING = workflow.ComplaintStatus.INVESTIGATING, _("Investigating")
    CONCLUDED = workflow.ComplaintStatus.CONCLUDED, _("Investigation concluded")
    SOLUTION_PROPOSED = workflow.ComplaintStatus.SOLUTION_PROPOSED, _("Solution proposed")
    AGREED = workflow.ComplaintStatus.AGREED, _("Customer agreed")
    REFUSED = workflow.ComplaintStatus.REFUSED, _("Customer refused")
    CLOSED = workflow.ComplaintStatus.CLOSED, _("Closed")


class ComplaintMove(models.TextChoices):
    INVESTIGATE = workflow.ComplaintMove.INVESTIGATE, _("Start the investigation")
    CONCLUDE = workflow.ComplaintMove.CONCLUDE, _("Record the conclusion")
    PROPOSE = workflow.ComplaintMove.PROPOSE, _("Propose a solution")
    AGREE = workflow.ComplaintMove.AGREE, _("Customer agrees")
    REFUSE = workflow.ComplaintMove.REFUSE, _("Customer refuses")
    CLOSE = workflow.ComplaintMove.CLOSE, _("Close the complaint")


class Severity(models.TextChoices):
    GENERAL = workflow.Severity.GENERAL, _("General")
    SERIOUS = workflow.Severity.SERIOUS, _("Serious")
    MAJOR = workflow.Severity.MAJOR, _("Major")


class Complaint(models.Model):
    """The complaint record of one complaint-kind request: what the customer demands, the
    investigation and its conclusion, the solution and the customer's answer."""

    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="complaint",
                                  verbose_name=_("service request"))
    status = models.CharField(_("status"), max_length=20, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.REGISTERED, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    demand = models.TextField(_("what the customer demands"), max_length=2000, blank=True)
    # The employee the customer complains about, when named: they may not investigate it (R1.2).
    accused = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("employee complained about"))
    investigator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="complaints_investigated", verbose_name=_("investigator"))
    investigation_notes = models.TextField(_("investigation notes"), max_length=8000, blank=True)
    responsible_department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                                               related_name="+", verbose_name=_("responsible department"))
    responsible_person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+", verbose_name=_("responsible person"))
    root_cause = models.ForeignKey(RootCause, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="complaints", verbose_name=_("root cause"))
    valid = models.BooleanField(_("found valid (经查属实)"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), max_length=4000, blank=True)
    solution = models.TextField(_("proposed solution"), max_length=4000, blank=True)
    # The customer's last answer to a solution; kept when the complaint closes (the success rate, R6.5).
    customer_agreed = models.BooleanField(_("customer agreed"), null=True, blank=True)
    customer_feedback = models.TextField(_("customer's answer"), max_length=4000, blank=True)
    apology_recorded = models.BooleanField(_("apology made"), default=False)
    apology_note = models.CharField(_("apology"), max_length=500, blank=True)
    apology_at = models.DateTimeField(_("apologised at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)  # the request's, for the figures
    opened_at = models.DateTimeField(_("opened at"))
    investigation_started_at = models.DateTimeField(_("investigation started"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    proposed_at = models.DateTimeField(_("solution proposed at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.CheckConstraint(condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                                   name="complaint_closed_has_time"),
        ]

    def __str__(self) -> str:
        return self.ticket.number

    @property
    def is_open(self) -> bool:
        return self.status != ComplaintStatus.CLOSED


class ContactAttempt(models.Model):
    """An attempt to reach the customer about the solution that did not get their answer."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="contact_attempts")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(_("at"))
    note = models.CharField(_("what happened"), max_length=500)

    class Meta:
        ordering = ("made_at", "id")

    def __str__(self) -> str:
        return self.note


class CompensationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Compensation(models.Model):
    """Money paid on a complaint: our offer, or the customer's claim (索赔), approved by the service
    manager, and above `FUWU_COMPENSATION_GM_THRESHOLD` by the general manager (R6.3)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="compensations")
    is_claim = models.BooleanField(_("customer's claim"), default=False)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=CompensationStatus.choices,
                              default=CompensationStatus.PROPOSED)
    needs_general_manager = models.BooleanField(_("needs the general manager"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("compensation")
        verbose_name_plural = _("compensations")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="compensation_amount_positive")]

    def __str__(self) -> str:
        return f"¥{self.amount}"


class Measure(models.TextChoices):
    COACHING = "coaching", _("Coaching")
    PENALTY = "penalty", _("Penalty")
    APOLOGY = "apology", _("Apology")


class AccountabilityStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the manager's decision")
    DECIDED = "decided", _("Decided")
    ANSWERED = "answered", _("Answered by the employee")


class Accountability(models.Model):
    """What follows for the employee from a complaint found valid (R6.4): the manager decides
    coaching, a penalty or an apology; the employee sees it and may answer once."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="accountabilities")
    employee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="accountabilities")
    status = models.CharField(_("status"), max_length=10, choices=AccountabilityStatus.choices,
                              default=AccountabilityStatus.PENDING)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"))
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices, blank=True)
    decision_note = models.TextField(_("decision"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    answer = models.TextField(_("employee's answer"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("accountability")
        verbose_name_plural = _("accountability records")
        constraints = [models.UniqueConstraint(fields=("complaint", "employee"), name="accountability_once")]

    def __str__(self) -> str:
        return f"{self.complaint} · {self.employee}"
