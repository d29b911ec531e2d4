"""Who may do what (R1.2): roles_of and can for every role; supervision separate from execution."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from fuwu.core.errors import PermissionDenied
from fuwu.org.models import Profile
from fuwu.org.policy import Perm, can, is_staff_member, permissions_of, require, roles_of
from fuwu.org.roles import Role
from tests.factories import fresh, make_staff

pytestmark = pytest.mark.django_db

P = Perm
EVERYTHING = frozenset(Perm) - {P.PORTAL_USE}  # the portal is for customers only, not even administrators
# Every staff member puts forward improvement suggestions (R17.2).
STAFF_BASE = {P.CUSTOMER_VIEW, P.CUSTOMER_ALL, P.STAFF_VIEW, P.API_TOKEN_ISSUE, P.STANDARDS_VIEW, P.SUGGESTION_SUBMIT}
FRONT_LINE = {P.TICKET_VIEW, P.TICKET_WORK}
ARCHIVE_KEEPER = {P.CUSTOMER_CREATE, P.CUSTOMER_EDIT, P.CUSTOMER_PHONE_CLEAR, P.CUSTOMER_REVEAL}
DISPATCH = {P.WORKORDER_VIEW, P.WORKORDER_DISPATCH}  # the hotline books and dispatches on-site work
OVERSIGHT = {P.WORKORDER_VIEW, P.MATERIALS_VIEW}  # read work orders and the materials ledger
COMPLAINTS = {P.COMPLAINT_VIEW, P.COMPLAINT_WORK}  # the front line investigates complaints (R6.2)
FAULTS = {P.FAULT_VIEW, P.FAULT_REPORT}  # whoever first learns of a major fault reports it (R7.1)
INSPECTIONS = {P.INSPECTION_VIEW, P.INSPECTION_PERFORM, P.INSPECTION_MANAGE}  # supervision's (R9.4, R9.7)
# Supervision proposes improvement actions, reviews suggestions and verifies the effect (R17, R1.2).
IMPROVEMENT_SUPERVISION = {P.IMPROVEMENT_VIEW, P.IMPROVEMENT_MANAGE, P.IMPROVEMENT_VERIFY, P.SUGGESTION_REVIEW}
EXPECTED = {
    "admin": EVERYTHING,
    # Compensations above the threshold are the general manager's (R6.3); the effect of an improvement
    # action is verified by supervision, not by the line manager, and inspections are supervision's (R1.2).
    "manager": EVERYTHING - {P.TICKET_RULE, P.COMPLAINT_APPROVE_LARGE, P.IMPROVEMENT_VERIFY, P.INSPECTION_PERFORM,
                             P.INSPECTION_MANAGE},
    "agent": STAFF_BASE | FRONT_LINE | ARCHIVE_KEEPER | DISPATCH | {P.SURVEY_ENTER, P.FOLLOWUP_WORK} | COMPLAINTS
    | FAULTS,
    "support": STAFF_BASE | FRONT_LINE | ARCHIVE_KEEPER | DISPATCH | {P.SURVEY_ENTER, P.FOLLOWUP_WORK} | COMPLAINTS
    | FAULTS,
    "technician": (STAFF_BASE - {P.CUSTOMER_ALL}) | FRONT_LINE
    | {P.CUSTOMER_PHONE_CLEAR, P.CUSTOMER_REVEAL, P.WORKORDER_WORK, P.MATERIALS_VIEW} | FAULTS,
    "quality_supervisor": STAFF_BASE | {P.AUDIT_VIEW, P.CUSTOMER_REVEAL, P.TICKET_VIEW} | OVERSIGHT
    | {P.SURVEY_VIEW, P.SURVEY_MANAGE, P.FOLLOWUP_MANAGE} | {P.COMPLAINT_VIEW} | IMPROVEMENT_SUPERVISION | INSPECTIONS
    | {P.FAULT_VIEW} | {P.QUALITY_VIEW, P.QUALITY_MANAGE}  # indicator targets and alerts (R9.5)
    | {P.MERIT_VIEW, P.MERIT_MANAGE}  # result rules and outcomes (R9.5, R11.5)
    | {P.REPORT_VIEW, P.REPORT_ISSUE},  # the monthly supervision report (R9.6)
    "finance": STAFF_BASE | {P.CUSTOMER_REVEAL} | OVERSIGHT,
    "general_manager": STAFF_BASE | {P.AUDIT_VIEW, P.CUSTOMER_REVEAL, P.CUSTOMER_EXPORT, P.TICKET_VIEW, P.TICKET_RULE}
    | OVERSIGHT | {P.SURVEY_VIEW, P.QUALITY_VIEW} | {P.COMPLAINT_VIEW, P.COMPLAINT_APPROVE, P.COMPLAINT_APPROVE_LARGE}
    | {P.MERIT_VIEW} | {P.IMPROVEMENT_VIEW, P.REPORT_VIEW} | {P.FAULT_VIEW} | {P.INSPECTION_VIEW},
    "customer": {P.CUSTOMER_VIEW, P.CUSTOMER_PHONE_CLEAR, P.CUSTOMER_IDENTITY_CLEAR, P.PORTAL_USE},
}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_holds_exactly_its_permissions(role):
    user = make_staff(role)
    assert roles_of(user) == {Role(role)}
    assert permissions_of(user) == EXPECTED[role]
    for perm in Perm:
        assert can(user, perm) == (perm in EXPECTED[role])
        if perm not in EXPECTED[role]:
            with pytest.raises(PermissionDenied) as excinfo:
                require(user, perm)
            assert excinfo.value.code == f"forbidden.{perm.value}"


def test_only_archive_keepers_create_and_edit_customers():
    editors = {role for role, perms in EXPECTED.items() if P.CUSTOMER_EDIT in perms}
    assert editors == {"admin", "manager", "agent", "support"}


def test_supervisors_read_and_audit_but_do_not_change_the_archive():
    qs = make_staff("quality_supervisor")
    assert can(qs, P.AUDIT_VIEW) and can(qs, P.CUSTOMER_ALL)
    assert not can(qs, P.CUSTOMER_EDIT) and not can(qs, P.CUSTOMER_CREATE) and not can(qs, P.STAFF_MANAGE)


def test_several_roles_add_up():
    user = make_staff("finance")
    Profile.objects.get(user=user).roles.add("quality_supervisor")
    user = fresh(user)
    assert roles_of(user) == {Role.FINANCE, Role.QUALITY_SUPERVISOR}
    assert can(user, P.AUDIT_VIEW) and can(user, P.CUSTOMER_REVEAL) and not can(user, P.CUSTOMER_EDIT)


def test_anonymous_inactive_and_profileless_users_hold_nothing():
    assert roles_of(AnonymousUser()) == frozenset()
    assert roles_of(None) == frozenset()
    assert not can(AnonymousUser(), P.CUSTOMER_VIEW)
    plain = get_user_model().objects.create_user(username="plain", password="x")
    assert roles_of(plain) == frozenset()
    agent = make_staff("agent")
    agent.is_active = False
    agent.save()
    assert roles_of(fresh(agent)) == frozenset()


def test_a_deactivated_profile_loses_its_roles():
    agent = make_staff("agent")
    Profile.objects.filter(user=agent).update(is_active=False)
    assert roles_of(fresh(agent)) == frozenset()


def test_superuser_is_administrator():
    root = get_user_model().objects.create_superuser(username="root", password="x")
    assert Role.ADMIN in roles_of(root)
    assert permissions_of(root) == EVERYTHING


def test_roles_are_loaded_once_per_user_object(django_assert_num_queries):
    user = fresh(make_staff("agent"))
    with django_assert_num_queries(1):
        for _ in range(5):
            can(user, P.CUSTOMER_EDIT)


def test_customer_logins_are_not_staff_members():
    assert not is_staff_member(make_staff("customer"))
    assert is_staff_member(make_staff("technician"))
