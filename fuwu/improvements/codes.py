"""Improvement actions and suggestions (R17): audit action and error codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class ImprovementEvent(AuditAction):
    OPENED = "improvement.opened", _("Improvement action proposed")
    UPDATED = "improvement.updated", _("Improvement action changed")
    APPROVED = "improvement.approved", _("Improvement action approved")
    STARTED = "improvement.started", _("Work on the improvement action started")
    COMPLETED = "improvement.completed", _("Improvement action done, awaiting verification")
    VERIFIED = "improvement.verified", _("Improvement action verified effective")
    REJECTED = "improvement.rejected", _("Improvement action found not effective")
    CANCELLED = "improvement.cancelled", _("Improvement action cancelled")
    NOTE_ADDED = "improvement.note_added", _("Progress note added to an improvement action")
    OVERDUE = "improvement.overdue", _("Improvement action overdue: owner and manager notified")
    SUGGESTION_SUBMITTED = "suggestion.submitted", _("Improvement suggestion submitted")
    SUGGESTION_ACCEPTED = "suggestion.accepted", _("Improvement suggestion accepted")
    SUGGESTION_DECLINED = "suggestion.declined", _("Improvement suggestion declined")


class ImprovementError(ErrorCode):
    MOVE_NOT_ALLOWED = "improvement.move_not_allowed", "The step does not exist from this status."
    OWN_VERIFICATION = "improvement.own_verification", "The owner of an action does not verify its effect."
    OWN_APPROVAL = "improvement.own_approval", "The proposer of an action does not approve it."
    NOT_OWNER = "improvement.not_owner", "Only the owner of the action carries it out."
    UNKNOWN_SOURCE = "improvement.unknown_source", "The source of the action is not known."
    ALREADY_REVIEWED = "suggestion.already_reviewed", "The suggestion has been reviewed already."
    OWN_SUGGESTION = "suggestion.own_suggestion", "Nobody reviews their own suggestion."
    FORBIDDEN_MANAGE = "forbidden.improvement.manage", ("Only managers and quality supervisors "
                                                        "manage improvement actions.")
    FORBIDDEN_APPROVE = "forbidden.improvement.approve", "Only the service manager approves improvement actions."
    FORBIDDEN_VERIFY = "forbidden.improvement.verify", "Only a quality supervisor verifies the effect."
    FORBIDDEN_SUBMIT = "forbidden.suggestion.submit", "Only staff members submit suggestions."
    FORBIDDEN_REVIEW = "forbidden.suggestion.review", "Only managers and quality supervisors review suggestions."
