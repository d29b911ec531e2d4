"""/api/v1/surveys (R9.1): the permission matrix and what each read returns."""

import json

import pytest
from django.test import Client

from fuwu.org.actions import api_token_issue
from fuwu.org.roles import Role
from fuwu.surveys.actions import response_submit
from fuwu.surveys.models import Invitation
from tests.factories import make_staff
from tests.surveys.conftest import questions_by_text, resolved

pytestmark = pytest.mark.django_db
BASE = "/api/v1/surveys"


def call(user, url: str):
    key = api_token_issue(actor=user, name="t")[1]
    response = Client().get(url, headers={"authorization": f"Bearer {key}"})
    return response.status_code, json.loads(response.content or b"null")


@pytest.fixture
def answered(agent, campaign, questionnaire):
    ids = questions_by_text(questionnaire)
    for overall, nps in ((5, 10), (2, 4)):
        response_submit(actor=None, invitation=Invitation.objects.get(ticket=resolved(agent)),
                        answers={ids["总体满意度"]: overall, ids["推荐意愿"]: nps, ids["意见建议"]: "好"})
    resolved(agent)


@pytest.mark.parametrize(("role", "questionnaires", "responses", "figures"), [
    (Role.MANAGER, 200, 200, 200), (Role.QUALITY_SUPERVISOR, 200, 200, 200), (Role.GENERAL_MANAGER, 200, 200, 200),
    (Role.AGENT, 403, 403, 403), (Role.TECHNICIAN, 403, 403, 403), (Role.FINANCE, 403, 403, 403),
])
def test_permission_matrix(role, questionnaires, responses, figures, answered):
    user = make_staff(role)
    assert call(user, f"{BASE}/questionnaires")[0] == questionnaires
    assert call(user, f"{BASE}/responses")[0] == responses
    assert call(user, f"{BASE}/figures")[0] == figures


def test_what_the_reads_return(answered, manager, questionnaire):
    status, body = call(manager, f"{BASE}/questionnaires")
    assert status == 200 and [(q["code"], q["edition"], q["status"], q["response_count"]) for q in body] == [
        ("after-service", 1, "published", 2)]
    status, body = call(manager, f"{BASE}/questionnaires/{questionnaire.pk}")
    assert [q["text"] for q in body["questions"]][:2] == ["总体满意度", "推荐意愿"]
    assert body["questions"][0]["counts_for_satisfaction"] is True
    status, body = call(manager, f"{BASE}/responses?questionnaire_id={questionnaire.pk}")
    assert len(body) == 2 and body[0]["channel"] == "online" and len(body[0]["answers"]) == 3
    assert call(manager, f"{BASE}/responses/{body[0]['id']}")[1]["id"] == body[0]["id"]
    status, body = call(manager, f"{BASE}/figures?since=2026-12-01&until=2026-12-31")
    total = body["total"]
    assert (total["invited"], total["answered"], total["satisfaction_rate"], total["nps"]) == (3, 2, 0.5, 0.0)
    assert total["response_rate"] == pytest.approx(2 / 3)
    assert [row["key"] for row in body["by"]["month"]] == ["2026-12-01"]
    assert call(manager, f"{BASE}/figures?since=0001-01-01&until=9999-12-31")[0] == 200
    assert call(manager, f"{BASE}/responses/999999")[0] == 404
