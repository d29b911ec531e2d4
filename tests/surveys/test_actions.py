"""The survey actions (R9.1): the rows and audit events each writes, drafts only edited, publication,
versions, and answers recorded once."""

import datetime

import pytest
from django.utils import timezone

from fuwu.core.errors import Conflict, InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.org.models import Group
from fuwu.org.roles import Role
from fuwu.surveys import actions
from fuwu.surveys.codes import SurveyAction, SurveyError
from fuwu.surveys.models import Answer, Channel, Invitation, Question, Questionnaire, QuestionnaireStatus, Response
from tests.factories import make_staff
from tests.surveys.conftest import build_questionnaire, questions_by_text, resolved

pytestmark = pytest.mark.django_db


def events(action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_building_a_draft_writes_its_rows_and_one_event_per_change(manager):
    q = build_questionnaire(manager, publish=False)
    assert q.status == QuestionnaireStatus.DRAFT and q.edition == 1
    assert list(q.questions.order_by("position").values_list("text", flat=True)) == [
        "总体满意度", "推荐意愿", "响应速度", "联系方式", "需要改进", "意见建议"]
    assert [e.object_id for e in events(SurveyAction.QUESTIONNAIRE_CREATED)] == [str(q.pk)]
    edits = events(SurveyAction.QUESTIONNAIRE_EDITED)
    assert [e.payload["change"] for e in edits] == ["question_added"] * 6
    assert q.version == 7  # created, then six questions


def test_questions_move_within_their_section_and_are_removed_from_a_draft(manager):
    q = build_questionnaire(manager, publish=False)
    ids = questions_by_text(q)
    actions.question_move(actor=manager, question=Question.objects.get(pk=ids["推荐意愿"]),
                          expected_version=q.version, direction="up")
    order = list(q.questions.order_by("position").values_list("text", flat=True))
    assert order[:2] == ["推荐意愿", "总体满意度"]
    q.refresh_from_db()
    actions.question_remove(actor=manager, question=Question.objects.get(pk=ids["意见建议"]),
                            expected_version=q.version)
    assert not Question.objects.filter(pk=ids["意见建议"]).exists()
    removed = events(SurveyAction.QUESTIONNAIRE_EDITED)[-1]
    assert removed.payload == {"change": "question_removed", "question": ids["意见建议"], "kind": "text",
                               "text": "意见建议"}


def test_a_stale_version_is_a_conflict(manager):
    q = build_questionnaire(manager, publish=False)
    with pytest.raises(Conflict):
        actions.section_add(actor=manager, questionnaire=q, expected_version=q.version - 1, title="第二部分")


def test_bad_questions_are_refused_with_field_errors(manager):
    q = build_questionnaire(manager, publish=False)
    with pytest.raises(InvalidInput) as caught:
        actions.question_add(actor=manager, questionnaire=q, expected_version=q.version, section=None,
                             kind="single", text="", options=["只有一个"], counts_for_satisfaction=True)
    assert set(caught.value.errors) == {"text", "options", "counts_for_satisfaction"}


def test_publishing_needs_a_question_and_retires_the_version_it_replaces(manager):
    empty = actions.questionnaire_create(actor=manager, code="empty", title="空问卷")
    with pytest.raises(InvalidInput) as caught:
        actions.questionnaire_publish(actor=manager, questionnaire=empty, expected_version=empty.version)
    assert caught.value.code == SurveyError.EMPTY
    v1 = build_questionnaire(manager)
    v2 = actions.questionnaire_revise(actor=manager, questionnaire=v1)
    assert (v2.edition, v2.status, v2.questions.count()) == (2, QuestionnaireStatus.DRAFT, 6)
    v2 = actions.questionnaire_publish(actor=manager, questionnaire=v2, expected_version=v2.version)
    v1.refresh_from_db()
    assert v1.status == QuestionnaireStatus.RETIRED and v2.status == QuestionnaireStatus.PUBLISHED
    assert events(SurveyAction.QUESTIONNAIRE_PUBLISHED)[-1].payload["replaces"] == 1


def test_a_published_version_is_never_edited(manager, questionnaire):
    with pytest.raises(InvalidInput) as caught:
        actions.question_add(actor=manager, questionnaire=questionnaire, expected_version=questionnaire.version,
                             section=None, kind="text", text="新问题")
    assert caught.value.code == SurveyError.NOT_DRAFT
    question = questionnaire.questions.first()
    with pytest.raises(InvalidInput):
        actions.question_remove(actor=manager, question=question, expected_version=questionnaire.version)
    assert questionnaire.questions.count() == 6


def test_only_those_who_build_surveys_build_them(agent):
    for role in (Role.AGENT, Role.GENERAL_MANAGER, Role.FINANCE, Role.TECHNICIAN):
        with pytest.raises(PermissionDenied):
            actions.questionnaire_create(actor=make_staff(role), code=f"x-{role}", title="问卷")
    supervisor = make_staff(Role.QUALITY_SUPERVISOR)
    assert actions.questionnaire_create(actor=supervisor, code="quality", title="问卷").created_by == supervisor


def _answers(q, **overrides):
    ids = questions_by_text(q)
    values = {ids["总体满意度"]: 5, ids["推荐意愿"]: 9, ids["联系方式"]: "电话", ids["需要改进"]: ["态度", "速度"],
              ids["意见建议"]: "  很好  "}
    values.update({ids[k]: v for k, v in overrides.items()})
    return values


def test_an_online_answer_writes_the_response_its_answers_and_one_event(agent, campaign, questionnaire):
    invitation = Invitation.objects.get(ticket=resolved(agent))
    response = actions.response_submit(actor=None, invitation=invitation, answers=_answers(questionnaire))
    assert (response.channel, response.entered_by, response.questionnaire) == (Channel.ONLINE, None, questionnaire)
    stored = {a.question.text: (a.number, a.text, a.choices) for a in response.answers.select_related("question")}
    assert stored == {"总体满意度": (5, "", []), "推荐意愿": (9, "", []), "联系方式": (None, "电话", []),
                      "需要改进": (None, "", ["速度", "态度"]), "意见建议": (None, "很好", [])}
    invitation.refresh_from_db()
    assert invitation.answered_at is not None
    event = events(SurveyAction.ANSWERED)[-1]
    assert (event.actor_id, event.payload["channel"], event.payload["answers"]) == (None, "online", 5)


def test_missing_and_bad_answers_are_named_per_question(agent, campaign, questionnaire):
    invitation = Invitation.objects.get(ticket=resolved(agent))
    ids = questions_by_text(questionnaire)
    with pytest.raises(InvalidInput) as caught:
        actions.response_submit(actor=None, invitation=invitation, answers={
            ids["推荐意愿"]: 11, ids["联系方式"]: "传真", ids["需要改进"]: ["价格"], ids["响应速度"]: "0"})
    named = ("总体满意度", "推荐意愿", "联系方式", "需要改进", "响应速度")
    assert set(caught.value.errors) == {f"q{ids[t]}" for t in named}
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_an_invitation_is_answered_once(agent, campaign, questionnaire):
    invitation = Invitation.objects.get(ticket=resolved(agent))
    actions.response_submit(actor=None, invitation=invitation, answers=_answers(questionnaire))
    with pytest.raises(Conflict) as caught:
        actions.response_submit(actor=None, invitation=invitation, answers=_answers(questionnaire))
    assert caught.value.code == SurveyError.ALREADY_ANSWERED
    assert Response.objects.count() == 1


def test_the_link_expires_but_an_agent_still_enters_a_late_paper_form(agent, campaign, questionnaire, settings):
    invitation = Invitation.objects.get(ticket=resolved(agent))
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=settings.FUWU_SURVEY_EXPIRY_DAYS)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(InvalidInput) as caught:
        actions.response_submit(actor=None, invitation=invitation, answers=_answers(questionnaire))
    assert caught.value.code == SurveyError.EXPIRED
    with pytest.raises(PermissionDenied):
        actions.response_submit(actor=make_staff(Role.TECHNICIAN), invitation=invitation,
                                answers=_answers(questionnaire), channel=Channel.PAPER)
    response = actions.response_submit(actor=agent, invitation=invitation, answers=_answers(questionnaire),
                                       channel=Channel.PAPER)
    assert (response.channel, response.entered_by) == (Channel.PAPER, agent)
    assert events(SurveyAction.ANSWERED)[-1].actor_id == agent.pk


def test_a_response_keeps_the_version_it_answered_when_the_next_is_published(agent, manager, campaign, questionnaire):
    """Versioning: v1's open invitation is answered in v1 after v2 is out; new invitations get v2."""
    v1 = questionnaire
    first = Invitation.objects.get(ticket=resolved(agent))
    v2 = actions.questionnaire_revise(actor=manager, questionnaire=v1)
    actions.question_add(actor=manager, questionnaire=v2, expected_version=v2.version, section=None, kind="rating",
                         text="上门准时")
    v2.refresh_from_db()
    v2 = actions.questionnaire_publish(actor=manager, questionnaire=v2, expected_version=v2.version)
    response = actions.response_submit(actor=None, invitation=first, answers=_answers(v1))
    assert response.questionnaire == v1 and set(response.answers.values_list("question__questionnaire", flat=True)) == {
        v1.pk}
    second = Invitation.objects.get(ticket=resolved(agent))
    assert second.questionnaire == v2
    assert Questionnaire.objects.get(pk=v1.pk).questions.count() == 6  # v1 as it was
    assert v2.questions.count() == 7


def test_a_dissatisfied_answer_reaches_supervision_and_the_group_leader_once(agent, campaign, questionnaire, supervisor,
                                                                             manager):
    ticket = resolved(agent)
    Group.objects.filter(pk=ticket.group_id).update(leader=manager)
    invitation = Invitation.objects.get(ticket=ticket)
    response = actions.response_submit(actor=None, invitation=invitation,
                                       answers=_answers(questionnaire, 总体满意度=2, 意见建议="等了三天才有人来"))
    notices = OutboxMessage.objects.filter(object_type="surveys.response", object_id=str(response.pk))
    assert sorted((n.recipient_id, n.url) for n in notices) == sorted([
        (supervisor.pk, f"/surveys/responses/{response.pk}/"), (manager.pk, f"/surveys/responses/{response.pk}/"),
        (manager.pk, f"/tickets/{ticket.pk}/")])
    assert all("2" in n.subject and ticket.number in n.subject and n.body == "等了三天才有人来" for n in notices)


def test_a_satisfied_answer_tells_nobody(agent, campaign, questionnaire, supervisor):
    invitation = Invitation.objects.get(ticket=resolved(agent))
    response = actions.response_submit(actor=None, invitation=invitation, answers=_answers(questionnaire, 总体满意度=3))
    assert not OutboxMessage.objects.filter(object_type="surveys.response", object_id=str(response.pk)).exists()
