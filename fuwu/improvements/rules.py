"""Who may do what on an improvement action or a suggestion (R17, R1.2): the guards beside the
transition table. Supervision is separate from execution: the owner who carries out an action never
verifies its effect, and the proposer does not approve it."""

from fuwu.improvements.models import ImprovementAction, Suggestion
from fuwu.improvements.workflow import Side, transition_for
from fuwu.org.policy import Perm, can


def may_manage(user) -> bool:
    return can(user, Perm.IMPROVEMENT_MANAGE)


def is_owner(user, action: ImprovementAction) -> bool:
    return user.pk is not None and action.owner_id == user.pk


def may_move(user, action: ImprovementAction, move: str) -> bool:
    """Whether the user may make this move now (the table's side, and separation of duties)."""
    transition = transition_for(action.status, move)
    if transition is None:
        return False
    if transition.side == Side.APPROVER:
        return can(user, Perm.IMPROVEMENT_APPROVE) and action.proposed_by_id != user.pk
    if transition.side == Side.OWNER:
        return is_owner(user, action)
    if transition.side == Side.VERIFIER:
        return can(user, Perm.IMPROVEMENT_VERIFY) and not is_owner(user, action)
    return may_manage(user)


def may_note(user, action: ImprovementAction) -> bool:
    return action.is_open and (is_owner(user, action) or may_manage(user))


def may_review(user, suggestion: Suggestion) -> bool:
    return can(user, Perm.SUGGESTION_REVIEW) and suggestion.submitted_by_id != user.pk
