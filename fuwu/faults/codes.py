"""Major fault reports (R7): audit action and error codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class FaultAction(AuditAction):
    OPENED = "fault.opened", _("Major fault reported")
    UPDATED = "fault.updated", _("Fault report details changed")
    MOVED = "fault.moved", _("Fault report status changed")
    PROGRESS = "fault.progress", _("Fault progress recorded")
    ANALYSED = "fault.analysed", _("Fault analysis recorded")
    CLOSED = "fault.closed", _("Fault report closed")
    RECIPIENT_ADDED = "fault.recipient_added", _("Added to the fault notice list")
    RECIPIENT_REMOVED = "fault.recipient_removed", _("Removed from the fault notice list")


class FaultError(ErrorCode):
    MOVE_NOT_ALLOWED = "fault.move_not_allowed", "The step does not exist from this status."
    NOT_CLOSABLE = ("fault.not_closable",
                    "The fault needs to be restored, analysed and to have a corrective or preventive action.")
    CLOSED = "fault.closed", "The fault report is closed."
    FORBIDDEN_REPORT = "forbidden.fault.report", "Only service staff report and follow faults."
    FORBIDDEN_MANAGE = "forbidden.fault.manage", "Only the service manager closes faults and keeps the notice list."
