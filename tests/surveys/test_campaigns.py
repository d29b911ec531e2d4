"""Invitations (R9.1): after each service through the resolve listener, and the periodic samples.

The after-service rule: one invitation per request, ever. A request resolved again after it was
reopened is not asked a second time, and two campaigns covering one request do not both ask.
"""

import datetime
import re

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.core.outbox import outbox_deliver_pending
from fuwu.surveys import actions
from fuwu.surveys.campaigns import campaign_draw, campaigns_draw_due, period_before
from fuwu.surveys.codes import SurveyAction
from fuwu.surveys.models import CampaignKind, Channel, Invitation, SampleRun
from fuwu.surveys.selectors import invitation_by_token, invitations_open_for_customer
from fuwu.tickets.actions import ticket_move
from fuwu.tickets.lifecycle import Move
from tests.factories import RegionFactory, make_customer, make_ticket
from tests.surveys.conftest import build_questionnaire, resolved

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://testserver/s/([A-Za-z0-9_-]{32})/")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.FUWU_SITE_URL = "http://testserver"


def test_a_resolved_request_gets_an_invitation_and_an_email_with_its_link(agent, campaign, questionnaire, mailoutbox):
    ticket = resolved(agent, contact_name="陈建国")
    invitation = Invitation.objects.get(ticket=ticket)
    assert (invitation.campaign, invitation.questionnaire, invitation.channel) == (campaign, questionnaire,
                                                                                    Channel.EMAIL)
    assert (invitation.staff, invitation.group, invitation.service_type) == (ticket.owner, ticket.group,
                                                                            ticket.service_type)
    mail = OutboxMessage.objects.get(email="chen@example.com")
    assert (mail.object_type, mail.object_id) == ("tickets.ticket", str(ticket.pk))
    token = LINK.search(mail.body).group(1)
    assert invitation_by_token(token) == invitation
    assert token not in str(list(Invitation.objects.values_list()))  # the token itself is never stored
    event = AuditEvent.objects.get(action=SurveyAction.INVITED)
    assert event.payload["ticket"] == ticket.number and event.actor_id == agent.pk
    outbox_deliver_pending()
    assert f"[{ticket.number}]" in mailoutbox[0].subject and token in mailoutbox[0].body


def test_resolved_again_after_a_reopen_is_not_asked_again(agent, campaign):
    ticket = resolved(agent)
    ticket = ticket_move(actor=agent, ticket=ticket, expected_version=ticket.version, move=Move.REOPEN,
                         reason="客户反映问题复现")
    ticket = ticket_move(actor=agent, ticket=ticket, expected_version=ticket.version, move=Move.RESOLVE,
                         resolution="更换配件")
    assert ticket.status == "resolved"
    assert Invitation.objects.filter(ticket=ticket).count() == 1
    assert OutboxMessage.objects.filter(email="chen@example.com").count() == 1


def test_only_the_first_matching_campaign_asks(agent, manager, campaign, questionnaire):
    actions.campaign_create(actor=manager, name="第二个", kind=CampaignKind.AFTER_SERVICE,
                            questionnaire=questionnaire)
    assert list(Invitation.objects.filter(ticket=resolved(agent)).values_list("campaign", flat=True)) == [campaign.pk]


def test_a_campaign_covers_only_its_kinds_of_request(agent, manager, questionnaire):
    actions.campaign_create(actor=manager, name="维修回访", kind=CampaignKind.AFTER_SERVICE,
                            questionnaire=questionnaire, service_kinds=["repair"])
    assert not Invitation.objects.filter(ticket=resolved(agent, service_type="consultation")).exists()
    repair = resolved(agent, service_type="repair", title="空调不制冷", site_address="世纪大道1号",
                      occurred_since="今天", contact_phone="13912345678", region_id=RegionFactory().pk)
    assert Invitation.objects.filter(ticket=repair).exists()


def test_without_an_email_the_invitation_waits_for_a_call(agent, campaign):
    ticket = resolved(agent, contact_email="")
    assert Invitation.objects.get(ticket=ticket).channel == Channel.PHONE
    assert not OutboxMessage.objects.exclude(email="").exists()


def test_no_invitation_without_a_published_version_or_an_active_campaign(agent, manager, campaign, questionnaire):
    actions.questionnaire_retire(actor=manager, questionnaire=questionnaire, expected_version=questionnaire.version)
    assert not Invitation.objects.filter(ticket=resolved(agent)).exists()


def test_the_invitation_rolls_back_with_the_move(agent, campaign):
    ticket = make_ticket(agent, contact_email="chen@example.com")
    with pytest.raises(RuntimeError), transaction.atomic():
        ticket_move(actor=agent, ticket=ticket, expected_version=ticket.version, move=Move.RESOLVE, resolution="好了")
        raise RuntimeError
    assert not Invitation.objects.exists() and not OutboxMessage.objects.exclude(email="").exists()


def test_open_invitations_for_the_portal(agent, campaign, questionnaire):
    customer = make_customer(agent, name="申江物业")
    first = Invitation.objects.get(ticket=resolved(agent, customer_id=customer.pk))
    second = Invitation.objects.get(ticket=resolved(agent, customer_id=customer.pk))
    Invitation.objects.filter(pk=second.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    resolved(agent)  # another customer's
    listed = invitations_open_for_customer(customer.pk)
    assert [i.id for i in listed] == [first.pk]
    assert invitation_by_token(listed[0].url.split("/")[2]) == first
    actions.response_submit(actor=None, invitation=first, answers={
        q.pk: 4 for q in questionnaire.questions.filter(kind="rating")} | {
        questionnaire.questions.get(kind="nps").pk: 8})
    assert invitations_open_for_customer(customer.pk) == []


def test_periods():
    day = datetime.date(2026, 12, 2)
    assert period_before(CampaignKind.MONTHLY, day)[0] == "2026-11"
    assert period_before(CampaignKind.QUARTERLY, day)[:2] == ("2026-Q3", datetime.date(2026, 7, 1))
    assert period_before(CampaignKind.QUARTERLY, datetime.date(2026, 1, 5))[0] == "2025-Q4"
    assert period_before(CampaignKind.YEARLY, day)[0] == "2025"


def test_a_monthly_sample_invites_n_customers_once(agent, manager):
    questionnaire = build_questionnaire(manager, code="monthly")
    campaign = actions.campaign_create(actor=manager, name="月度抽样", kind=CampaignKind.MONTHLY,
                                       questionnaire=questionnaire, sample_size=2, channel=Channel.PHONE)
    customers = [make_customer(agent) for _ in range(3)]
    november = timezone.now() - datetime.timedelta(days=20)
    with time_machine.travel(november, tick=False):
        for customer in customers:
            resolved(agent, customer_id=customer.pk)
        resolved(agent, customer_id=customers[0].pk)  # a second request of one customer
    resolved(agent, customer_id=customers[1].pk)  # December: not in the period
    made = campaigns_draw_due()
    invitations = list(Invitation.objects.filter(campaign=campaign))
    assert made == 2 and len(invitations) == 2 and len({i.customer_id for i in invitations}) == 2
    assert all(i.ticket.resolved_at.month == 11 and i.channel == Channel.PHONE for i in invitations)
    assert SampleRun.objects.get(campaign=campaign).period == "2026-11"
    assert campaign_draw(campaign=campaign, today=timezone.localdate()) is None  # drawn once
    assert Invitation.objects.filter(campaign=campaign).count() == 2
    assert AuditEvent.objects.filter(action=SurveyAction.SAMPLED).get().payload == {
        "period": "2026-11", "candidates": 3, "invited": 2}


def test_the_yearly_survey_asks_customers_about_the_relationship(agent, manager):
    questionnaire = build_questionnaire(manager, code="yearly")
    campaign = actions.campaign_create(actor=manager, name="年度满意度", kind=CampaignKind.YEARLY,
                                       questionnaire=questionnaire, sample_size=5)
    customer = make_customer(agent, email="li@example.com", contact_name="李经理")
    with time_machine.travel(datetime.datetime(2025, 6, 3, 10, tzinfo=datetime.UTC), tick=False):
        resolved(agent, customer_id=customer.pk)
    run = campaign_draw(campaign=campaign, today=datetime.date(2026, 1, 2))
    invitation = Invitation.objects.get(campaign=campaign)
    assert (run.period, run.invited) == ("2025", 1)
    assert (invitation.customer, invitation.ticket, invitation.staff, invitation.email, invitation.contact_name) == (
        customer, None, None, "li@example.com", "李经理")
    assert OutboxMessage.objects.filter(email="li@example.com", object_type="").exists()
