"""Reads of improvement actions and suggestions, each scoped to the viewer (R17)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from fuwu.core.errors import NotFound
from fuwu.improvements import rules, sources, workflow
from fuwu.improvements.models import ImprovementAction, ProgressEntry, Suggestion, SuggestionStatus
from fuwu.org.policy import Perm, can


def improvement_actions_visible_to(viewer) -> QuerySet[ImprovementAction]:
    """Every action for those who oversee improvement; anyone else the actions they own or proposed."""
    qs = ImprovementAction.objects.select_related("owner", "proposed_by", "approved_by", "verified_by")
    if can(viewer, Perm.IMPROVEMENT_VIEW):
        return qs
    if viewer.is_authenticated:
        return qs.filter(Q(owner=viewer) | Q(proposed_by=viewer))
    return qs.none()


def improvement_actions_for_source(*, viewer, source_kind: str, source_id: int) -> QuerySet[ImprovementAction]:
    """The actions opened from one source (a complaint, a fault report, ...) that the viewer may see."""
    return improvement_actions_visible_to(viewer).filter(source_kind=source_kind, source_id=source_id).order_by(
        "-proposed_at", "-id")


def improvement_action_for(viewer, action_id: int) -> ImprovementAction:
    action = improvement_actions_visible_to(viewer).filter(pk=action_id).first()
    if action is None:
        raise NotFound()
    return action


@dataclass(frozen=True)
class ImprovementFilters:
    status: str = ""  # a status, or "open"
    kind: str = ""
    source_kind: str = ""
    owner_id: int | None = None
    overdue: bool = False
    mine: bool = False


def improvement_action_list(viewer, filters: ImprovementFilters) -> QuerySet[ImprovementAction]:
    qs = improvement_actions_visible_to(viewer)
    if filters.status in ImprovementAction.Status.values:
        qs = qs.filter(status=filters.status)
    elif filters.status == "open":
        qs = qs.filter(status__in=workflow.OPEN)
    if filters.kind in ImprovementAction.Kind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.source_kind in ImprovementAction.SourceKind.values:
        qs = qs.filter(source_kind=filters.source_kind)
    if filters.owner_id:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.mine:
        qs = qs.filter(owner=viewer)
    if filters.overdue:
        qs = qs.filter(status__in=workflow.OWED, due_on__lt=timezone.localdate())
    return qs.order_by("-proposed_at", "-id")


def improvement_timeline(action: ImprovementAction) -> list[ProgressEntry]:
    return list(action.entries.select_related("author"))


def improvement_source(action: ImprovementAction) -> dict | None:
    """What the page shows as the source: its kind, its own name and the link, where registered."""
    if action.source_kind == ImprovementAction.SourceKind.MANUAL:
        return None
    return {"kind": action.get_source_kind_display(),
            "label": sources.source_label(action.source_kind, action.source_id),
            "url": sources.source_url(action.source_kind, action.source_id), "id": action.source_id}


def improvement_steps(viewer, action: ImprovementAction) -> dict:
    """What the viewer may do on the action now: which forms the page shows."""
    moves = {move: rules.may_move(viewer, action, move) for move in workflow.ActionMove}
    return {
        "approve": moves[workflow.ActionMove.APPROVE],
        "start": moves[workflow.ActionMove.START],
        "complete": moves[workflow.ActionMove.COMPLETE],
        "verify": moves[workflow.ActionMove.VERIFY],
        "cancel": moves[workflow.ActionMove.CANCEL],
        "note": rules.may_note(viewer, action),
        "edit": rules.may_manage(viewer) and action.status in workflow.OWED,
        # Said aloud on the page: why a supervisor who owns the action sees no verify form (R1.2).
        "own_verification": (action.status == workflow.ActionStatus.DONE and rules.is_owner(viewer, action)
                             and can(viewer, Perm.IMPROVEMENT_VERIFY)),
        "own_approval": (action.status == workflow.ActionStatus.PROPOSED and action.proposed_by_id == viewer.pk
                         and can(viewer, Perm.IMPROVEMENT_APPROVE)),
    }


def suggestions_visible_to(viewer) -> QuerySet[Suggestion]:
    """Every suggestion for the reviewers and those who oversee improvement; anyone else their own."""
    qs = Suggestion.objects.select_related("submitted_by", "reviewed_by", "action")
    if can(viewer, Perm.SUGGESTION_REVIEW) or can(viewer, Perm.IMPROVEMENT_VIEW):
        return qs
    if viewer.is_authenticated:
        return qs.filter(submitted_by=viewer)
    return qs.none()


def suggestion_list(viewer, *, status: str = "", mine: bool = False) -> QuerySet[Suggestion]:
    qs = suggestions_visible_to(viewer)
    if status in SuggestionStatus.values:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(submitted_by=viewer)
    return qs.order_by("-submitted_at", "-id")


def suggestion_for(viewer, suggestion_id: int) -> Suggestion:
    suggestion = suggestions_visible_to(viewer).filter(pk=suggestion_id).first()
    if suggestion is None:
        raise NotFound()
    return suggestion
