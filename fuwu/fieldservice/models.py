"""Work orders and their visits (R5.1, R4.4, R5.5). Rows change only through `fuwu/fieldservice/actions.py`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fuwu.customers.models import DeliveredProduct, WarrantyStatus
from fuwu.fieldservice import workflow
from fuwu.org.models import Region, Skill
from fuwu.tickets.models import Ticket


class WorkOrderStatus(models.TextChoices):
    CREATED = workflow.WorkOrderStatus.CREATED, _("To schedule")
    SCHEDULED = workflow.WorkOrderStatus.SCHEDULED, _("Scheduled")
    DISPATCHED = workflow.WorkOrderStatus.DISPATCHED, _("Dispatched")
    EN_ROUTE = workflow.WorkOrderStatus.EN_ROUTE, _("On the way")
    ON_SITE = workflow.WorkOrderStatus.ON_SITE, _("On site")
    DIAGNOSED = workflow.WorkOrderStatus.DIAGNOSED, _("Diagnosed")
    REPAIRING = workflow.WorkOrderStatus.REPAIRING, _("Repairing")
    TESTING = workflow.WorkOrderStatus.TESTING, _("Testing")
    COMPLETED = workflow.WorkOrderStatus.COMPLETED, _("Signed off")
    REPORTED = workflow.WorkOrderStatus.REPORTED, _("Reported")
    REVISIT_NEEDED = workflow.WorkOrderStatus.REVISIT_NEEDED, _("Revisit needed")
    WAITING_PARTS = workflow.WorkOrderStatus.WAITING_PARTS, _("Waiting for parts")
    CANCELLED = workflow.WorkOrderStatus.CANCELLED, _("Cancelled")


class WorkOrderMove(models.TextChoices):
    SCHEDULE = workflow.WorkOrderMove.SCHEDULE, _("Schedule the visit")
    DISPATCH = workflow.WorkOrderMove.DISPATCH, _("Dispatch")
    DECLINE = workflow.WorkOrderMove.DECLINE, _("Decline")
    DEPART = workflow.WorkOrderMove.DEPART, _("Set off")
    CHECK_IN = workflow.WorkOrderMove.CHECK_IN, _("Check in on site")
    DIAGNOSE = workflow.WorkOrderMove.DIAGNOSE, _("Record the diagnosis")
    REPAIR = workflow.WorkOrderMove.REPAIR, _("Start the repair")
    TEST = workflow.WorkOrderMove.TEST, _("Test the repair")
    COMPLETE = workflow.WorkOrderMove.COMPLETE, _("Customer sign-off")
    REPORT = workflow.WorkOrderMove.REPORT, _("Report to the manager")
    NOT_FIXED = workflow.WorkOrderMove.NOT_FIXED, _("Not fixed on this visit")
    CANCEL = workflow.WorkOrderMove.CANCEL, _("Cancel the work order")


class VisitOutcome(models.TextChoices):
    PLANNED = "", _("Planned")
    COMPLETED = "completed", _("Fixed and signed off")
    REVISIT_NEEDED = "revisit_needed", _("Revisit needed")
    WAITING_PARTS = "waiting_parts", _("Waiting for parts")
    DECLINED = "declined", _("Declined by the technician")
    CANCELLED = "cancelled", _("Cancelled")


class WorkOrder(models.Model):
    """An on-site repair of one request (维修工单): where, what, for whom, under warranty or charged."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="work_orders",
                               verbose_name=_("service request"))
    number = models.CharField(_("number"), max_length=32, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=WorkOrderStatus.choices,
                              default=WorkOrderStatus.CREATED)
    version = models.PositiveIntegerField(_("version"), default=1)
    product = models.ForeignKey(DeliveredProduct, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="work_orders", verbose_name=_("product"))
    # Decided when the order is opened (R5.5): the warranty as it stood that day.
    warranty_status = models.CharField(_("warranty"), max_length=16, choices=WarrantyStatus.choices,
                                       default=WarrantyStatus.UNKNOWN)
    chargeable = models.BooleanField(_("charged to the customer"), default=False)
    fault = models.TextField(_("fault"), max_length=2000)
    # The skill the repair needs: dispatch ranks technicians who have it first (R4.6).
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("skill needed"))
    site_address = models.CharField(_("site address"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("region"))
    contact_name = models.CharField(_("contact"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="work_orders", verbose_name=_("technician"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    appointment_start = models.DateTimeField(_("appointment from"), null=True, blank=True, db_index=True)
    appointment_end = models.DateTimeField(_("appointment until"), null=True, blank=True)
    findings = models.TextField(_("diagnosis"), max_length=4000, blank=True)
    work_done = models.TextField(_("work done"), max_length=4000, blank=True)
    last_reason = models.CharField(_("reason"), max_length=500, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=64, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    signature = models.FileField(_("signature"), upload_to="signatures/%Y/%m/", blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"))
    completed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["technician", "status"], name="fs_wo_technician_status")]
        constraints = [
            models.CheckConstraint(condition=models.Q(satisfaction__isnull=True) | models.Q(
                satisfaction__gte=1, satisfaction__lte=5), name="fs_wo_satisfaction_1_to_5"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in workflow.OPEN


class Visit(models.Model):
    """One trip to the site: booked, travelled, worked, ended with an outcome (R5.1, R4.4)."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="visits",
                                   verbose_name=_("work order"))
    seq = models.PositiveSmallIntegerField(_("visit"))
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits",
                                   verbose_name=_("technician"))
    window_start = models.DateTimeField(_("appointment from"), db_index=True)
    window_end = models.DateTimeField(_("appointment until"))
    departed_at = models.DateTimeField(_("set off at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=VisitOutcome.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["work_order", "seq"]
        constraints = [models.UniqueConstraint(fields=["work_order", "seq"], name="fs_visit_seq_unique")]
        indexes = [models.Index(fields=["technician", "window_start"], name="fs_visit_technician_day")]

    def __str__(self) -> str:
        return f"{self.work_order.number} #{self.seq}"


class ProductDefect(models.Model):
    """A product quality problem a technician found during a repair, for quality and R&D (R5.3)."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="defects",
                                   verbose_name=_("work order"))
    product = models.ForeignKey(DeliveredProduct, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="defects", verbose_name=_("product"))
    description = models.TextField(_("defect"), max_length=2000)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("reported by"))
    reported_at = models.DateTimeField(_("reported at"), db_index=True)

    class Meta:
        verbose_name = _("product defect")
        verbose_name_plural = _("product defects")
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.work_order.number}: {self.description[:40]}"
