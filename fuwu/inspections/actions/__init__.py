"""Every change in inspections (R9.4, R9.7): one transaction, one permission check, one audit event
each; rounds move only through `fuwu.inspections.workflow`'s table."""

from fuwu.inspections.actions.checklists import (
    checklist_add_item,
    checklist_create,
    checklist_edit,
    checklist_publish,
    checklist_remove_item,
    checklist_retire,
    checklist_revise,
)
from fuwu.inspections.actions.rounds import round_move, round_plan, rounds_open_due
from fuwu.inspections.actions.scoring import ScoreInput, finding_raise, inspection_record, inspections_actor

__all__ = [
    "ScoreInput",
    "checklist_add_item",
    "checklist_create",
    "checklist_edit",
    "checklist_publish",
    "checklist_remove_item",
    "checklist_retire",
    "checklist_revise",
    "finding_raise",
    "inspection_record",
    "inspections_actor",
    "round_move",
    "round_plan",
    "rounds_open_due",
]
