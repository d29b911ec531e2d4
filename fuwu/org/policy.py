"""The one place that decides who may do what (R1.2).

Actions call `require`, selectors call `can` to scope querysets, views and the API call both,
and navigation is built from the same answers. Supervision is separate from execution: the
quality supervisor reads and audits but does not do the work it supervises.
"""

from enum import StrEnum

from fuwu.core.codes import CoreError
from fuwu.core.errors import PermissionDenied
from fuwu.org.roles import Role


class Perm(StrEnum):
    CUSTOMER_VIEW = "customer.view"
    CUSTOMER_CREATE = "customer.create"
    CUSTOMER_EDIT = "customer.edit"
    CUSTOMER_IMPORT = "customer.import"
    CUSTOMER_EXPORT = "customer.export"
    # Seeing phone numbers / identity numbers in clear without asking (R2.2).
    CUSTOMER_PHONE_CLEAR = "customer.phone_clear"
    CUSTOMER_IDENTITY_CLEAR = "customer.identity_clear"
    # Revealing one masked value on purpose; always written to the audit record.
    CUSTOMER_REVEAL = "customer.reveal"
    CUSTOMER_ALL = "customer.all"  # not limited to one's own customer record
    STAFF_VIEW = "staff.view"
    STAFF_MANAGE = "staff.manage"
    AUDIT_VIEW = "audit.view"
    API_TOKEN_ISSUE = "api_token.issue"  # noqa: S105 (a permission code, not a secret)
    TICKET_VIEW = "ticket.view"  # see every service request (R4.8: for query and statistics)
    TICKET_WORK = "ticket.work"  # take calls, register, hand over, work and resolve requests
    TICKET_MANAGE = "ticket.manage"  # reassign directly, cancel (R3.3, R4.1)
    TICKET_RULE = "ticket.rule"  # the office's ruling on a cross-department disagreement (R4.7)
    STANDARDS_VIEW = "standards.view"  # the standards catalogue, calendars and SLA policies
    # Revise service standards and commitments, business calendars, duty rosters, SLA policies (R10).
    STANDARDS_MANAGE = "standards.manage"
    WORKORDER_VIEW = "workorder.view"  # see every work order and the dispatch board (R5)
    WORKORDER_DISPATCH = "workorder.dispatch"  # open work orders, book appointments, assign technicians (R4.5, R4.6)
    WORKORDER_WORK = "workorder.work"  # carry out one's own work orders: visits, parts, sign-off (R5.1)
    MATERIALS_VIEW = "materials.view"  # the materials ledger: items, stock, movements (R13.2)
    MATERIALS_MANAGE = "materials.manage"  # items, receipts, requisitions to technicians, returns (R13.2)
    # The customer portal (R3.1, R1.2): a customer's own requests, replies and confirmations; customers only.
    PORTAL_USE = "portal.use"
    SURVEY_VIEW = "survey.view"  # satisfaction figures, responses and questionnaires (R9.1)
    SURVEY_MANAGE = "survey.manage"  # build and publish questionnaires, run campaigns (R9.1)
    SURVEY_ENTER = "survey.enter"  # enter a customer's answers taken by phone or on paper (R9.1)
    FOLLOWUP_WORK = "followup.work"  # the follow-up queue: record calls after service, plans, needs (R8)
    FOLLOWUP_MANAGE = "followup.manage"  # follow-up rules, plan rules and care messages (R8)
    QUALITY_VIEW = "quality.view"  # service health, the indicator catalogue, targets and alerts (R9.5, R15.1)
    QUALITY_MANAGE = "quality.manage"  # set indicator targets, acknowledge alerts (R9.5)
    MERIT_VIEW = "merit.view"  # every staff member's period results and outcomes (R9.5, R11.5)
    # Result rules, judging a period, confirming or waiving outcomes, never one's own (R9.5, R11.5, R1.2).
    MERIT_MANAGE = "merit.manage"
    COMPLAINT_VIEW = "complaint.view"  # every complaint record and the complaint figures (R6.5)
    COMPLAINT_WORK = "complaint.work"  # investigate complaints, propose solutions, record answers (R6.2)
    # Approve compensations, decide accountability, extend the root causes (R6.3, R6.4).
    COMPLAINT_APPROVE = "complaint.approve"
    COMPLAINT_APPROVE_LARGE = "complaint.approve_large"  # compensations above the threshold: the GM (R6.3)
    INSPECTION_VIEW = "inspection.view"  # every inspection and mystery-shopper result and the scores (R9.4)
    INSPECTION_PERFORM = "inspection.perform"  # fill a checklist for a target on an inspection round (R9.4, R9.7)
    INSPECTION_MANAGE = "inspection.manage"  # build and publish checklists, plan and run rounds (R9.4, R9.7)
    IMPROVEMENT_VIEW = "improvement.view"  # every improvement action and suggestion list (R17)
    IMPROVEMENT_MANAGE = "improvement.manage"  # propose, change and cancel improvement actions (R17.1)
    IMPROVEMENT_APPROVE = "improvement.approve"  # approve an improvement action: the service manager (R17.1)
    IMPROVEMENT_VERIFY = "improvement.verify"  # verify an action's effect: supervision, never the owner (R17.1, R1.2)
    SUGGESTION_SUBMIT = "suggestion.submit"  # every staff member submits improvement suggestions (R17.2)
    SUGGESTION_REVIEW = "suggestion.review"  # accept a suggestion into an action, or decline it (R17.2)
    FAULT_VIEW = "fault.view"  # major fault reports, their timeline and analysis (R7)
    FAULT_REPORT = "fault.report"  # report a major fault, record its progress, restore it (R7.1)
    FAULT_MANAGE = "fault.manage"  # close a fault with its analysis, keep the notice list (R7.1, R7.2)
    REPORT_VIEW = "report.view"  # issued weekly and monthly supervision reports, their files (R8.4, R9.6)
    REPORT_ISSUE = "report.issue"  # issue a report for any period, choose its recipients (R8.4, R9.6)


# Every staff member may put forward an improvement suggestion (R17.2).
_STAFF_BASE = {Perm.CUSTOMER_VIEW, Perm.CUSTOMER_ALL, Perm.STAFF_VIEW, Perm.API_TOKEN_ISSUE, Perm.STANDARDS_VIEW,
               Perm.SUGGESTION_SUBMIT}
_FRONT_LINE = {Perm.TICKET_VIEW, Perm.TICKET_WORK}
_CUSTOMER_ONLY = {Perm.PORTAL_USE}  # staff, even administrators, work requests in the staff pages

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.ADMIN: frozenset(Perm) - _CUSTOMER_ONLY,
    # The manager runs the department; rulings between departments belong to the office (R4.7).
    # Verifying the effect of an improvement action is supervision's, not the line manager's (R1.2);
    # inspections are supervision's work too: the manager reads their results, does not score (R1.2).
    Role.MANAGER: frozenset(Perm) - {Perm.TICKET_RULE, Perm.COMPLAINT_APPROVE_LARGE, Perm.IMPROVEMENT_VERIFY}
    - {Perm.INSPECTION_PERFORM, Perm.INSPECTION_MANAGE} - _CUSTOMER_ONLY,
    Role.AGENT: frozenset(
        _STAFF_BASE
        | _FRONT_LINE
        | {Perm.CUSTOMER_CREATE, Perm.CUSTOMER_EDIT, Perm.CUSTOMER_PHONE_CLEAR, Perm.CUSTOMER_REVEAL}
        # The hotline dispatches on-site work (派工): it books the visit and picks the technician.
        | {Perm.WORKORDER_VIEW, Perm.WORKORDER_DISPATCH}
        | {Perm.SURVEY_ENTER}
        | {Perm.FOLLOWUP_WORK}
        | {Perm.COMPLAINT_VIEW, Perm.COMPLAINT_WORK}
        | {Perm.FAULT_VIEW, Perm.FAULT_REPORT}  # whoever first learns of a major fault reports it (R7.1)
    ),
    Role.SUPPORT: frozenset(
        _STAFF_BASE
        | _FRONT_LINE
        | {Perm.CUSTOMER_CREATE, Perm.CUSTOMER_EDIT, Perm.CUSTOMER_PHONE_CLEAR, Perm.CUSTOMER_REVEAL}
        | {Perm.WORKORDER_VIEW, Perm.WORKORDER_DISPATCH}
        | {Perm.SURVEY_ENTER}
        | {Perm.FOLLOWUP_WORK}
        | {Perm.COMPLAINT_VIEW, Perm.COMPLAINT_WORK}
        | {Perm.FAULT_VIEW, Perm.FAULT_REPORT}
    ),
    # A technician sees the customers of their own work, not the archive (R2.2: need to know);
    # which ones `customers_visible_to` learns from the work scopes the tickets app registers.
    Role.TECHNICIAN: frozenset(
        (_STAFF_BASE - {Perm.CUSTOMER_ALL})
        | _FRONT_LINE
        | {Perm.CUSTOMER_PHONE_CLEAR, Perm.CUSTOMER_REVEAL, Perm.WORKORDER_WORK, Perm.MATERIALS_VIEW}
        | {Perm.FAULT_VIEW, Perm.FAULT_REPORT}  # on site, often the first to learn of a major fault (R7.1)
    ),
    # Supervision reads everything and works nothing (服务、监督两条线, R1.2).
    Role.QUALITY_SUPERVISOR: frozenset(
        _STAFF_BASE
        | {Perm.AUDIT_VIEW, Perm.CUSTOMER_REVEAL, Perm.TICKET_VIEW, Perm.WORKORDER_VIEW, Perm.MATERIALS_VIEW}
        # Satisfaction surveys are quality monitoring (R9.1, R9.4): supervision builds and reads them.
        | {Perm.SURVEY_VIEW, Perm.SURVEY_MANAGE}
        | {Perm.FOLLOWUP_MANAGE}
        | {Perm.COMPLAINT_VIEW}
        # Inspection rounds and mystery shopping (R9.4, R9.7): checklists, rounds and scoring.
        | {Perm.INSPECTION_VIEW, Perm.INSPECTION_PERFORM, Perm.INSPECTION_MANAGE}
        | {Perm.QUALITY_VIEW, Perm.QUALITY_MANAGE, Perm.MERIT_VIEW, Perm.MERIT_MANAGE}
        # Improvement (R17): supervision proposes actions from what it finds and verifies their effect.
        | {Perm.IMPROVEMENT_VIEW, Perm.IMPROVEMENT_MANAGE, Perm.IMPROVEMENT_VERIFY, Perm.SUGGESTION_REVIEW}
        | {Perm.FAULT_VIEW}
        # The supervising department issues the monthly supervision report to the general manager (R9.6).
        | {Perm.REPORT_VIEW, Perm.REPORT_ISSUE}
    ),
    # Finance reads charges on work orders and the value of stock.
    Role.FINANCE: frozenset(_STAFF_BASE | {Perm.CUSTOMER_REVEAL, Perm.WORKORDER_VIEW, Perm.MATERIALS_VIEW}),
    Role.GENERAL_MANAGER: frozenset(
        _STAFF_BASE
        | {Perm.AUDIT_VIEW, Perm.CUSTOMER_REVEAL, Perm.CUSTOMER_EXPORT, Perm.TICKET_VIEW, Perm.TICKET_RULE}
        | {Perm.WORKORDER_VIEW, Perm.MATERIALS_VIEW}
        | {Perm.SURVEY_VIEW, Perm.QUALITY_VIEW, Perm.REPORT_VIEW, Perm.MERIT_VIEW}
        # Major complaints and claims reach the general manager, who approves large compensations (R6.3).
        | {Perm.COMPLAINT_VIEW, Perm.COMPLAINT_APPROVE, Perm.COMPLAINT_APPROVE_LARGE}
        | {Perm.INSPECTION_VIEW}
        | {Perm.IMPROVEMENT_VIEW}
        # Senior management hears of every major fault and reads its analysis (R7.1, R7.2).
        | {Perm.FAULT_VIEW}
    ),
    # A customer sees its own record, in clear, and nothing else (scoped in selectors).
    Role.CUSTOMER: frozenset({Perm.CUSTOMER_VIEW, Perm.CUSTOMER_PHONE_CLEAR, Perm.CUSTOMER_IDENTITY_CLEAR}
                             | _CUSTOMER_ONLY),
}


def roles_of(user) -> frozenset[Role]:
    """The roles a user holds, loaded once per user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_fuwu_roles", None)
    if cached is None:
        from fuwu.org.models import RoleAssignment

        codes = RoleAssignment.objects.filter(profiles__user=user, profiles__is_active=True).values_list(
            "code", flat=True
        )
        cached = frozenset(Role(code) for code in codes)
        if user.is_superuser:
            cached |= {Role.ADMIN}
        user._fuwu_roles = cached
    return cached


def permissions_of(user) -> frozenset[Perm]:
    perms: set[Perm] = set()
    for role in roles_of(user):
        perms |= ROLE_PERMISSIONS[role]
    return frozenset(perms)


def can(user, perm: Perm) -> bool:
    return perm in permissions_of(user)


def permission_denied(perm: Perm) -> PermissionDenied:
    """The error for a missing permission; its code names the permission, e.g. `forbidden.ticket.work`."""
    return PermissionDenied(code=f"{CoreError.FORBIDDEN}.{perm.value}")


def require(user, perm: Perm) -> None:
    if not can(user, perm):
        raise permission_denied(perm)


def is_staff_member(user) -> bool:
    return bool(roles_of(user) - {Role.CUSTOMER})
