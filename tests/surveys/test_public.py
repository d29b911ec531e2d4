"""The public survey page /s/<token>/ (R9.1): no login, answered once, expiry, wrong links that
reveal nothing, errors that keep what was typed, the respondent's language."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from fuwu.surveys import tokens
from fuwu.surveys.models import Channel, Invitation, Response
from tests.surveys.conftest import questions_by_text, resolved

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(agent, campaign):
    return Invitation.objects.get(ticket=resolved(agent))


def link(invitation) -> str:
    return tokens.public_path(invitation.nonce)


def form_data(questionnaire, **overrides) -> dict:
    ids = questions_by_text(questionnaire)
    data = {f"q{ids['总体满意度']}": "5", f"q{ids['推荐意愿']}": "10", f"q{ids['需要改进']}": ["速度", "技术"],
            f"q{ids['意见建议']}": "师傅很专业"}
    data.update({f"q{ids[k]}": v for k, v in overrides.items()})
    return data


def test_tokens_are_long_random_and_not_stored(invitation):
    token = link(invitation).split("/")[2]
    assert len(token) == tokens.TOKEN_LENGTH == 32  # 32 base64url characters: 192 bits
    assert tokens.hash_token(token) == invitation.token_hash and token not in invitation.token_hash
    assert len({tokens.new_token()[0] for _ in range(100)}) == 100


def test_the_page_needs_no_login_and_shows_the_questions(invitation, questionnaire):
    response = Client().get(link(invitation))
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    page = response.content.decode()
    assert "售后服务满意度调查" in page and "推荐意愿" in page and invitation.ticket.number in page
    assert 'name="viewport"' in page


def test_answering_records_one_online_response_and_thanks(invitation, questionnaire):
    client = Client()
    response = client.post(link(invitation), form_data(questionnaire))
    assert response.status_code == 302 and response["Location"] == f"{link(invitation)}?thanks=1"
    stored = Response.objects.get(invitation=invitation)
    assert (stored.channel, stored.entered_by_id) == (Channel.ONLINE, None)
    assert sorted(stored.answers.get(question__text="需要改进").choices) == ["技术", "速度"]
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and 'data-kind="thanks"' in thanks.content.decode()


def test_a_second_submit_gets_the_already_answered_page(invitation, questionnaire):
    Client().post(link(invitation), form_data(questionnaire))
    again = Client().post(link(invitation), form_data(questionnaire, 总体满意度="1"))
    assert again.status_code == 409 and 'data-kind="answered"' in again.content.decode()
    assert Response.objects.count() == 1
    assert Response.objects.get().answers.get(question__text="总体满意度").number == 5
    opened = Client().get(link(invitation))
    assert opened.status_code == 200 and 'data-kind="answered"' in opened.content.decode()


def test_an_expired_link_gets_a_friendly_page(invitation, questionnaire):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    for response in (Client().get(link(invitation)), Client().post(link(invitation), form_data(questionnaire))):
        assert response.status_code == 410 and 'data-kind="expired"' in response.content.decode()
    assert not Response.objects.exists()


# The third is well formed (32 base64url characters) but never issued; a fixed string, so that every
# test worker collects the same parameters.
@pytest.mark.parametrize("token", ["x", "a" * 32, "Zk3q9vLr2Xb7NcW1pT5sYh8uJd4mQe6A", "%E4%B8%AD" * 4, "a" * 200])
def test_a_wrong_token_gets_the_same_not_found_page(invitation, token):
    response = Client().get(f"/s/{token}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-kind="not_found"' in page and "售后服务满意度调查" not in page and invitation.ticket.number not in page
    assert Client().post(f"/s/{token}/", {"q1": "5"}).status_code == 404


def test_a_near_miss_opens_nothing(invitation):
    token = link(invitation).split("/")[2]
    near = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert Client().get(f"/s/{near}/").status_code == 404


def test_errors_are_shown_beside_the_question_and_keep_what_was_typed(invitation, questionnaire):
    ids = questions_by_text(questionnaire)
    response = Client().post(link(invitation), form_data(questionnaire, 总体满意度="", 推荐意愿="11"))
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("invalid-feedback") == 2 and "请回答此问题" in page
    assert "师傅很专业" in page
    assert f'value="技术" class="form-check-input" id="id_q{ids["需要改进"]}_2" checked' in page
    assert not Response.objects.exists()


def test_the_page_speaks_the_respondents_language(invitation):
    english = Client(headers={"accept-language": "en-US,en;q=0.9"}).get(link(invitation))
    assert "Send my answers" in english.content.decode() and english["Content-Language"] == "en"
    assert "Accept-Language" in english["Vary"]
    chinese = Client(headers={"accept-language": "zh-CN"}).get(link(invitation))
    assert "提交我的回答" in chinese.content.decode()
    chosen = Client(headers={"accept-language": "en"})
    chosen.cookies["django_language"] = "zh-hans"
    assert "提交我的回答" in chosen.get(link(invitation)).content.decode()
