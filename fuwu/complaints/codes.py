"""Complaints (R6): audit action and error codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class ComplaintAction(AuditAction):
    OPENED = "complaint.opened", _("Complaint record opened")
    UPDATED = "complaint.updated", _("Complaint details recorded")
    INVESTIGATION_STARTED = "complaint.investigation_started", _("Complaint investigation started")
    NOTES_RECORDED = "complaint.notes_recorded", _("Investigation notes recorded")
    CONCLUDED = "complaint.concluded", _("Investigation concluded")
    SOLUTION_PROPOSED = "complaint.solution_proposed", _("Solution proposed to the customer")
    ANSWERED = "complaint.answered", _("Customer's answer recorded")
    CONTACT_ATTEMPTED = "complaint.contact_attempted", _("Attempt to reach the customer recorded")
    APOLOGISED = "complaint.apologised", _("Apology recorded")
    CLOSED = "complaint.closed", _("Complaint closed")
    COMPENSATION_PROPOSED = "compensation.proposed", _("Compensation proposed")
    COMPENSATION_APPROVED = "compensation.approved", _("Compensation approved")
    COMPENSATION_REFUSED = "compensation.refused", _("Compensation refused")
    ACCOUNTABILITY_OPENED = "accountability.opened", _("Accountability record opened")
    ACCOUNTABILITY_DECIDED = "accountability.decided", _("Accountability decided")
    ACCOUNTABILITY_ANSWERED = "accountability.answered", _("Employee answered the accountability record")
    ROOT_CAUSE_ADDED = "root_cause.added", _("Root cause added to the taxonomy")


class ComplaintError(ErrorCode):
    NOT_A_COMPLAINT = "complaint.not_a_complaint", "Only a complaint-kind request has a complaint record."
    MOVE_NOT_ALLOWED = "complaint.move_not_allowed", "The step does not exist from this status."
    NOT_CLOSABLE = ("complaint.not_closable",
                    "The complaint needs a conclusion and the customer's answer or attempts to reach them.")
    OWN_COMPLAINT = "complaint.own_complaint", "Nobody investigates a complaint against themselves."
    OWN_PROPOSAL = "compensation.own_proposal", "The person who proposed a compensation does not approve it."
    GM_APPROVAL = "compensation.general_manager", "Above the threshold only the general manager approves."
    ALREADY_DECIDED = "complaint.already_decided", "This has been decided already."
    ALREADY_ANSWERED = "accountability.already_answered", "The answer is recorded and cannot be changed."
    FORBIDDEN_WORK = "forbidden.complaint.work", "Only complaint handlers work on complaints."
    FORBIDDEN_APPROVE = "forbidden.complaint.approve", "Only the service manager approves and decides."
    NOT_YOURS = "forbidden.accountability.not_yours", "Only the employee concerned answers."
