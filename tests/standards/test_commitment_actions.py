"""Service standards and commitments (R10.1, R10.2, R4.9; docs/architecture.md, rules 1 and 3): the actions write
the rows, the version chain and the audit events, and refuse what they must."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from fuwu.core.audit import ChainBreak, verify_chain
from fuwu.core.codes import action_label
from fuwu.core.errors import Conflict, InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent
from fuwu.org.models import Department
from fuwu.standards.actions import commitments as actions
from fuwu.standards.actions.commitments import StandardInput, StandardStateError
from fuwu.standards.demo.commitments import seed_standards
from fuwu.standards.models import ServiceStandard
from fuwu.standards.selectors.commitments import published_commitments

pytestmark = pytest.mark.django_db

State = ServiceStandard.State
DAY = datetime.timedelta(days=1)


def standard_input(**changes) -> StandardInput:
    values = {
        "statement": "服务完成后 2 个工作日内回访。",
        "statement_en": "Follow up within 2 working days after the service.",
        "touchpoint": "follow_up",
        "factor": "performance",
        "indicator": "回访及时率",
        "target": "≥ 95%",
        "measuring_method": "系统统计回访记录。",
        "owner": Department.objects.get(code="service"),
        "is_commitment": True,
        "commitment_text": "服务完成后 2 个工作日内回访您。",
        "commitment_text_en": "We call you within 2 working days after the service.",
    }
    values.update(changes)
    return StandardInput(**values)


def make_standard(actor, code: str = "follow-up", *, effective_from: datetime.date | None = None,
                  **changes) -> ServiceStandard:
    """A standard drafted and published (in force from today unless told) by `actor`."""
    draft = actions.standard_draft(actor=actor, code=code, data=standard_input(**changes))
    return actions.standard_publish(actor=actor, standard=draft, expected_version=draft.version,
                                    effective_from=effective_from or timezone.localdate())


def revise_and_publish(actor, standard: ServiceStandard, *, reason: str = "客户反馈时限过长",
                       effective_from: datetime.date | None = None, **changes) -> ServiceStandard:
    draft = actions.standard_revise(actor=actor, standard=standard, reason=reason)
    if changes:
        draft = actions.standard_edit_draft(actor=actor, standard=draft, expected_version=draft.version,
                                            data=standard_input(**changes))
    return actions.standard_publish(actor=actor, standard=draft, expected_version=draft.version,
                                    effective_from=effective_from or timezone.localdate())


def _events(action: str, obj=None) -> list[AuditEvent]:
    qs = AuditEvent.objects.filter(action=action)
    if obj is not None:
        qs = qs.for_object(obj)
    return list(qs.order_by("id"))


# --- Drafting and editing ---------------------------------------------------------------------------


def test_draft_creates_version_one_as_a_draft_with_one_event(manager):
    draft = actions.standard_draft(actor=manager, code=" Follow-Up ", data=standard_input(statement=" 回访。 "))
    draft.refresh_from_db()
    assert (draft.code, draft.edition, draft.state, draft.statement) == ("follow-up", 1, State.DRAFT, "回访。")
    assert draft.effective_from is None and draft.supersedes is None and draft.created_by == manager
    [event] = _events("standard.drafted", draft)
    assert event.actor == manager
    assert event.payload["new"]["owner"] == "service" and event.payload["version"] == 1


def test_draft_reports_every_error_at_once_and_writes_nothing(manager):
    with pytest.raises(InvalidInput) as caught:
        actions.standard_draft(actor=manager, code="Not a code!", data=standard_input(
            statement="", touchpoint="lobby", factor="", indicator=" ", commitment_text="",
        ))
    assert set(caught.value.errors) == {"code", "statement", "touchpoint", "factor", "indicator", "commitment_text"}
    assert not ServiceStandard.objects.exists() and not _events("standard.drafted")


def test_a_code_is_drafted_once_then_revised(manager):
    make_standard(manager, "follow-up")
    with pytest.raises(InvalidInput) as caught:
        actions.standard_draft(actor=manager, code="follow-up", data=standard_input())
    assert "code" in caught.value.errors
    with pytest.raises(InvalidInput):
        actions.standard_draft(actor=manager, code="new", data=standard_input())  # the new-standard page's URL


def test_agents_read_standards_but_cannot_change_them(agent, manager):
    with pytest.raises(PermissionDenied):
        actions.standard_draft(actor=agent, code="follow-up", data=standard_input())
    standard = make_standard(manager)
    for call in (
        lambda: actions.standard_revise(actor=agent, standard=standard, reason="x"),
        lambda: actions.standard_retire(actor=agent, standard=standard, expected_version=None, reason="x",
                                        retire_on=timezone.localdate()),
    ):
        with pytest.raises(PermissionDenied):
            call()
    draft = actions.standard_revise(actor=manager, standard=standard, reason="调整")
    for call in (
        lambda: actions.standard_edit_draft(actor=agent, standard=draft, expected_version=None,
                                            data=standard_input()),
        lambda: actions.standard_publish(actor=agent, standard=draft, expected_version=None,
                                         effective_from=timezone.localdate()),
        lambda: actions.standard_withdraw_draft(actor=agent, standard=draft, expected_version=None, reason="x"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert ServiceStandard.objects.filter(state=State.DRAFT).get().version == 1


def test_edit_draft_records_old_and_new_and_bumps_the_version(manager):
    draft = actions.standard_draft(actor=manager, code="follow-up", data=standard_input())
    edited = actions.standard_edit_draft(actor=manager, standard=draft, expected_version=1,
                                         data=standard_input(target="≥ 98%"))
    assert edited.version == 2 and ServiceStandard.objects.get(pk=draft.pk).target == "≥ 98%"
    [event] = _events("standard.draft_edited", draft)
    assert event.payload == {"old": {"target": "≥ 95%"}, "new": {"target": "≥ 98%"}}
    # Saving the same values again changes nothing and records nothing.
    actions.standard_edit_draft(actor=manager, standard=edited, expected_version=2,
                                data=standard_input(target="≥ 98%"))
    assert len(_events("standard.draft_edited")) == 1 and ServiceStandard.objects.get(pk=draft.pk).version == 2


def test_a_stale_edit_is_a_conflict_not_an_overwrite(manager):
    draft = actions.standard_draft(actor=manager, code="follow-up", data=standard_input())
    actions.standard_edit_draft(actor=manager, standard=draft, expected_version=1,
                                data=standard_input(target="≥ 98%"))
    with pytest.raises(Conflict) as caught:
        actions.standard_edit_draft(actor=manager, standard=draft, expected_version=1,
                                    data=standard_input(target="≥ 90%"))
    assert caught.value.status == 409 and caught.value.data["current_version"] == 2
    assert ServiceStandard.objects.get(pk=draft.pk).target == "≥ 98%"


def test_a_published_version_is_never_changed(manager):
    standard = make_standard(manager)
    with pytest.raises(StandardStateError) as caught:
        actions.standard_edit_draft(actor=manager, standard=standard, expected_version=None,
                                    data=standard_input(target="≥ 50%"))
    assert caught.value.code == "standard_not_draft"
    assert ServiceStandard.objects.get(pk=standard.pk).target == "≥ 95%"
    with pytest.raises(StandardStateError):
        actions.standard_publish(actor=manager, standard=standard, expected_version=None,
                                 effective_from=timezone.localdate())


# --- Publishing, revising, retiring ------------------------------------------------------------------


def test_publish_puts_the_draft_in_force_and_customers_see_it(manager):
    today = timezone.localdate()
    standard = make_standard(manager)
    standard.refresh_from_db()
    assert (standard.state, standard.effective_from, standard.effective_until) == (State.IN_FORCE, today, None)
    [event] = _events("standard.published", standard)
    assert event.payload["effective_from"] == today.isoformat() and event.payload["supersedes"] is None
    assert [s.code for s in published_commitments(today)] == ["follow-up"]
    assert published_commitments(today - DAY) == []


def test_publish_refuses_a_date_in_the_past_and_an_incomplete_draft(manager):
    draft = actions.standard_draft(actor=manager, code="follow-up", data=standard_input())
    with pytest.raises(InvalidInput) as caught:
        actions.standard_publish(actor=manager, standard=draft, expected_version=1,
                                 effective_from=timezone.localdate() - DAY)
    assert "effective_from" in caught.value.errors
    assert ServiceStandard.objects.get(pk=draft.pk).state == State.DRAFT


def test_revision_chain_retires_the_old_version_the_day_before(manager):
    """R10.2: v1 stays on record, retired the day before v2 takes effect; v2 supersedes v1."""
    today = timezone.localdate()
    v1 = make_standard(manager)
    draft = actions.standard_revise(actor=manager, standard=v1, reason="客户反馈回访太晚")
    assert (draft.edition, draft.state, draft.revision_reason) == (2, State.DRAFT, "客户反馈回访太晚")
    assert draft.commitment_text == v1.commitment_text  # a copy of the version in force
    [revised] = _events("standard.revised", draft)
    assert revised.payload["from_version"] == 1 and revised.payload["reason"] == "客户反馈回访太晚"
    assert ServiceStandard.objects.get(pk=v1.pk).state == State.IN_FORCE  # until the draft is published

    draft = actions.standard_edit_draft(actor=manager, standard=draft, expected_version=1,
                                        data=standard_input(commitment_text="服务完成后 1 个工作日内回访您。"))
    v2 = actions.standard_publish(actor=manager, standard=draft, expected_version=2,
                                  effective_from=today + 3 * DAY)
    v1.refresh_from_db()
    assert (v1.state, v1.effective_until) == (State.RETIRED, today + 2 * DAY)
    assert v2.supersedes == v1 and v1.superseded_by == v2 and v2.effective_from == today + 3 * DAY
    assert ServiceStandard.objects.filter(code="follow-up", state=State.IN_FORCE).get() == v2
    [retired] = _events("standard.retired", v1)
    assert retired.payload["superseded_by_version"] == 2 and retired.payload["reason"] == "客户反馈回访太晚"
    # Customers keep the old promise until the new one takes effect.
    assert [s.edition for s in published_commitments(today + 2 * DAY)] == [1]
    assert [s.shown_commitment for s in published_commitments(today + 3 * DAY)] == ["服务完成后 1 个工作日内回访您。"]


def test_the_database_allows_one_version_in_force_per_code(manager):
    v1 = make_standard(manager)
    v2 = actions.standard_revise(actor=manager, standard=v1, reason="调整")
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceStandard.objects.filter(pk=v2.pk).update(state=State.IN_FORCE)


def test_one_revision_at_a_time_and_only_from_the_current_version(manager):
    v1 = make_standard(manager)
    actions.standard_revise(actor=manager, standard=v1, reason="第一次修订")
    with pytest.raises(StandardStateError) as caught:
        actions.standard_revise(actor=manager, standard=v1, reason="第二次修订")
    assert caught.value.code == "standard_draft_exists"
    v1_again = ServiceStandard.objects.get(pk=v1.pk)
    draft = ServiceStandard.objects.get(code="follow-up", edition=2)
    actions.standard_publish(actor=manager, standard=draft, expected_version=None,
                             effective_from=timezone.localdate())
    with pytest.raises(StandardStateError) as caught:
        actions.standard_revise(actor=manager, standard=v1_again, reason="改旧版本")
    assert caught.value.code == "standard_not_current"
    with pytest.raises(InvalidInput) as caught:
        actions.standard_revise(actor=manager, standard=draft, reason="  ")
    assert "reason" in caught.value.errors


def test_retire_needs_a_reason_and_a_date_not_in_the_past(manager):
    today = timezone.localdate()
    standard = make_standard(manager)
    with pytest.raises(InvalidInput) as caught:
        actions.standard_retire(actor=manager, standard=standard, expected_version=None, reason=" ",
                                retire_on=today - DAY)
    assert set(caught.value.errors) == {"reason", "retire_on"}
    with pytest.raises(Conflict):
        actions.standard_retire(actor=manager, standard=standard, expected_version=standard.version - 1,
                                reason="停止执行", retire_on=today)
    retired = actions.standard_retire(actor=manager, standard=standard, expected_version=standard.version,
                                      reason="渠道停用", retire_on=today + 10 * DAY)
    assert (retired.state, retired.effective_until) == (State.RETIRED, today + 9 * DAY)
    [event] = _events("standard.retired", standard)
    assert event.payload["reason"] == "渠道停用"
    assert [s.code for s in published_commitments(today + 9 * DAY)] == ["follow-up"]
    assert published_commitments(today + 10 * DAY) == []
    with pytest.raises(StandardStateError):
        actions.standard_retire(actor=manager, standard=retired, expected_version=None, reason="again",
                                retire_on=today + 20 * DAY)


def test_a_retired_standard_can_be_reinstated_by_a_revision(manager):
    today = timezone.localdate()
    v1 = make_standard(manager)
    v1 = actions.standard_retire(actor=manager, standard=v1, expected_version=None, reason="暂停", retire_on=today)
    v2 = revise_and_publish(manager, v1, reason="恢复执行")
    assert v2.supersedes == v1 and v2.state == State.IN_FORCE
    assert ServiceStandard.objects.get(pk=v1.pk).effective_until == today - DAY  # unchanged by the reinstatement


def test_a_withdrawn_draft_stays_on_record_and_frees_the_code(manager):
    v1 = make_standard(manager)
    draft = actions.standard_revise(actor=manager, standard=v1, reason="试行新时限")
    withdrawn = actions.standard_withdraw_draft(actor=manager, standard=draft, expected_version=1,
                                                reason="试行取消")
    assert withdrawn.state == State.RETIRED and withdrawn.effective_from is None
    [event] = _events("standard.draft_withdrawn", draft)
    assert event.payload["reason"] == "试行取消"
    v3 = revise_and_publish(manager, ServiceStandard.objects.get(pk=v1.pk), reason="再次修订")
    assert v3.edition == 3 and v3.supersedes_id == v1.pk
    assert ServiceStandard.objects.filter(code="follow-up").count() == 3  # nothing is ever deleted


def test_every_standard_event_has_a_label():
    for code in ("standard.drafted", "standard.draft_edited", "standard.draft_withdrawn", "standard.published",
                 "standard.revised", "standard.retired"):
        assert action_label(code) != code


# --- Demo data ----------------------------------------------------------------------------------------


def test_demo_catalogue_through_the_actions(manager):
    today = timezone.localdate()
    made = seed_standards(actor=manager, today=today)
    assert len({s.code for s in made}) == 16
    states = dict.fromkeys(State.values, 0)
    for standard in ServiceStandard.objects.all():
        states[standard.state] += 1
    assert states == {State.IN_FORCE: 14, State.DRAFT: 1, State.RETIRED: 2}
    v1, v2 = ServiceStandard.objects.filter(code="hotline-answer").order_by("edition")
    assert v1.state == State.RETIRED and v2.state == State.IN_FORCE and v2.supersedes == v1
    assert v2.revision_reason and v1.effective_until == v2.effective_from - DAY
    assert "两声" in v2.commitment_text
    commitments = published_commitments(today)
    assert len(commitments) == 12 and "fax-confirm" not in {s.code for s in commitments}
    assert commitments[0].touchpoint == "access"  # service-cycle order
    assert _events("standard.retired", v1)[0].occurred_at.date() < today
    assert not any(isinstance(step, ChainBreak) for step in verify_chain())
    assert seed_standards(actor=manager) == []  # once only
