"""Satisfaction surveys (R9.1): questionnaires in versions, campaigns, invitations and responses.

Rows change only through `fuwu/surveys/actions.py`. A published questionnaire version is never
changed again: revising it makes the next version (a draft), and every invitation and response
points at the exact version it was sent and answered in.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fuwu.customers.models import Customer
from fuwu.org.models import Group
from fuwu.standards.models import ServiceKind, ServiceType
from fuwu.tickets.models import Ticket

User = settings.AUTH_USER_MODEL


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Topic(models.TextChoices):
    """What the survey covers (R9.1)."""

    AFTER_SALES = "after_sales", _("After-sales service")
    INSTALLATION = "installation", _("Installation")
    OPERATION = "operation", _("Operation")
    IMPLEMENTATION = "implementation", _("Implementation")
    TRAINING = "training", _("Training")
    GENERAL = "general", _("Overall relationship")


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating 1–5")
    NPS = "nps", _("Recommendation 0–10")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
SCALES = {QuestionKind.RATING: range(1, 6), QuestionKind.NPS: range(0, 11)}


class Questionnaire(models.Model):
    """One version of a questionnaire; the versions of one questionnaire share its `code`."""

    code = models.SlugField(_("code"), max_length=40)
    edition = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=120)
    intro = models.TextField(_("introduction"), max_length=1000, blank=True)
    topic = models.CharField(_("covers"), max_length=16, choices=Topic.choices, default=Topic.AFTER_SALES)
    status = models.CharField(_("status"), max_length=10, choices=QuestionnaireStatus.choices,
                              default=QuestionnaireStatus.DRAFT)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # the edit counter (fuwu.core.locking)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["code", "-edition"]
        constraints = [
            models.UniqueConstraint(fields=["code", "edition"], name="survey_q_code_edition"),
            # One draft and one published version per questionnaire at a time.
            models.UniqueConstraint(fields=["code"], condition=Q(status="draft"), name="survey_q_one_draft"),
            models.UniqueConstraint(fields=["code"], condition=Q(status="published"), name="survey_q_one_published"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.edition}"

    @property
    def is_draft(self) -> bool:
        return self.status == QuestionnaireStatus.DRAFT

    @property
    def status_tone(self) -> str:
        """The status's tone on the design system's scale (docs/design.md): draft warns, published is good."""
        tones = {QuestionnaireStatus.DRAFT: "warning", QuestionnaireStatus.PUBLISHED: "success"}
        return tones.get(self.status, "neutral")


class Section(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("section"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["questionnaire", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    options = models.JSONField(_("options"), default=list, blank=True)  # the labels of a choice question
    # A rating whose 4–5 answers count as satisfied in the figures (R9.1).
    counts_for_satisfaction = models.BooleanField(_("counts for the satisfaction rate"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "section__position", "position", "id"]

    def __str__(self) -> str:
        return self.text


class CampaignKind(models.TextChoices):
    AFTER_SERVICE = "after_service", _("After each service")
    MONTHLY = "monthly", _("Monthly sample of requests")
    QUARTERLY = "quarterly", _("Quarterly sample of requests")
    YEARLY = "yearly", _("Yearly survey of customers")


class Channel(models.TextChoices):
    """How an invitation reaches the customer, and how a response came back."""

    ONLINE = "online", _("Online (the link)")  # a response through the public page
    EMAIL = "email", _("E-mail link")
    PORTAL = "portal", _("Customer portal")
    PHONE = "phone", _("Phone")
    PAPER = "paper", _("Paper")


class Campaign(models.Model):
    """When invitations are made and how they go out."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("when"), max_length=16, choices=CampaignKind.choices)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="campaigns",
                                      verbose_name=_("questionnaire"))
    # After-service and sampled campaigns: the requests they cover (empty: all).
    service_kinds = models.JSONField(_("kinds of request"), default=list, blank=True)
    service_types = models.ManyToManyField(ServiceType, blank=True, related_name="+", verbose_name=_("service types"))
    sample_size = models.PositiveIntegerField(_("sample size"), default=0)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-is_active", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def kind_values(self) -> list[str]:
        return [k for k in self.service_kinds if k in ServiceKind.values]

    def covered(self) -> list[str]:
        """What it covers, for people: the service types chosen, else the kinds of request."""
        types = [str(t) for t in self.service_types.all()]
        return types or [str(ServiceKind(k).label) for k in self.kind_values()]


class SampleRun(models.Model):
    """A sampled campaign's draw for one period: made once (unique), so the daily job is idempotent."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="runs")
    period = models.CharField(max_length=8)  # "2026-11", "2026-Q4", "2026"
    drawn_at = models.DateTimeField()
    invited = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "period"], name="survey_run_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.period}"


class Invitation(models.Model):
    """One customer asked to answer one questionnaire version, through a public link (token)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="invitations")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="invitations")
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("service request"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("customer"))
    # Who served, where and what, as they stood when the invitation was made (the figures' breakdowns).
    staff = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("served by"))
    group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("group"))
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("service type"))
    contact_name = models.CharField(_("contact"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # Once per request (after service) or per customer and period (samples): the rule in the key.
    dedupe_key = models.CharField(max_length=80, unique=True)
    # The link's token is never stored: its SHA-256 finds the row; `nonce` rebuilds it with the secret key.
    token_hash = models.CharField(max_length=64, unique=True)
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(_("sent at"), db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["customer", "answered_at"], name="survey_inv_customer_open")]

    def __str__(self) -> str:
        return f"{self.questionnaire} → {self.contact_name or self.customer_id}"


class Response(models.Model):
    """The answers to one invitation: one at most (a unique constraint, whatever submits at once)."""

    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="response")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    entered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("entered by"))
    submitted_at = models.DateTimeField(_("answered at"), db_index=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.invitation_id} @ {self.submitted_at:%Y-%m-%d}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.PositiveSmallIntegerField(null=True, blank=True)  # a rating 1–5 or a recommendation 0–10
    text = models.TextField(blank=True)  # free text, or the option chosen
    choices = models.JSONField(default=list, blank=True)  # the options chosen (multiple choice)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_one_answer_per_question"),
            models.CheckConstraint(condition=Q(number__isnull=True) | Q(number__lte=10), name="survey_answer_0_10"),
        ]
        indexes = [models.Index(fields=["question", "number"], name="survey_answer_question_number")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.number if self.number is not None else self.text[:20]}"
