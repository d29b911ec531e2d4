"""Every change to a service request (R3.1–R3.7, R4.1, R4.3, R4.7–R4.9).

Each action: keyword-only, the acting user first, one transaction, the ticket row locked and its
`version` checked, an audit event written, notifications queued in the outbox.
"""

from fuwu.tickets.actions._common import MoveNotAllowed
from fuwu.tickets.actions.conversation import ticket_add_entry
from fuwu.tickets.actions.escalation import sla_watch
from fuwu.tickets.actions.handover import handover_accept, handover_decline, ticket_hand_over, ticket_reassign
from fuwu.tickets.actions.moves import ticket_change_tier, ticket_move, tickets_auto_close
from fuwu.tickets.actions.registration import ticket_link, ticket_link_repeat, ticket_mark_major, ticket_register
from fuwu.tickets.actions.rulings import ruling_record, ruling_request
from fuwu.tickets.actions.sla import ticket_put_on_major_footing, ticket_reclassify, ticket_record_arrival

__all__ = [
    "MoveNotAllowed",
    "handover_accept",
    "handover_decline",
    "ruling_record",
    "ruling_request",
    "sla_watch",
    "ticket_add_entry",
    "ticket_change_tier",
    "ticket_hand_over",
    "ticket_link",
    "ticket_link_repeat",
    "ticket_mark_major",
    "ticket_move",
    "ticket_put_on_major_footing",
    "ticket_reassign",
    "ticket_reclassify",
    "ticket_record_arrival",
    "ticket_register",
    "tickets_auto_close",
]
