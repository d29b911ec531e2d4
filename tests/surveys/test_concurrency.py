"""Two submits of one survey link at the same moment (R9.1): one response, the other told it is
answered already (the invitation's row lock, and the unique response per invitation beneath it).
PostgreSQL only."""

import pytest
from django.test import Client

from fuwu.surveys import tokens
from fuwu.surveys.models import Invitation, Response
from tests.concurrency import POSTGRES_ONLY, run_together
from tests.surveys.conftest import questions_by_text, resolved

pytestmark = POSTGRES_ONLY


def test_a_concurrent_double_submit_makes_one_response(agent, campaign, questionnaire):
    invitation = Invitation.objects.get(ticket=resolved(agent))
    ids = questions_by_text(questionnaire)
    link = tokens.public_path(invitation.nonce)

    def submit(overall: str):
        return lambda: Client().post(link, {f"q{ids['总体满意度']}": overall, f"q{ids['推荐意愿']}": "9"}).status_code

    results = run_together([submit("5"), submit("1"), submit("3")])
    assert sorted(status for _kind, status in results) == [302, 409, 409]
    assert Response.objects.filter(invitation=invitation).count() == 1


def test_the_unique_constraint_holds_without_the_lock(agent, campaign, questionnaire):
    """Even a writer that skips the row lock cannot add a second response to an invitation."""
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    invitation = Invitation.objects.get(ticket=resolved(agent))
    Response.objects.create(invitation=invitation, questionnaire=questionnaire, channel="online",
                            submitted_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(invitation=invitation, questionnaire=questionnaire, channel="phone",
                                submitted_at=timezone.now())
