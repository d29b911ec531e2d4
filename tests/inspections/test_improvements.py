"""A finding may open an improvement action (R17.1): the action names the finding as its source, and the
inspection's page lists it."""

import datetime

import pytest
from django.test import Client

from fuwu.improvements.models import ImprovementAction
from fuwu.improvements.sources import source_label, source_url
from fuwu.inspections import actions
from tests.inspections.conftest import score_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(supervisor, agent, checklist):
    return actions.inspection_record(actor=supervisor, data=score_input(checklist, [5, 5, 0], staff_id=agent.pk))


def test_an_improvement_action_is_opened_from_the_finding(supervisor, agent, failed):
    client = Client()
    client.force_login(supervisor)
    page = client.get(f"/inspections/{failed.pk}/").content.decode()
    assert 'id="improvement-form"' in page
    due = (datetime.date(2026, 12, 2) + datetime.timedelta(days=20)).isoformat()
    post = {"title": "热线保密培训", "kind": "corrective", "owner": agent.pk, "due_on": due, "goal": "杜绝泄露",
            "measures": ""}
    response = client.post(f"/inspections/{failed.pk}/improve/", post)
    assert response.status_code == 400 and "热线保密培训" in response.content.decode()  # input kept
    response = client.post(f"/inspections/{failed.pk}/improve/", {**post, "measures": "全员保密培训一次"})
    assert response.status_code == 302
    action = ImprovementAction.objects.get()
    finding = failed.finding
    assert (action.source_kind, action.source_id, action.owner) == ("inspection", finding.pk, agent)
    assert source_label("inspection", finding.pk) == f"{finding.ticket.number} 热线通话检查"
    assert source_url("inspection", finding.pk) == f"/inspections/{failed.pk}/#finding"
    assert action.number in client.get(f"/inspections/{failed.pk}/").content.decode()


def test_only_improvement_managers_open_one(agent, manager, failed):
    for user, status in ((agent, 403), (manager, 400)):
        client = Client()
        client.force_login(user)
        assert client.post(f"/inspections/{failed.pk}/improve/", {"title": "x"}).status_code in (status, 404)
    assert not ImprovementAction.objects.exists()
