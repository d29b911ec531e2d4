"""Improvement actions (整改措施: corrective and preventive, R17.1) and employees' suggestions (R17.2).
Rows change only through `fuwu/improvements/actions.py`. An action names its source generically
(`source_kind`, `source_id`): the apps that own the sources register how to label and link them in
`fuwu/improvements/sources.py`, so this app imports none of them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuwu.improvements import workflow


class ActionStatus(models.TextChoices):
    PROPOSED = workflow.ActionStatus.PROPOSED, _("Proposed, awaiting approval")
    APPROVED = workflow.ActionStatus.APPROVED, _("Approved")
    IN_PROGRESS = workflow.ActionStatus.IN_PROGRESS, _("In progress")
    DONE = workflow.ActionStatus.DONE, _("Done, awaiting verification")
    VERIFIED = workflow.ActionStatus.VERIFIED, _("Verified effective")
    CANCELLED = workflow.ActionStatus.CANCELLED, _("Cancelled")


class ActionMove(models.TextChoices):
    APPROVE = workflow.ActionMove.APPROVE, _("Approve")
    START = workflow.ActionMove.START, _("Start the work")
    COMPLETE = workflow.ActionMove.COMPLETE, _("Mark done")
    VERIFY = workflow.ActionMove.VERIFY, _("Verify: effective")
    REJECT = workflow.ActionMove.REJECT, _("Not effective: back to work")
    CANCEL = workflow.ActionMove.CANCEL, _("Cancel")


class ActionKind(models.TextChoices):
    CORRECTIVE = workflow.ActionKind.CORRECTIVE, _("Corrective")
    PREVENTIVE = workflow.ActionKind.PREVENTIVE, _("Preventive")


class ImprovementAction(models.Model):
    """One corrective or preventive action: goal, measures, owner, due date, approval, the work's
    progress notes and the verification of its effect (R17.1)."""

    class SourceKind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        FAULT = "fault", _("Major fault report")
        KPI_ALERT = "kpi_alert", _("KPI alert")
        INSPECTION = "inspection", _("Inspection")
        SUGGESTION = "suggestion", _("Employee suggestion")
        MANUAL = "manual", _("None (entered directly)")

    Status = ActionStatus
    Kind = ActionKind

    kind = models.CharField(_("kind"), max_length=12, choices=ActionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"), max_length=2000)
    measures = models.TextField(_("measures"), max_length=4000)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="improvement_actions",
                              verbose_name=_("owner"))
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices,
                              default=ActionStatus.PROPOSED, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    source_kind = models.CharField(_("source"), max_length=12, choices=SourceKind.choices, default=SourceKind.MANUAL)
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), db_index=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("done at"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("verified by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_note = models.TextField(_("verification of effect"), max_length=2000, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("cancelled by"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    # The due date the overdue notice went out for (once per due date, R17.1).
    overdue_notified_for = models.DateField(_("overdue notice sent for"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        indexes = [models.Index(fields=("source_kind", "source_id"), name="improvement_source_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(status="verified") | models.Q(verified_at__isnull=False),
                                   name="improvement_verified_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """GJ-2026-00012: the year it was proposed and its id."""
        year = timezone.localtime(self.proposed_at).year if self.proposed_at else 0
        return f"GJ-{year}-{self.pk or 0:05d}"

    @property
    def is_open(self) -> bool:
        return self.status in workflow.OPEN

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return workflow.is_overdue(self.status, self.due_on.toordinal(), today.toordinal())


class ProgressEntry(models.Model):
    """One line of an action's timeline: a progress note, or a step with its note. Append-only: no
    action edits or deletes an entry."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Progress note")
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        STARTED = "started", _("Work started")
        DONE = "done", _("Done")
        VERIFIED = "verified", _("Verified effective")
        NOT_EFFECTIVE = "not_effective", _("Not effective")
        CANCELLED = "cancelled", _("Cancelled")
        OVERDUE = "overdue", _("Overdue")

    action = models.ForeignKey(ImprovementAction, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.NOTE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    written_at = models.DateTimeField(_("at"))
    text = models.TextField(_("note"), max_length=4000, blank=True)

    class Meta:
        ordering = ("written_at", "id")
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")

    def __str__(self) -> str:
        return self.text[:60]


class SuggestionStatus(models.TextChoices):
    SUBMITTED = workflow.SuggestionStatus.SUBMITTED, _("Awaiting review")
    ACCEPTED = workflow.SuggestionStatus.ACCEPTED, _("Accepted")
    DECLINED = workflow.SuggestionStatus.DECLINED, _("Declined")


class Suggestion(models.Model):
    """An employee's improvement suggestion (合理化建议, R17.2): reviewed by a manager or quality
    supervisor, accepted into an improvement action or declined with a reason."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    status = models.CharField(_("status"), max_length=10, choices=SuggestionStatus.choices,
                              default=SuggestionStatus.SUBMITTED, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="suggestions",
                                     verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=1000, blank=True)
    action = models.OneToOneField(ImprovementAction, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="suggestion", verbose_name=_("improvement action"))

    class Meta:
        verbose_name = _("improvement suggestion")
        verbose_name_plural = _("improvement suggestions")

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        year = timezone.localtime(self.submitted_at).year if self.submitted_at else 0
        return f"JY-{year}-{self.pk or 0:05d}"
