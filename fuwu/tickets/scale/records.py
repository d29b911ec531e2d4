"""What the simulation knows of a request while it lives it: the request, its hand-overs, its SLA clocks.

Plain slotted records with int instants; `encoding.encode_chunk` turns them into rows. The ids of
clocks, hand-overs, repeat contacts and entries count from 0 within a chunk (see `simulation`).
"""

from dataclasses import dataclass, field

from fuwu.standards.models import ServiceType, SlaTarget
from fuwu.tickets.lifecycle import Status, Tier
from fuwu.tickets.models import Handover, SlaClock


@dataclass(slots=True)
class HandoverRecord:
    id: int
    ticket_id: int
    from_user: int
    to_group: int
    to_user: int | None
    note: str
    created_at: int
    state: str = Handover.State.PENDING
    decided_by: int | None = None
    decided_at: int | None = None
    decline_reason: str = ""


@dataclass(slots=True)
class ClockRecord:
    """An SLA clock as `fuwu.tickets.clocks` keeps it (instants in microseconds)."""

    id: int
    kind: str
    target: SlaTarget
    handover: HandoverRecord | None
    target_seconds: int
    started_at: int
    running_since: int | None
    state: str = SlaClock.State.RUNNING
    consumed: int = 0
    due_at: int | None = None
    warn_at: int | None = None
    met_at: int | None = None
    breached_at: int | None = None
    warned_at: int | None = None
    escalation_level: int = 0
    next_escalation_at: int | None = None
    missing_years: list = field(default_factory=list)
    pauses: list = field(default_factory=list)  # [started, ended or None, reason]
    first_watch: int = 0  # the watch's first run after the row existed


@dataclass(slots=True)
class TicketRecord:
    id: int
    number: str
    received: int
    registered: int
    code: str = ""
    service_type: ServiceType | None = None
    title: str = ""
    description: str = ""
    customer_id: int | None = None
    customer_class: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    site_address: str = ""
    region_id: int | None = None
    channel: str = ""
    occurred_since: str = ""
    is_retroactive: bool = False
    priority: str = ""
    status: str = Status.NEW
    tier: str = Tier.HOTLINE
    remote_authorised: bool = False
    is_major: bool = False
    first_responsible: int = 0
    owner: int | None = None
    group_id: int | None = None
    resolution: str = ""
    resolved_at: int | None = None
    closed_at: int | None = None
    repeat_contacts: int = 0
    pending: HandoverRecord | None = None
    onsite_arrived_at: int | None = None
    version: int = 1
    updated_at: int = 0
    step: int = 0
    clocks: list = field(default_factory=list)
    handovers: list = field(default_factory=list)
    repeats: list = field(default_factory=list)  # RepeatContact rows
    entries: list = field(default_factory=list)  # Entry rows
    escalations: list = field(default_factory=list)  # SlaEscalation rows (clock id, level, at, recipients)
    targets: dict[str, SlaTarget] = field(default_factory=dict)  # per clock kind, chosen at registration

