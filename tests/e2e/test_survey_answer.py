"""Journey (R9.1): a customer opens the survey link from the e-mail sent when their request was
resolved, on a 390x844 phone, without logging in; a missing answer is pointed out with what they
chose kept; they answer and see the thanks page, and the link then says it has been answered."""

import pytest

from fuwu.org.roles import Role
from fuwu.surveys import tokens
from fuwu.surveys.models import Channel, Invitation, Response
from tests.factories import make_staff
from tests.surveys.conftest import build_questionnaire, questions_by_text, resolved

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_customer_answers_the_survey_on_a_phone(browser, live_server, shot):
    from fuwu.surveys.actions import campaign_create

    manager = make_staff(Role.MANAGER)
    questionnaire = build_questionnaire(manager)
    campaign_create(actor=manager, name="服务后回访", kind="after_service", questionnaire=questionnaire)
    invitation = Invitation.objects.get(ticket=resolved(make_staff(Role.AGENT), contact_name="陈建国"))
    ids = questions_by_text(questionnaire)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                has_touch=True).new_page()
    phone.goto(f"{live_server.url}{tokens.public_path(invitation.nonce)}")
    assert "售后服务满意度调查" in phone.inner_text("h1")
    phone.click(f"label[for=id_q{ids['推荐意愿']}_9]")  # 9 of 0–10
    phone.click("#survey-submit")
    phone.wait_for_selector("#form-errors")
    assert phone.is_checked(f"#id_q{ids['推荐意愿']}_9")  # kept
    assert "请回答此问题" in phone.inner_text(f"#q{ids['总体满意度']}-block")
    phone.click(f"label[for=id_q{ids['总体满意度']}_4]")  # 5 of 1–5
    phone.click(f"label[for=id_q{ids['需要改进']}_1]")
    phone.fill(f"#id_q{ids['意见建议']}", "工程师很专业，谢谢！")
    shot(phone, "survey-answer-phone-zh")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    phone.click("#survey-submit")
    phone.wait_for_selector("#survey-message[data-kind=thanks]")
    shot(phone, "survey-thanks-phone-zh")
    response = Response.objects.get(invitation=invitation)
    assert response.channel == Channel.ONLINE
    assert {a.question.text: a.number for a in response.answers.select_related("question")
            if a.number is not None} == {"总体满意度": 5, "推荐意愿": 9}
    phone.goto(f"{live_server.url}{tokens.public_path(invitation.nonce)}")
    assert phone.get_attribute("#survey-message", "data-kind") == "answered"
