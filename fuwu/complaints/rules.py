"""Who may do what on a complaint (R6, R1.2): the guards beside the transition table."""

from fuwu.complaints.models import Accountability, Compensation, Complaint
from fuwu.org.policy import Perm, can


def may_work(user) -> bool:
    return can(user, Perm.COMPLAINT_WORK)


def may_approve(user) -> bool:
    return can(user, Perm.COMPLAINT_APPROVE)


def is_concerned(user, complaint: Complaint) -> bool:
    """The employee complained about or found responsible: never the investigator (R1.2)."""
    return user.pk is not None and user.pk in (complaint.accused_id, complaint.responsible_person_id)


def may_investigate(user, complaint: Complaint) -> bool:
    """The investigator, or a manager; never someone the complaint is about."""
    if not may_work(user) or is_concerned(user, complaint):
        return False
    return complaint.investigator_id == user.pk or may_approve(user)


def may_decide_compensation(user, compensation: Compensation) -> bool:
    """The service manager, and above the threshold the general manager; never the proposer (R6.3, R1.2)."""
    if compensation.proposed_by_id == user.pk:
        return False
    if compensation.needs_general_manager:
        return can(user, Perm.COMPLAINT_APPROVE_LARGE)
    return may_approve(user)


def may_decide_accountability(user, record: Accountability) -> bool:
    return may_approve(user) and record.employee_id != user.pk
