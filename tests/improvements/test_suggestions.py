"""Employee suggestions (R17.2): submitted by anyone on the staff, reviewed into an action or declined."""

import pytest

from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.improvements import actions
from fuwu.improvements.codes import ImprovementError, ImprovementEvent
from fuwu.improvements.models import ActionStatus, ImprovementAction, SuggestionStatus
from fuwu.improvements.selectors import improvement_source, suggestions_visible_to
from tests.factories import make_staff
from tests.improvements.conftest import due

pytestmark = pytest.mark.django_db


def submit(actor):
    return actions.suggestion_submit(actor=actor, title="维修车辆配备常用备件箱",
                                     description="常见故障备件随车携带，减少二次上门。")


def test_any_staff_member_submits_and_a_reviewer_accepts_it_into_an_action(technician, quality, manager):
    suggestion = submit(technician)
    assert suggestion.status == SuggestionStatus.SUBMITTED and suggestion.number.startswith("JY-2026-")
    assert OutboxMessage.objects.filter(recipient__in=[quality, manager], object_id=str(suggestion.pk)).count() == 2
    action = actions.suggestion_accept(actor=quality, suggestion=suggestion, expected_version=suggestion.version,
                                       kind="preventive", goal="二次上门率下降一半", measures="按车型配置备件箱",
                                       owner=technician, due_on=due(45))
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED and suggestion.action == action
    assert action.source_kind == ImprovementAction.SourceKind.SUGGESTION and action.source_id == suggestion.pk
    assert action.title == suggestion.title and action.status == ActionStatus.PROPOSED
    assert improvement_source(action)["label"] == f"{suggestion.number} {suggestion.title}"
    assert OutboxMessage.objects.filter(recipient=technician,
                                        dedupe_key__startswith="suggestion.reviewed:").count() == 1
    assert list(AuditEvent.objects.filter(object_type="improvements.suggestion").order_by("id")
                .values_list("action", flat=True)) == [ImprovementEvent.SUGGESTION_SUBMITTED,
                                                        ImprovementEvent.SUGGESTION_ACCEPTED]
    with pytest.raises(InvalidInput) as exc:
        actions.suggestion_decline(actor=manager, suggestion=suggestion, expected_version=None, reason="重复")
    assert exc.value.code == ImprovementError.ALREADY_REVIEWED


def test_decline_needs_a_reason_and_tells_the_submitter(agent, manager):
    suggestion = submit(agent)
    with pytest.raises(InvalidInput):
        actions.suggestion_decline(actor=manager, suggestion=suggestion, expected_version=None, reason="")
    actions.suggestion_decline(actor=manager, suggestion=suggestion, expected_version=None, reason="成本过高，明年再议")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DECLINED and suggestion.reviewed_by == manager
    notice = OutboxMessage.objects.get(recipient=agent, dedupe_key__startswith="suggestion.reviewed:")
    assert notice.body == "成本过高，明年再议"


def test_nobody_reviews_their_own_and_only_reviewers_review(quality, agent, technician):
    own = submit(quality)
    with pytest.raises(PermissionDenied) as exc:
        actions.suggestion_decline(actor=quality, suggestion=own, expected_version=None, reason="不做")
    assert exc.value.code == ImprovementError.OWN_SUGGESTION
    other = submit(technician)
    with pytest.raises(PermissionDenied) as exc:
        actions.suggestion_decline(actor=agent, suggestion=other, expected_version=None, reason="不做")
    assert exc.value.code == ImprovementError.FORBIDDEN_REVIEW


def test_a_failed_accept_leaves_the_suggestion_as_it_was(quality, technician):
    suggestion = submit(technician)
    with pytest.raises(InvalidInput):
        actions.suggestion_accept(actor=quality, suggestion=suggestion, expected_version=None, kind="preventive",
                                  goal="", measures="", owner=technician, due_on=due())
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.SUBMITTED and ImprovementAction.objects.count() == 0


def test_customers_do_not_submit_and_submitters_see_only_their_own(agent, technician, quality):
    with pytest.raises(PermissionDenied):
        submit(make_staff("customer"))
    mine, theirs = submit(agent), submit(technician)
    assert list(suggestions_visible_to(agent)) == [mine]
    assert set(suggestions_visible_to(quality)) == {mine, theirs}
