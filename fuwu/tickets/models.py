"""Service requests (工单, R3, R4): the ticket, its hand-overs, repeat contacts, conversation and rulings.

Written only by `fuwu.tickets.actions`. `first_responsible` is fixed at registration; database
triggers refuse any later change to it (migration 0002), whatever the path.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fuwu.customers.models import Customer
from fuwu.org.models import Group, Region
from fuwu.standards.models import Channel, ClockKind, Priority, ServiceCalendar, ServiceType, SlaTarget
from fuwu.tickets.lifecycle import FINAL_STATUSES, OPEN_STATUSES, Status, Tier

User = settings.AUTH_USER_MODEL

# The partial indexes name the statuses in this fixed order, and so must the queries meant to use
# them: SQLite uses a partial index only when the query's IN list is written exactly as the index's
# (a set's order changes from one process to the next). PostgreSQL does not mind.
OPEN_STATUS_LIST = sorted(OPEN_STATUSES)
FINAL_STATUS_LIST = sorted(FINAL_STATUSES)
_IS_OPEN = Q(status__in=OPEN_STATUS_LIST)


class TicketNumberSequence(models.Model):
    """The last number given out per year; incremented under a row lock, so numbers never repeat."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Ticket(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service type")
    )
    kind = models.CharField(_("kind"), max_length=16)  # copied from the type, for filters and reports
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets", verbose_name=_("customer")
    )
    contact_name = models.CharField(_("contact name"), max_length=64)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True, db_index=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    site_address = models.CharField(_("site address"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    occurred_since = models.CharField(_("since when"), max_length=64, blank=True)
    registered_at = models.DateTimeField(_("registered at"))
    # R3.7: acted first, registered afterwards; received_at is then the real start time.
    is_retroactive = models.BooleanField(_("registered after the fact"), default=False)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    tier = models.CharField(_("tier"), max_length=8, choices=Tier.choices, default=Tier.HOTLINE)
    remote_authorised = models.BooleanField(_("remote service authorised by the customer"), default=False)
    is_major = models.BooleanField(_("major matter"), default=False)
    first_responsible = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="first_contact_tickets", verbose_name=_("first-responsible")
    )
    owner = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_tickets", verbose_name=_("owner")
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets", verbose_name=_("group")
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    repeat_contacts = models.PositiveIntegerField(_("repeat contacts"), default=0)
    has_pending_handover = models.BooleanField(_("hand-over pending"), default=False)
    onsite_arrived_at = models.DateTimeField(_("arrived on site"), null=True, blank=True)
    # The most urgent running SLA clock, kept by the ticket actions (`fuwu.tickets.cases`) for the queues (R10.4).
    sla_due_at = models.DateTimeField(_("due"), null=True, blank=True)
    sla_state = models.CharField(_("SLA state"), max_length=10, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        indexes = [
            # The queues: open work by owner / group, newest first (keyset on id).
            models.Index(fields=["owner", "id"], name="ticket_open_owner_idx", condition=_IS_OPEN),
            models.Index(fields=["group", "id"], name="ticket_open_group_idx", condition=_IS_OPEN),
            models.Index(
                fields=["first_responsible", "id"], name="ticket_first_resp_idx",
                condition=~Q(status__in=FINAL_STATUS_LIST),
            ),
            models.Index(fields=["status", "id"], name="ticket_status_idx"),
            models.Index(fields=["customer", "id"], name="ticket_customer_idx"),
            models.Index(fields=["received_at"], name="ticket_received_idx"),
            # Filtered lists sorted by the time received or changed (`sort=received` / `updated`), at any size.
            models.Index(fields=["status", "received_at", "id"], name="ticket_status_received_idx"),
            models.Index(fields=["updated_at", "id"], name="ticket_updated_idx"),
            models.Index(fields=["sla_due_at"], name="ticket_open_due_idx", condition=_IS_OPEN),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Handover(models.Model):
    """A registered hand-off (登记移交, R3.3): until accepted, the current owner stays the owner."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="handovers")
    from_user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    to_group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(state="pending"), name="one_pending_handover_per_ticket"
            )
        ]
        indexes = [
            models.Index(fields=["to_user", "state"], name="handover_to_user_idx"),
            models.Index(fields=["to_group", "state"], name="handover_to_group_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.to_group_id} ({self.state})"


class RepeatContact(models.Model):
    """The customer called again about the same open matter (R3.4); counted, not a new ticket."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="repeats")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField()
    taken_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.ticket_id} @ {self.received_at:%Y-%m-%d %H:%M}"


class TicketLink(models.Model):
    class Kind(models.TextChoices):
        RELATED = "related", _("Related")
        DUPLICATE = "duplicate", _("Duplicate of")

    source = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="links_out")
    target = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="links_in")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="one_link_per_pair")]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


class SlaClock(models.Model):
    """One time target running on one request (R10.4, R4.4): started, due, paused, met or breached.

    Driven only by the workflow core (`fuwu.tickets.workflow`), inside the ticket action that causes
    the change. Working time already used up is `consumed_seconds` plus, while running, the business time since
    `running_since`; `due_at` and `warn_at` are computed when the clock (re)starts.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        MET = "met", _("Met")
        STOPPED = "stopped", _("Stopped")  # no longer applies (cancelled request, declined hand-over)

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="clocks")
    kind = models.CharField(_("clock"), max_length=24, choices=ClockKind.choices)
    target = models.ForeignKey(SlaTarget, on_delete=models.PROTECT, related_name="+")
    calendar = models.ForeignKey(ServiceCalendar, on_delete=models.PROTECT, related_name="+")
    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, null=True, blank=True, related_name="clocks")
    target_seconds = models.PositiveIntegerField(null=True, blank=True)  # null: end of the business day
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.RUNNING)
    started_at = models.DateTimeField(_("started"))
    running_since = models.DateTimeField(null=True, blank=True)
    consumed_seconds = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    missing_years = models.JSONField(default=list, blank=True)  # calendar data missing (R10.3)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["ticket", "id"]
        indexes = [
            # The breach watch: only running clocks, by the next instant something is due.
            models.Index(fields=["warn_at"], name="clock_warn_idx", condition=Q(state="running", warned_at=None)),
            models.Index(fields=["due_at"], name="clock_due_idx", condition=Q(state="running", breached_at=None)),
            models.Index(fields=["next_escalation_at"], name="clock_escalate_idx", condition=Q(state="running")),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}:{self.kind} {self.state}"


class SlaClockPause(models.Model):
    """A stretch during which a clock stood still, e.g. while waiting for the customer."""

    clock = models.ForeignKey(SlaClock, on_delete=models.PROTECT, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=32)

    class Meta:
        ordering = ["clock", "started_at"]

    def __str__(self) -> str:
        return f"{self.clock_id} {self.started_at:%Y-%m-%d %H:%M}"


class SlaEscalation(models.Model):
    """One step up the escalation chain for one clock; unique, so a step is never taken twice (R9.5)."""

    clock = models.ForeignKey(SlaClock, on_delete=models.PROTECT, related_name="escalations")
    level = models.PositiveSmallIntegerField()  # 0 warning, 1 owner and group leader, 2 manager, 3 GM
    at = models.DateTimeField()
    recipients = models.JSONField(default=list)

    class Meta:
        ordering = ["clock", "level"]
        constraints = [models.UniqueConstraint(fields=["clock", "level"], name="one_escalation_per_level")]

    def __str__(self) -> str:
        return f"{self.clock_id}@{self.level}"


class Entry(models.Model):
    """A reply to the customer, an internal note, or a message from the customer. Never edited: a
    correction supersedes it (R4.9)."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply to customer")
        NOTE = "note", _("Internal note")
        FOLLOW_UP = "follow_up", _("Follow-up with the customer")  # after resolution; meets that clock
        # Written by the customer's own portal login (R3.1); meets no clock; staff read it on the request page.
        CUSTOMER = "customer", _("Message from the customer")

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("text"))  # sanitised HTML
    created_at = models.DateTimeField()
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"tickets/{instance.entry.ticket_id}/{instance.entry_id}/{filename}"


class Attachment(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class OfficeRuling(models.Model):
    """A cross-department disagreement sent to the office for a recorded ruling (R4.7)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="rulings")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    question = models.TextField(_("question"))
    ruling = models.TextField(_("ruling"), blank=True)
    ruled_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ruled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.question[:40]}"
