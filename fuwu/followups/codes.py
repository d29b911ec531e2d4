"""Follow-up and customer care (R8.1–R8.3): audit action and error codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class FollowUpAction(AuditAction):
    FELL_DUE = "follow_up.fell_due", _("Follow-up fell due")
    REACHED = "follow_up.reached", _("Follow-up call: customer reached")
    NOT_REACHED = "follow_up.not_reached", _("Follow-up call: customer not reached")
    UNREACHABLE = "follow_up.unreachable", _("Follow-up given up: customer unreachable")
    WITHDRAWN = "follow_up.withdrawn", _("Follow-up withdrawn")
    RECORDED_ON_REQUEST = "follow_up.recorded_on_request", _("Follow-up recorded on the request")
    PLANS_GENERATED = "follow_up.plans_generated", _("Periodic follow-ups generated")
    CARE_SENT = "follow_up.care_sent", _("Customer care messages queued")
    RULE_SAVED = "follow_up.rule_saved", _("Follow-up rule saved")


class FollowUpError(ErrorCode):
    FORBIDDEN_WORK = "forbidden.follow_up.work", "Only follow-up staff record follow-up calls."
    FORBIDDEN_MANAGE = "forbidden.follow_up.manage", "Only a manager or quality supervisor edits follow-up rules."
    MOVE_NOT_ALLOWED = "follow_up.move_not_allowed", "The follow-up is already closed."
    NEXT_STEP_REQUIRED = "follow_up.next_step_required", "An unsatisfied customer needs a next step."
    REOPEN_NOT_POSSIBLE = "follow_up.reopen_not_possible", "The request can no longer be reopened."
    NO_COMPLAINT_TYPE = "follow_up.no_complaint_type", "No active complaint service type exists."
    DUPLICATE_RULE = "follow_up.duplicate_rule", "An active rule for the same criteria exists."
