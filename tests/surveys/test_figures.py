"""The figures (R9.1) on known data: satisfaction rate, NPS and response rate, in total and by
staff member, group, service type and month; a constant number of grouped queries."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from fuwu.core.errors import PermissionDenied
from fuwu.org.models import Group
from fuwu.org.roles import Role
from fuwu.surveys import actions
from fuwu.surveys.figures import period_of_months, survey_figures
from fuwu.surveys.models import Invitation
from tests.factories import make_staff
from tests.surveys.conftest import questions_by_text, resolved

pytestmark = pytest.mark.django_db


def _answer(questionnaire, ticket, overall: int, nps: int) -> None:
    ids = questions_by_text(questionnaire)
    # 响应速度 is a rating that does not count for satisfaction: 5 everywhere, it must change nothing.
    actions.response_submit(actor=None, invitation=Invitation.objects.get(ticket=ticket),
                            answers={ids["总体满意度"]: overall, ids["推荐意愿"]: nps, ids["响应速度"]: 5})


@pytest.fixture
def known(agent, campaign, questionnaire):
    """The agent: 5 invitations, 4 answered (5/10 in November; 4/9, 3/7, 2/3 in December);
    support: 3 invitations, 2 answered (5/6, 1/0)."""
    support = make_staff(Role.SUPPORT, full_name="技术支持李")
    with time_machine.travel(timezone.now() - datetime.timedelta(days=20), tick=False):
        _answer(questionnaire, resolved(agent), 5, 10)
    for overall, nps in ((4, 9), (3, 7), (2, 3)):
        _answer(questionnaire, resolved(agent), overall, nps)
    resolved(agent)
    for overall, nps in ((5, 6), (1, 0)):
        _answer(questionnaire, resolved(support), overall, nps)
    resolved(support)
    return agent, support


def test_the_arithmetic_on_known_data(known, manager, django_assert_max_num_queries):
    agent, support = known
    since, until = period_of_months(datetime.date(2026, 11, 1), datetime.date(2026, 12, 1))
    with django_assert_max_num_queries(14):
        f = survey_figures(manager, since=since, until=until)
    t = f.total
    assert (t.invited, t.answered, t.rated, t.satisfied) == (8, 6, 6, 3)
    assert (t.recommended, t.promoters, t.detractors) == (6, 2, 3)
    assert t.response_rate == pytest.approx(0.75)
    assert t.satisfaction_rate == pytest.approx(0.5)
    assert t.nps == pytest.approx(-100 / 6)
    staff = {row.key: row for row in f.by["staff"]}
    assert staff[agent.pk].label == agent.get_full_name()
    assert (staff[agent.pk].response_rate, staff[agent.pk].satisfaction_rate, staff[agent.pk].nps) == (
        pytest.approx(0.8), pytest.approx(0.5), pytest.approx(25.0))
    assert (staff[support.pk].response_rate, staff[support.pk].satisfaction_rate, staff[support.pk].nps) == (
        pytest.approx(2 / 3), pytest.approx(0.5), pytest.approx(-100.0))
    groups = {row.label: (row.invited, row.answered) for row in f.by["group"]}
    assert groups == {str(Group.objects.get(code="customer_service")): (5, 4),
                      str(Group.objects.get(code="tech_support")): (3, 2)}
    assert [(row.invited, row.nps) for row in f.by["service_type"]] == [(8, pytest.approx(-100 / 6))]
    months = [(row.label, row.invited, row.answered, row.satisfaction_rate, row.nps) for row in f.by["month"]]
    assert months == [("2026-11", 1, 1, 1.0, 100.0), ("2026-12", 7, 5, pytest.approx(0.4), pytest.approx(-40.0))]


def test_the_period_filter(known, manager):
    since, until = period_of_months(datetime.date(2026, 12, 1), datetime.date(2026, 12, 1))
    total = survey_figures(manager, since=since, until=until).total
    assert (total.invited, total.answered, total.promoters, total.detractors) == (7, 5, 1, 3)
    since, until = period_of_months(datetime.date(2025, 1, 1), datetime.date(2025, 6, 1))
    empty = survey_figures(manager, since=since, until=until).total
    assert (empty.invited, empty.response_rate, empty.satisfaction_rate, empty.nps) == (0, None, None, None)


def test_the_default_period_is_the_last_twelve_months():
    since, until = period_of_months(None, None)
    assert (since.date(), until.date()) == (datetime.date(2026, 1, 1), datetime.date(2027, 1, 1))


def test_only_survey_viewers_see_figures(agent):
    since, until = period_of_months(None, None)
    for role in (Role.AGENT, Role.TECHNICIAN, Role.FINANCE, Role.CUSTOMER):
        with pytest.raises(PermissionDenied):
            survey_figures(make_staff(role), since=since, until=until)
    for role in (Role.QUALITY_SUPERVISOR, Role.GENERAL_MANAGER, Role.MANAGER):
        assert survey_figures(make_staff(role), since=since, until=until).total.invited == 0
