"""What the simulation keeps of a request while it lives it: the request, its hand-overs, its rows.

The request's workflow state is the core's `Request` (its clocks are the core's `Clock`s), so the
core's `Case` changes it directly; the rest are plain records with int instants that
`encoding.encode_chunk` turns into rows. The ids of clocks, hand-overs, repeat contacts and entries
count from 0 within a chunk (see `simulation`).
"""

from dataclasses import dataclass, field

from fuwu.standards.models import ServiceType
from fuwu.tickets.workflow.case import Request
from fuwu.tickets.workflow.clocks import Target
from fuwu.tickets.workflow.states import HandoverState


@dataclass(slots=True, eq=False)
class HandoverRecord:
    id: int
    ticket_id: int
    from_user: int
    to_group: int
    to_user: int | None
    note: str
    created_at: int
    state: str = HandoverState.PENDING
    decided_by: int | None = None
    decided_at: int | None = None
    decline_reason: str = ""


@dataclass(slots=True, kw_only=True)
class TicketRecord(Request):
    index: int = 0  # its place in the year (its random generator's seed)
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
    occurred_since: str = ""
    is_retroactive: bool = False
    pending: HandoverRecord | None = None
    version: int = 1
    updated_at: int = 0
    step: int = 0
    clocks: list = field(default_factory=list)  # the core's `Clock`s
    handovers: list = field(default_factory=list)
    repeats: list = field(default_factory=list)  # RepeatContact rows
    entries: list = field(default_factory=list)  # Entry rows
    escalations: list = field(default_factory=list)  # SlaEscalation rows (clock id, level, at, recipients)
    targets: dict[str, Target] = field(default_factory=dict)  # per clock kind, chosen at registration
