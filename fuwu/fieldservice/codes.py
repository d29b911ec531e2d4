"""Field service (R5.1, R4.4–R4.6): audit action and error codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class WorkOrderAction(AuditAction):
    OPENED = "work_order.opened", _("Work order opened")
    SCHEDULED = "work_order.scheduled", _("Visit scheduled")
    RESCHEDULED = "work_order.rescheduled", _("Visit rescheduled")
    DISPATCHED = "work_order.dispatched", _("Work order dispatched")
    ACCEPTED = "work_order.accepted", _("Technician accepted the work order")
    DECLINED = "work_order.declined", _("Technician declined the work order")
    MOVED = "work_order.moved", _("Work order step recorded")
    COMPLETED = "work_order.completed", _("Customer signed off")
    CANCELLED = "work_order.cancelled", _("Work order cancelled")
    REMINDED = "work_order.reminded", _("Appointment reminders sent")
    DEFECT_REPORTED = "work_order.defect_reported", _("Product defect reported")


class WorkOrderError(ErrorCode):
    MOVE_NOT_ALLOWED = "work_order.move_not_allowed", "The step does not exist from this status, or not for this user."
    FORBIDDEN_OPEN = "forbidden.work_order.open", "Only a dispatcher or someone working the request sends it on site."
    FORBIDDEN_DISPATCH = "forbidden.work_order.dispatch", "Only a dispatcher schedules and dispatches work orders."
    FORBIDDEN_WORK = "forbidden.work_order.work", "Only the assigned technician records the work."
    NOT_A_TECHNICIAN = "work_order.not_a_technician", "Work orders go to active field technicians."
    OPEN_WORK_ORDER = "work_order.already_open", "The request already has an open work order."
    REQUEST_CLOSED = "work_order.request_closed", "Only an open request goes on site."
    DOUBLE_BOOKING = "work_order.double_booking", "The technician is booked elsewhere at that time."
    NOT_AT_WORK = "work_order.not_at_work", "Parts are recorded while the technician is at work on site."
    ALREADY_ACCEPTED = "work_order.already_accepted", "The technician has already accepted."
