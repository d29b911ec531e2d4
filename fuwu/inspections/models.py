"""Inspections and mystery shopping (检查表 · 神秘顾客 · 质量巡检, R9.4, R9.7).

Rows change only through `fuwu/inspections/actions/`. A checklist is versioned like a
questionnaire: the versions of one checklist share its `code`, a published version is never
changed again (revising it drafts the next), and every inspection points at the exact version it
was scored on. A round plans who inspects what in a period; an inspection is one filled
checklist for one target; a failed one gives one finding, which becomes one service request.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fuwu.inspections import workflow
from fuwu.org.models import Group
from fuwu.tickets.models import Ticket

User = settings.AUTH_USER_MODEL


class Touchpoint(models.TextChoices):
    """Where the customer meets the service (the checklist's subject)."""

    HOTLINE_CALL = "hotline_call", _("Hotline call")
    ONSITE_VISIT = "onsite_visit", _("On-site visit")
    EMAIL_REPLY = "email_reply", _("E-mail reply")
    PORTAL = "portal", _("Customer portal")
    SERVICE_OUTLET = "service_outlet", _("Service outlet")
    OTHER = "other", _("Other")


class ChecklistKind(models.TextChoices):
    INSPECTION = "inspection", _("Service inspection")
    MYSTERY_SHOPPER = "mystery_shopper", _("Mystery shopper")


class ChecklistStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Checklist(models.Model):
    """One version of a checklist (检查表); the versions of one checklist share its `code`."""

    code = models.SlugField(_("code"), max_length=40)
    edition = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=ChecklistKind.choices, default=ChecklistKind.INSPECTION)
    touchpoint = models.CharField(_("touchpoint"), max_length=16, choices=Touchpoint.choices)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80)
    intro = models.TextField(_("instructions"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ChecklistStatus.choices,
                              default=ChecklistStatus.DRAFT)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # the edit counter (fuwu.core.locking)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["code", "-edition"]
        constraints = [
            models.UniqueConstraint(fields=["code", "edition"], name="checklist_code_edition"),
            models.UniqueConstraint(fields=["code"], condition=Q(status="draft"), name="checklist_one_draft"),
            models.UniqueConstraint(fields=["code"], condition=Q(status="published"), name="checklist_one_published"),
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="checklist_pass_mark_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.edition}"

    @property
    def is_draft(self) -> bool:
        return self.status == ChecklistStatus.DRAFT


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("item"), max_length=300)
    guidance = models.CharField(_("what to look for"), max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=5)
    critical = models.BooleanField(_("critical"), default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1) & Q(max_score__gte=1), name="checklist_item_positive"),
        ]

    def __str__(self) -> str:
        return self.text


class RoundStatus(models.TextChoices):
    PLANNED = workflow.RoundStatus.PLANNED, _("Planned")
    IN_PROGRESS = workflow.RoundStatus.IN_PROGRESS, _("In progress")
    COMPLETED = workflow.RoundStatus.COMPLETED, _("Completed")
    CANCELLED = workflow.RoundStatus.CANCELLED, _("Cancelled")


class RoundMove(models.TextChoices):
    START = workflow.RoundMove.START, _("Start the round")
    COMPLETE = workflow.RoundMove.COMPLETE, _("Complete the round")
    CANCEL = workflow.RoundMove.CANCEL, _("Cancel the round")


class InspectionRound(models.Model):
    """A scheduled inspection round (检查轮次, 质量巡检): a period, one checklist version, its
    inspectors and its targets (groups, staff members, a sample of requests)."""

    title = models.CharField(_("title"), max_length=120)
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="rounds",
                                  verbose_name=_("checklist"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.PLANNED,
                              db_index=True)
    inspectors = models.ManyToManyField(User, related_name="inspection_rounds", verbose_name=_("inspectors"))
    target_groups = models.ManyToManyField(Group, blank=True, related_name="+", verbose_name=_("groups inspected"))
    target_staff = models.ManyToManyField(User, blank=True, related_name="+", verbose_name=_("staff inspected"))
    sample_size = models.PositiveSmallIntegerField(_("requests to sample"), default=0)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-period_start", "-id"]
        constraints = [models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                              name="inspection_round_period")]

    def __str__(self) -> str:
        return self.title


class Inspection(models.Model):
    """One filled checklist: a supervisor's scores for one target (a staff member and their group,
    optionally one request or work order), the computed score and whether it passed."""

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="inspections")
    round = models.ForeignKey(InspectionRound, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="inspections", verbose_name=_("round"))
    touchpoint = models.CharField(_("touchpoint"), max_length=16, choices=Touchpoint.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ChecklistKind.choices)
    inspector = models.ForeignKey(User, on_delete=models.PROTECT, related_name="inspections_made",
                                  verbose_name=_("inspector"))
    staff = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="inspections_received", verbose_name=_("staff member"))
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+", verbose_name=_("group"))
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("service request"))
    # A work order is a sibling app's (fieldservice): named by its number, not a foreign key.
    work_order_number = models.CharField(_("work order"), max_length=32, blank=True)
    observed_at = models.DateTimeField(_("observed at"), db_index=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"))
    passed = models.BooleanField(_("passed"))
    critical_failed = models.PositiveSmallIntegerField(_("critical items failed"), default=0)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-observed_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100),
                                              name="inspection_score_percent")]

    def __str__(self) -> str:
        return f"{self.checklist.title} · {self.score}%"


class ItemScore(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="scores")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["item__position", "item_id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="item_score_once")]

    def __str__(self) -> str:
        return str(self.score)


class FindingReason(models.TextChoices):
    CRITICAL = "critical", _("A critical item failed")
    BELOW_PASS = "below_pass", _("Score below the pass mark")


class Finding(models.Model):
    """What a failed inspection found; it becomes one service request for the responsible group."""

    inspection = models.OneToOneField(Inspection, on_delete=models.PROTECT, related_name="finding")
    reason = models.CharField(_("reason"), max_length=12, choices=FindingReason.choices)
    summary = models.TextField(_("finding"), max_length=4000)
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible group"))
    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("service request"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.summary[:60]
