import pytest

from fuwu.org.roles import Role
from fuwu.surveys import actions
from fuwu.surveys.models import CampaignKind, Channel, QuestionKind
from tests.factories import make_staff, make_ticket


@pytest.fixture
def supervisor(db):
    return make_staff(Role.QUALITY_SUPERVISOR, full_name="质检王")


def build_questionnaire(actor, *, code="after-service", publish=True):
    """总体满意度 (1–5, counts), 推荐意愿 (0–10), 响应速度 (1–5, optional), 联系方式 (single),
    需要改进 (multiple), 意见建议 (text)."""
    q = actions.questionnaire_create(actor=actor, code=code, title="售后服务满意度调查", section_title="服务评价")
    for kind, text, extra in (
        (QuestionKind.RATING, "总体满意度", {"counts_for_satisfaction": True}),
        (QuestionKind.NPS, "推荐意愿", {}),
        (QuestionKind.RATING, "响应速度", {"required": False}),
        (QuestionKind.SINGLE, "联系方式", {"options": ["电话", "邮件"], "required": False}),
        (QuestionKind.MULTIPLE, "需要改进", {"options": ["速度", "态度", "技术"], "required": False}),
        (QuestionKind.TEXT, "意见建议", {"required": False}),
    ):
        q.refresh_from_db()
        actions.question_add(actor=actor, questionnaire=q, expected_version=q.version, section=None, kind=kind,
                             text=text, **extra)
    q.refresh_from_db()
    if publish:
        q = actions.questionnaire_publish(actor=actor, questionnaire=q, expected_version=q.version)
    return q


@pytest.fixture
def questionnaire(manager):
    return build_questionnaire(manager)


@pytest.fixture
def campaign(manager, questionnaire):
    return actions.campaign_create(actor=manager, name="服务后回访", kind=CampaignKind.AFTER_SERVICE,
                                   questionnaire=questionnaire, channel=Channel.EMAIL)


def questions_by_text(questionnaire) -> dict[str, int]:
    return dict(questionnaire.questions.values_list("text", "pk"))


def resolved(actor, **fields):
    """A request settled at first contact by `actor` (its owner): the resolve listener runs."""
    fields.setdefault("contact_email", "chen@example.com")
    return make_ticket(actor, settle_with_resolution="电话指导重启后恢复", **fields)
