"""Compensation and claims (R6.3): approval by the service manager, above the threshold by the general
manager, never by the proposer; major complaints and claims reach the manager and GM once."""

from decimal import Decimal

import pytest

from fuwu.complaints import actions
from fuwu.complaints.codes import ComplaintError
from fuwu.complaints.models import CompensationStatus
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.models import OutboxMessage
from tests.complaints.conftest import complaint_of, register

pytestmark = pytest.mark.django_db


def propose(actor, complaint, amount, *, claim=False):
    return actions.compensation_propose(actor=actor, complaint=complaint, amount=amount, reason="误工损失",
                                        is_claim=claim)


def decide(actor, compensation, approve=True, note=""):
    return actions.compensation_decide(actor=actor, compensation=compensation, expected_version=None,
                                       approve=approve, note=note)


def test_the_manager_approves_up_to_the_threshold_and_not_the_proposer(complaint, agent, manager, settings):
    settings.FUWU_COMPENSATION_GM_THRESHOLD = 5000
    at_threshold = propose(agent, complaint, "5000")
    assert at_threshold.needs_general_manager is False
    assert decide(manager, at_threshold).status == CompensationStatus.APPROVED
    own = propose(manager, complaint, "200")
    with pytest.raises(PermissionDenied) as refused:
        decide(manager, own)
    assert refused.value.code == ComplaintError.OWN_PROPOSAL


def test_above_the_threshold_only_the_general_manager(complaint, agent, manager, gm, settings):
    settings.FUWU_COMPENSATION_GM_THRESHOLD = 5000
    large = propose(agent, complaint, Decimal("5000.01"))
    assert large.needs_general_manager is True
    with pytest.raises(PermissionDenied) as refused:
        decide(manager, large)
    assert refused.value.code == ComplaintError.GM_APPROVAL
    with pytest.raises(InvalidInput):
        decide(gm, large, approve=False)  # a refusal needs its reason
    assert decide(gm, large, approve=False, note="证据不足").status == CompensationStatus.REFUSED
    with pytest.raises(InvalidInput):
        decide(gm, large)


def test_the_threshold_is_a_setting(complaint, agent, settings):
    settings.FUWU_COMPENSATION_GM_THRESHOLD = 100
    assert propose(agent, complaint, "150").needs_general_manager is True


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1e12"])
def test_a_wrong_amount_is_refused_beside_the_field(complaint, agent, amount):
    with pytest.raises(InvalidInput) as refused:
        propose(agent, complaint, amount)
    assert set(refused.value.errors) == {"amount"}


def test_agents_do_not_approve(complaint, agent, support):
    compensation = propose(agent, complaint, "100")
    with pytest.raises(PermissionDenied):
        decide(support, compensation)


def test_a_claim_reaches_the_manager_and_the_general_manager_once(complaint, agent, manager, gm):
    claim = propose(agent, complaint, "800", claim=True)
    notices = OutboxMessage.objects.filter(object_type="complaints.compensation", object_id=str(claim.pk))
    assert sorted(notices.values_list("recipient_id", flat=True)) == sorted([manager.pk, gm.pk])
    small = propose(agent, complaint, "100")
    small_notices = OutboxMessage.objects.filter(object_type="complaints.compensation", object_id=str(small.pk))
    assert list(small_notices.values_list("recipient_id", flat=True)) == [manager.pk]


def test_a_major_complaint_notifies_the_manager_and_gm_exactly_once(agent, manager, gm):
    complaint = complaint_of(register(agent, major=True))  # marked major at registration
    assert complaint.severity == "major"
    for _ in range(2):
        complaint = actions.complaint_update(actor=agent, complaint=complaint, expected_version=None,
                                             severity="major", demand="要求赔偿")
    notices = OutboxMessage.objects.filter(dedupe_key__startswith=f"complaint.major:{complaint.pk}:")
    assert sorted(notices.values_list("recipient_id", flat=True)) == sorted([manager.pk, gm.pk])


def test_raising_a_complaint_to_major_notifies_once(complaint, agent, manager, gm):
    for _ in range(2):
        complaint = actions.complaint_update(actor=agent, complaint=complaint, expected_version=None,
                                             severity="major", demand="")
    assert OutboxMessage.objects.filter(dedupe_key__startswith=f"complaint.major:{complaint.pk}:").count() == 2


def test_a_general_complaint_notifies_nobody_at_registration(agent, manager, gm):
    complaint = complaint_of(register(agent))
    assert not OutboxMessage.objects.filter(object_type="complaints.complaint", object_id=str(complaint.pk)).exists()
