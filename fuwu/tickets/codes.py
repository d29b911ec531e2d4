"""Service requests (R3, R4, R10.4): audit action codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction


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
