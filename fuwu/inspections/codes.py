"""Inspections (R9.4, R9.7): audit action and error codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class InspectionAction(AuditAction):
    CHECKLIST_CREATED = "checklist.created", _("Checklist drafted")
    CHECKLIST_EDITED = "checklist.edited", _("Checklist draft edited")
    CHECKLIST_ITEM_ADDED = "checklist.item_added", _("Checklist item added")
    CHECKLIST_ITEM_REMOVED = "checklist.item_removed", _("Checklist item removed")
    CHECKLIST_PUBLISHED = "checklist.published", _("Checklist version published")
    CHECKLIST_REVISED = "checklist.revised", _("Checklist revised into a new version")
    CHECKLIST_RETIRED = "checklist.retired", _("Checklist version retired")
    ROUND_PLANNED = "inspection_round.planned", _("Inspection round planned")
    ROUND_MOVED = "inspection_round.moved", _("Inspection round moved")
    INSPECTION_RECORDED = "inspection.recorded", _("Checklist scored")
    FINDING_RAISED = "finding.raised", _("Inspection finding raised as a request")


class InspectionError(ErrorCode):
    NOT_DRAFT = "checklist.not_draft", "A published checklist version is never changed; revise it."
    DRAFT_EXISTS = "checklist.draft_exists", "A draft of this checklist already exists."
    EMPTY = "checklist.empty", "A checklist needs at least one item."
    NOT_PUBLISHED = "checklist.not_published", "Only a published checklist version is used."
    MOVE_NOT_ALLOWED = "inspection_round.move_not_allowed", "The step does not exist from this status."
    ROUND_NOT_RUNNING = "inspection_round.not_running", "Checklists are scored on a round that is in progress."
    OWN_INSPECTION = "inspection.own", "Nobody inspects themselves."
    NOT_INSPECTOR = "inspection.not_inspector", "Only the round's inspectors score on it."
    NO_SERVICE_TYPE = "inspection.no_service_type", "The service type for quality issues does not exist."
