"""The survey pages (R9.1): the permission matrix, the builder through its forms (errors beside the
fields, a stale version 409), the agent's entry of phone answers."""

import pytest
from django.test import Client

from fuwu.org.roles import Role
from fuwu.surveys.models import Channel, Invitation, Question, Questionnaire, Response
from tests.factories import PASSWORD, make_staff
from tests.surveys.conftest import questions_by_text, resolved

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def answered(agent, campaign, questionnaire):
    invitation = Invitation.objects.get(ticket=resolved(agent))
    ids = questions_by_text(questionnaire)
    from fuwu.surveys.actions import response_submit

    return response_submit(actor=None, invitation=invitation, answers={ids["总体满意度"]: 4, ids["推荐意愿"]: 8})


#              figures, list, builder, new, responses, response, invitations, enter
MATRIX = {
    Role.MANAGER: (200, 200, 200, 200, 200, 200, 200, 200),
    Role.QUALITY_SUPERVISOR: (200, 200, 200, 200, 200, 200, 403, 404),
    Role.GENERAL_MANAGER: (200, 200, 200, 403, 200, 200, 403, 404),
    Role.AGENT: (403, 403, 404, 403, 403, 404, 200, 200),
    Role.SUPPORT: (403, 403, 404, 403, 403, 404, 200, 200),
    Role.TECHNICIAN: (403, 403, 404, 403, 403, 404, 403, 404),
    Role.FINANCE: (403, 403, 404, 403, 403, 404, 403, 404),
    Role.CUSTOMER: (403, 403, 404, 403, 403, 404, 403, 404),
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_permission_matrix(role, answered, questionnaire, agent):
    open_invitation = Invitation.objects.get(ticket=resolved(agent))
    urls = ["/surveys/figures/", "/surveys/questionnaires/", f"/surveys/q/{questionnaire.pk}/", "/surveys/new/",
            "/surveys/responses/", f"/surveys/responses/{answered.pk}/", "/surveys/invitations/",
            f"/surveys/invitations/{open_invitation.pk}/enter/"]
    client = client_for(make_staff(role))
    assert tuple(client.get(url).status_code for url in urls) == MATRIX[role]


def test_the_navigation_offers_what_each_role_may_open(answered):
    """In the Quality menu: the figures for those who read them, the answers to enter for the hotline."""
    for role, shown, hidden in ((Role.GENERAL_MANAGER, "/surveys/figures/", "/surveys/invitations/"),
                                (Role.AGENT, "/surveys/invitations/", "/surveys/figures/"),
                                (Role.MANAGER, "/surveys/figures/", None)):
        client = client_for(make_staff(role))
        page = client.get("/").content.decode()
        assert f'href="{shown}"' in page and (hidden is None or f'href="{hidden}"' not in page)
        assert client.get("/surveys/")["Location"] == ("/surveys/invitations/" if role == Role.AGENT
                                                       else "/surveys/figures/")
    client = client_for(make_staff(Role.TECHNICIAN))
    assert 'href="/surveys/' not in client.get("/").content.decode()
    assert client.get("/surveys/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(questionnaire):
    assert Client().get("/surveys/figures/").status_code == 302


def test_the_figures_page_shows_the_numbers(answered, manager):
    page = client_for(manager).get("/surveys/figures/?from=2026-01&to=2026-12").content.decode()
    assert 'id="satisfaction-rate">100.0%' in page and 'id="response-rate">100.0%' in page
    assert client_for(manager).get("/surveys/figures/?from=bad&to=9999-99").status_code == 200


def test_building_a_questionnaire_through_the_pages(supervisor):
    client = client_for(supervisor)
    response = client.post("/surveys/new/", {"code": "install", "title": "安装满意度", "topic": "installation"})
    q = Questionnaire.objects.get(code="install")
    assert response.status_code == 302 and response["Location"] == f"/surveys/q/{q.pk}/"
    bad = client.post(f"/surveys/q/{q.pk}/question/", {"question-version": q.version, "question-kind": "single",
                                                       "question-text": "安装人员是否准时", "question-options": "是",
                                                       "question-required": "on"})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "选择题至少需要两个选项" in page and "安装人员是否准时" in page  # beside the field, input kept
    ok = client.post(f"/surveys/q/{q.pk}/question/", {"question-version": q.version, "question-kind": "single",
                                                      "question-text": "安装人员是否准时", "question-options": "是\n否",
                                                      "question-required": "on"})
    assert ok.status_code == 302 and Question.objects.get(questionnaire=q).options == ["是", "否"]
    stale = client.post(f"/surveys/q/{q.pk}/publish/", {"version": q.version})
    assert stale.status_code == 409 and "conflict" in stale.content.decode()
    q.refresh_from_db()
    assert client.post(f"/surveys/q/{q.pk}/publish/", {"version": q.version}).status_code == 302
    q.refresh_from_db()
    assert q.status == "published"
    page = client.get(f"/surveys/q/{q.pk}/").content.decode()
    assert 'id="read-only"' in page and 'id="question-form"' not in page and 'id="revise"' in page
    assert client.post(f"/surveys/q/{q.pk}/revise/").status_code == 302
    assert Questionnaire.objects.filter(code="install").count() == 2


def test_a_campaign_through_its_form(manager, questionnaire):
    client = client_for(manager)
    response = client.post("/surveys/campaigns/new/", {"name": "月度抽样", "kind": "monthly",
                                                       "questionnaire": questionnaire.pk, "channel": "phone",
                                                       "sample_size": "", "is_active": "on"})
    assert response.status_code == 400 and "抽样调查每期邀请" in response.content.decode()
    response = client.post("/surveys/campaigns/new/", {"name": "月度抽样", "kind": "monthly",
                                                       "questionnaire": questionnaire.pk, "channel": "phone",
                                                       "sample_size": "20", "service_kinds": ["repair"],
                                                       "is_active": "on"})
    assert response.status_code == 302
    campaign = questionnaire.campaigns.get(name="月度抽样")
    assert (campaign.sample_size, campaign.service_kinds) == (20, ["repair"])
    stale = client.post(f"/surveys/campaigns/{campaign.pk}/", {"version": campaign.version + 5, "name": "x",
                                                               "kind": "monthly", "questionnaire": questionnaire.pk,
                                                               "channel": "phone", "sample_size": "5"})
    assert stale.status_code == 409


def test_an_agent_enters_phone_answers(agent, campaign, questionnaire):
    invitation = Invitation.objects.get(ticket=resolved(agent, contact_email=""))
    ids = questions_by_text(questionnaire)
    client = client_for(agent)
    assert invitation.ticket.number in client.get("/surveys/invitations/?channel=phone").content.decode()
    missing = client.post(f"/surveys/invitations/{invitation.pk}/enter/", {
        "enter-channel": "phone", f"q{ids['推荐意愿']}": "7", f"q{ids['意见建议']}": "希望更快"})
    assert missing.status_code == 400 and "希望更快" in missing.content.decode()
    done = client.post(f"/surveys/invitations/{invitation.pk}/enter/", {
        "enter-channel": "phone", f"q{ids['总体满意度']}": "3", f"q{ids['推荐意愿']}": "7"})
    assert done.status_code == 302
    response = Response.objects.get(invitation=invitation)
    assert (response.channel, response.entered_by) == (Channel.PHONE, agent)
    again = client.post(f"/surveys/invitations/{invitation.pk}/enter/", {
        "enter-channel": "phone", f"q{ids['总体满意度']}": "5", f"q{ids['推荐意愿']}": "9"})
    assert again.status_code == 409 and Response.objects.count() == 1


def test_survey_pages_have_one_page_header_and_show_no_slug(answered, questionnaire):
    """Issue 15: each page starts with the shared page header (one <h1>); the questionnaire's code is a slug
    that means nothing to a reader and stays off the list and the questionnaire's page."""
    client = client_for(make_staff(Role.MANAGER))
    for url in ("/surveys/figures/", "/surveys/questionnaires/", f"/surveys/q/{questionnaire.pk}/", "/surveys/new/",
                "/surveys/responses/", f"/surveys/responses/{answered.pk}/", "/surveys/campaigns/new/"):
        html = client.get(url).content.decode()
        assert html.count("<h1") == 1 and 'class="page-header"' in html, url
    for url in ("/surveys/questionnaires/", f"/surveys/q/{questionnaire.pk}/"):
        assert questionnaire.code not in client.get(url).content.decode(), url


def test_a_free_text_answer_has_a_label(agent, campaign, questionnaire):
    """axe (issue 15, the e2e pass over the answer-entry page): the text box of a free-text question is
    named by the question, not only by the fieldset's legend."""
    invitation = Invitation.objects.get(ticket=resolved(agent))
    html = client_for(agent).get(f"/surveys/invitations/{invitation.pk}/enter/").content.decode()
    free = Question.objects.get(questionnaire=questionnaire, kind="text")
    assert f'<label class="visually-hidden" for="id_q{free.pk}">{free.text}</label>' in html
