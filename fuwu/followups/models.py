"""Follow-ups (回访, R8.1–R8.3), their call attempts, the rules that make them fall due, and
customer care messages. Rows change only through `fuwu/followups/actions/`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fuwu.customers.models import Customer, CustomerClass, DeliveredProduct
from fuwu.followups import workflow
from fuwu.standards.models import ServiceCalendar, ServiceKind, ServiceType
from fuwu.tickets.models import Ticket

User = settings.AUTH_USER_MODEL
OPEN_VALUES = sorted(str(state) for state in workflow.OPEN)


class FollowUpKind(models.TextChoices):
    AFTER_SERVICE = workflow.FollowUpKind.AFTER_SERVICE, _("After service")
    PERIODIC = workflow.FollowUpKind.PERIODIC, _("Periodic (delivered product)")
    NEEDS_SURVEY = workflow.FollowUpKind.NEEDS_SURVEY, _("Next year's needs")


class FollowUpState(models.TextChoices):
    DUE = workflow.FollowUpState.DUE, _("To call")
    RETRY = workflow.FollowUpState.RETRY, _("Call again")
    REACHED = workflow.FollowUpState.REACHED, _("Reached")
    UNREACHABLE = workflow.FollowUpState.UNREACHABLE, _("Unreachable")
    WITHDRAWN = workflow.FollowUpState.WITHDRAWN, _("Withdrawn")


class FollowUpMove(models.TextChoices):
    REACH = workflow.FollowUpMove.REACH, _("Reached")
    MISS = workflow.FollowUpMove.MISS, _("Not reached")
    GIVE_UP = workflow.FollowUpMove.GIVE_UP, _("Not reached: given up")
    WITHDRAW = workflow.FollowUpMove.WITHDRAW, _("Withdrawn")


class NextStep(models.TextChoices):
    NONE = workflow.NextStep.NONE, _("Nothing further")
    REOPEN = workflow.NextStep.REOPEN, _("Reopen the request")
    COMPLAINT = workflow.NextStep.COMPLAINT, _("Open a complaint")


class DueSource(models.TextChoices):
    SLA = "sla", _("Follow-up time limit of the SLA policy")
    RULE = "rule", _("Follow-up rule")
    PLAN = "plan", _("Follow-up plan")


class FollowUp(models.Model):
    """One follow-up call to make: after a resolved request, on a delivered product's plan, or the
    December needs survey. `due_at` is the deadline (for a request: its follow-up clock's due
    instant when a policy sets one); `next_attempt_at` the time of the next call after a miss."""

    kind = models.CharField(_("kind"), max_length=16, choices=FollowUpKind.choices)
    state = models.CharField(_("state"), max_length=12, choices=FollowUpState.choices, default=FollowUpState.DUE)
    version = models.PositiveIntegerField(default=1)
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups",
                               verbose_name=_("service request"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="follow_ups", verbose_name=_("customer"))
    product = models.ForeignKey(DeliveredProduct, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="follow_ups", verbose_name=_("product"))
    plan_date = models.DateField(_("plan date"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"))
    due_source = models.CharField(_("due by"), max_length=8, choices=DueSource.choices)
    next_attempt_at = models.DateTimeField(_("call again at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("calls"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("calls at most"), default=3)
    created_at = models.DateTimeField(_("created"))
    # What the call found.
    opinion = models.TextField(_("customer's opinion"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    next_step = models.CharField(_("next step"), max_length=12, choices=NextStep.choices, blank=True)
    complaint = models.ForeignKey(Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("complaint"))
    entry_id = models.PositiveIntegerField(null=True, blank=True)  # the follow-up entry on the request
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)  # why withdrawn

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_at", "id"]
        indexes = [
            # The queue: open follow-ups by deadline, and the retries by their next call.
            models.Index(fields=["due_at", "id"], name="fu_open_due_idx", condition=Q(state__in=OPEN_VALUES)),
            models.Index(fields=["next_attempt_at"], name="fu_retry_idx", condition=Q(state="retry")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["ticket"], condition=Q(state__in=OPEN_VALUES),
                                    name="fu_one_open_per_ticket"),
            # Idempotent plans: one follow-up per product and plan date, one needs survey per customer and year.
            models.UniqueConstraint(fields=["product", "plan_date"], condition=Q(kind="periodic"),
                                    name="fu_one_per_product_date"),
            models.UniqueConstraint(fields=["customer", "plan_date"], condition=Q(kind="needs_survey"),
                                    name="fu_one_survey_per_customer_year"),
            models.CheckConstraint(condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                                   name="fu_satisfaction_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in workflow.OPEN


class FollowUpAttempt(models.Model):
    """One call: reached or not, by whom, when, and when the next one is due (R8.1)."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="attempt_rows")
    seq = models.PositiveSmallIntegerField(_("call"))
    at = models.DateTimeField(_("called at"))
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("called by"))
    reached = models.BooleanField(_("reached"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("call again at"), null=True, blank=True)

    class Meta:
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")
        ordering = ["follow_up", "seq"]
        constraints = [models.UniqueConstraint(fields=["follow_up", "seq"], name="fu_attempt_seq_unique")]

    def __str__(self) -> str:
        return f"{self.follow_up_id} #{self.seq}"


class FollowUpRule(models.Model):
    """Whether and by when a resolved request is followed up, and how unanswered calls are retried.

    The follow-up clock of the request's SLA policy decides the deadline when a policy sets one;
    `working_days` counts only for requests whose policies set none. Complaints are always followed up.
    """

    service_kind = models.CharField(_("service kind"), max_length=16, choices=ServiceKind.choices, blank=True)
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("service type"))
    required = models.BooleanField(_("follow up"), default=True)
    working_days = models.PositiveSmallIntegerField(_("within working days"), default=3)
    calendar = models.ForeignKey(ServiceCalendar, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("calendar"))
    retry_hours = models.PositiveSmallIntegerField(_("first retry after working hours"), default=2)
    max_attempts = models.PositiveSmallIntegerField(_("calls at most"), default=3)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("follow-up rule")
        verbose_name_plural = _("follow-up rules")
        ordering = ["service_kind", "service_type", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(working_days__gte=1, working_days__lte=30), name="fu_rule_days"),
            models.CheckConstraint(condition=Q(max_attempts__gte=1, max_attempts__lte=10), name="fu_rule_attempts"),
            models.CheckConstraint(condition=Q(retry_hours__gte=1, retry_hours__lte=72), name="fu_rule_retry_hours"),
        ]

    def __str__(self) -> str:
        return str(self.service_type or self.get_service_kind_display() or _("Default"))


class FollowUpPlanRule(models.Model):
    """How often a delivered product is followed up (R8.2), by product category and customer class;
    and whether customers of the class are asked about next year's needs each December (R8.3)."""

    category = models.CharField(_("product category (model code starts with)"), max_length=32, blank=True)
    customer_class = models.CharField(_("customer class"), max_length=16, choices=CustomerClass.choices, blank=True)
    first_months = models.PositiveSmallIntegerField(_("first period (months)"), default=12)
    first_every = models.PositiveSmallIntegerField(_("in the first period every (months)"), default=1)
    then_every = models.PositiveSmallIntegerField(_("afterwards every (months)"), default=3)
    needs_survey = models.BooleanField(_("December needs survey"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("follow-up plan rule")
        verbose_name_plural = _("follow-up plan rules")
        ordering = ["category", "customer_class", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(first_every__gte=1, first_every__lte=24, then_every__gte=1,
                                               then_every__lte=24, first_months__lte=120), name="fu_plan_periods"),
        ]

    def __str__(self) -> str:
        return " · ".join(str(part) for part in (self.category, self.get_customer_class_display()) if part) \
            or str(_("Default"))


class CareKind(models.TextChoices):
    GREETING = "greeting", _("Greeting")
    USAGE_TIP = "usage_tip", _("Usage tip")
    BENEFIT = "benefit", _("Benefit for long-standing customers")


class CareMessage(models.Model):
    """A customer care message (R8.3) and its schedule: sent once a year (a month given) or once a
    month, from `day` on, to the active contacts with an e-mail of the customers it is for."""

    kind = models.CharField(_("kind"), max_length=16, choices=CareKind.choices)
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("text"), max_length=4000,
                            help_text=_("{customer} and {contact} are replaced by the names."))
    month = models.PositiveSmallIntegerField(_("month (empty: every month)"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("from day of the month"), default=1)
    customer_class = models.CharField(_("customer class"), max_length=16, choices=CustomerClass.choices, blank=True)
    min_years = models.PositiveSmallIntegerField(_("customer for at least (years)"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("care message")
        verbose_name_plural = _("care messages")
        ordering = ["month", "day", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                                   name="fu_care_month"),
            models.CheckConstraint(condition=Q(day__gte=1, day__lte=28), name="fu_care_day"),
        ]

    def __str__(self) -> str:
        return self.subject
