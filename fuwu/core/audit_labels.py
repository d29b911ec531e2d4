"""Human names for audit action codes, so timelines read as sentences in either language."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "customer.created": _("Customer registered"),
    "customer.updated": _("Customer details changed"),
    "customer.archived": _("Customer archived"),
    "customer.restored": _("Customer restored"),
    "customer.contact_added": _("Contact added"),
    "customer.contact_deactivated": _("Contact retired"),
    "customer.address_added": _("Address added"),
    "customer.product_added": _("Delivered product added"),
    "customer.pii_revealed": _("Masked value revealed"),
    "customer.imported": _("Customers imported"),
    "customer.exported": _("Customers exported"),
    "customer.portal_login_linked": _("Portal login linked"),
    "ticket.registered": _("Request registered"),
    "ticket.moved": _("Status changed"),
    "ticket.handover_requested": _("Hand-over requested"),
    "ticket.handover_accepted": _("Hand-over accepted"),
    "ticket.handover_declined": _("Hand-over declined"),
    "ticket.reassigned": _("Reassigned by a manager"),
    "ticket.tier_changed": _("Service tier changed"),
    "ticket.marked_major": _("Marked as a major matter"),
    "ticket.repeat_contact": _("Customer contacted us again"),
    "ticket.reply_added": _("Reply to the customer"),
    "ticket.note_added": _("Internal note"),
    "ticket.entry_corrected": _("Entry corrected"),
    "ticket.ruling_requested": _("Office ruling requested"),
    "ticket.ruling_recorded": _("Office ruling recorded"),
    "staff.created": _("Staff account created"),
    "staff.superuser_granted": _("Administrator rights granted"),
    "region.created": _("Region created"),
    "skill.created": _("Skill created"),
    "group.leader_set": _("Group leader set"),
    "department.head_set": _("Department head set"),
    "api_token.issued": _("API token issued"),
    "api_token.revoked": _("API token revoked"),
    "auth.logged_in": _("Logged in"),
    "auth.locked_out": _("Login locked after failed attempts"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
