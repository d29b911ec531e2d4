"""Service requests (R3, R4, R10.4): audit action and error codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class TicketAction(AuditAction):
    REGISTERED = "ticket.registered", _("Request registered")
    MOVED = "ticket.moved", _("Status changed")
    HANDOVER_REQUESTED = "ticket.handover_requested", _("Hand-over requested")
    HANDOVER_ACCEPTED = "ticket.handover_accepted", _("Hand-over accepted")
    HANDOVER_DECLINED = "ticket.handover_declined", _("Hand-over declined")
    REASSIGNED = "ticket.reassigned", _("Reassigned by a manager")
    TIER_CHANGED = "ticket.tier_changed", _("Service tier changed")
    MARKED_MAJOR = "ticket.marked_major", _("Marked as a major matter")
    REPEAT_CONTACT = "ticket.repeat_contact", _("Customer contacted us again")
    REPLY_ADDED = "ticket.reply_added", _("Reply to the customer")
    NOTE_ADDED = "ticket.note_added", _("Internal note")
    ENTRY_CORRECTED = "ticket.entry_corrected", _("Entry corrected")
    RULING_REQUESTED = "ticket.ruling_requested", _("Office ruling requested")
    RULING_RECORDED = "ticket.ruling_recorded", _("Office ruling recorded")
    FOLLOW_UP_ADDED = "ticket.follow_up_added", _("Follow-up with the customer")
    RECLASSIFIED = "ticket.reclassified", _("Type or priority changed")
    ARRIVED_ON_SITE = "ticket.arrived_on_site", _("Arrived on site")
    SLA_WARNING = "ticket.sla_warning", _("Time limit nearly reached")
    SLA_BREACHED = "ticket.sla_breached", _("Time limit breached")
    SLA_ESCALATED = "ticket.sla_escalated", _("Overdue matter escalated")
    CUSTOMER_MESSAGE_ADDED = "ticket.customer_message_added", _("Message from the customer")
    LINKED = "ticket.linked", _("Linked to another request")


class TicketError(ErrorCode):
    """Error codes of the ticket actions and pages; the values are what API clients receive."""

    MOVE_NOT_ALLOWED = "move_not_allowed", "The move does not exist from this status, or not for this user."
    UNKNOWN_MOVE = "unknown_move", "No such move."
    REOPEN_WINDOW_CLOSED = "reopen_window_closed", "The reopen period has passed."
    CLOSE_REFUSED = "close_refused", "Work of another app on the request must finish before it ends."
    TICKET_CLOSED = "ticket_closed", "Only an open request takes repeat contacts."
    HANDOVER_PENDING = "handover_pending", "A hand-over is already waiting."
    HANDOVER_DECIDED = "handover_decided", "This hand-over is already decided."
    AUTHORISATION_REQUIRED = "authorisation_required", "Remote service needs the customer's authorisation."
    NOT_ONSITE = "not_onsite", "The request is not in on-site service."
    ALREADY_ARRIVED = "already_arrived", "The arrival is already recorded."
    ALREADY_CORRECTED = "already_corrected", "This entry was already corrected."
    ALREADY_RULED = "already_ruled", "This question has been ruled on."
    FORBIDDEN_MAJOR = "forbidden.major", "Only someone working the request marks it major."
    FORBIDDEN_HANDOVER = "forbidden.handover", "Only the owner or a manager hands a request over."
    FORBIDDEN_HANDOVER_DECIDE = "forbidden.handover_decide", "Only the target of a hand-over decides it."
    FORBIDDEN_TIER = "forbidden.tier", "Only someone working an open request changes its tier."
    FORBIDDEN_RULING_REQUEST = "forbidden.ruling_request", "Only someone working the request asks for a ruling."
    FORBIDDEN_RECLASSIFY = "forbidden.reclassify", "Only someone working an open request reclassifies it."
    FORBIDDEN_ARRIVAL = "forbidden.arrival", "Only someone working an open request records the arrival."
    FORBIDDEN_ENTRY = "forbidden.entry", "Only someone working the request writes on it."
    FORBIDDEN_CORRECT_ENTRY = "forbidden.correct_entry", "Only the author corrects an entry."
    FORBIDDEN_QUEUE = "forbidden.queue", "This queue is not visible to the viewer."
    FORBIDDEN_WORK = "forbidden.ticket.work", "Only staff who work requests see them."
