"""The lifecycle of a complaint (投诉, R6.2) as plain values and one transition table.

No Django import, like `fuwu/fieldservice/workflow.py`: `fuwu/complaints/actions.py` asks
`transition_for` whether a move exists and `closing_refusal` whether a complaint may close; the
models give the same values Django choices with labels (a test holds them equal).

registered -> investigating -> concluded (valid or not, responsible department and person, root
cause) -> solution proposed -> agreed / refused (a refused solution may be proposed again) -> closed.
A complaint closes only with an investigation conclusion and either the customer's answer or
documented attempts to reach them (`MIN_CONTACT_ATTEMPTS`).
"""

from dataclasses import dataclass
from enum import StrEnum


class ComplaintStatus(StrEnum):
    REGISTERED = "registered"
    INVESTIGATING = "investigating"
    CONCLUDED = "concluded"  # the investigation's conclusion is recorded (经查属实 or not)
    SOLUTION_PROPOSED = "solution_proposed"
    AGREED = "agreed"  # the customer agreed to the solution
    REFUSED = "refused"  # the customer refused it
    CLOSED = "closed"


class ComplaintMove(StrEnum):
    INVESTIGATE = "investigate"
    CONCLUDE = "conclude"
    PROPOSE = "propose"
    AGREE = "agree"
    REFUSE = "refuse"
    CLOSE = "close"


class Severity(StrEnum):
    GENERAL = "general"
    SERIOUS = "serious"
    MAJOR = "major"  # 重大投诉: the manager and the general manager hear of it at once (R6.3)


S, M = ComplaintStatus, ComplaintMove


@dataclass(frozen=True)
class Transition:
    move: ComplaintMove
    source: ComplaintStatus
    target: ComplaintStatus


TRANSITIONS: tuple[Transition, ...] = (
    Transition(M.INVESTIGATE, S.REGISTERED, S.INVESTIGATING),
    Transition(M.CONCLUDE, S.INVESTIGATING, S.CONCLUDED),
    Transition(M.PROPOSE, S.CONCLUDED, S.SOLUTION_PROPOSED),
    Transition(M.PROPOSE, S.REFUSED, S.SOLUTION_PROPOSED),  # a new solution after a refusal
    Transition(M.AGREE, S.SOLUTION_PROPOSED, S.AGREED),
    Transition(M.REFUSE, S.SOLUTION_PROPOSED, S.REFUSED),
    *(Transition(M.CLOSE, source, S.CLOSED) for source in (S.CONCLUDED, S.SOLUTION_PROPOSED, S.AGREED, S.REFUSED)),
)

OPEN = frozenset(S) - {S.CLOSED}
# Statuses in which the customer has answered the solution.
ANSWERED = frozenset({S.AGREED, S.REFUSED})
# Documented attempts to reach a customer who does not answer, before a complaint may close without them.
MIN_CONTACT_ATTEMPTS = 2

_TABLE = {(t.source.value, t.move.value): t for t in TRANSITIONS}


def transition_for(source: str, move: str) -> Transition | None:
    return _TABLE.get((str(source), str(move)))


def moves_from(source: str) -> list[ComplaintMove]:
    return [t.move for t in TRANSITIONS if t.source == source]


class CloseRefusal(StrEnum):
    NOT_CONCLUDED = "not_concluded"  # no investigation conclusion yet
    NO_FEEDBACK = "no_feedback"  # neither the customer's answer nor enough documented attempts
    ALREADY_CLOSED = "already_closed"


def closing_refusal(status: str, *, has_conclusion: bool, contact_attempts: int) -> CloseRefusal | None:
    """Why a complaint in `status` may not close now, or None when it may."""
    if status == S.CLOSED:
        return CloseRefusal.ALREADY_CLOSED
    if transition_for(status, M.CLOSE) is None or not has_conclusion:
        return CloseRefusal.NOT_CONCLUDED
    if status not in ANSWERED and contact_attempts < MIN_CONTACT_ATTEMPTS:
        return CloseRefusal.NO_FEEDBACK
    return None


def needs_general_manager(amount_fen: int, threshold_fen: int) -> bool:
    """A compensation above the threshold needs the general manager's approval (R6.3); amounts in fen."""
    return amount_fen > threshold_fen
