"""The indicators other apps define, read through the registry on those apps' own hand-computed
fixtures: the registry gives the same figures, never a second definition."""

import datetime as dt

import pytest

from fuwu.followups.models import DueSource, FollowUp, FollowUpKind, FollowUpState
from fuwu.quality.indicators import TOTAL_KEY, Dimension, Granularity, Period, compute
from tests.complaints.test_analysis import year  # noqa: F401
from tests.fieldservice.conftest import customer, repair  # noqa: F401
from tests.fieldservice.test_documents_and_figures import signed_off
from tests.surveys.conftest import campaign, questionnaire  # noqa: F401
from tests.surveys.test_figures import known  # noqa: F401
from tests.tickets.sla_setup import local

pytestmark = pytest.mark.django_db
DECEMBER = Period(Granularity.MONTH, dt.date(2026, 12, 1))
NOVEMBER = Period(Granularity.MONTH, dt.date(2026, 11, 1))
QUARTER = Period(Granularity.QUARTER, dt.date(2026, 10, 1))


def test_satisfaction_and_nps_are_the_survey_figures(known):  # noqa: F811
    agent, support_ = known
    # December: ratings 4, 3, 2, 5, 1 → 2 of 5 satisfied; recommendation 9, 7, 3, 6, 0 → (1 − 3) / 5.
    assert compute("satisfaction", DECEMBER)[TOTAL_KEY] == pytest.approx(40.0)
    assert compute("nps", DECEMBER)[TOTAL_KEY] == pytest.approx(-40.0)
    by_staff = compute("satisfaction", QUARTER, Dimension.STAFF)
    assert by_staff == {TOTAL_KEY: pytest.approx(50.0), str(agent.pk): pytest.approx(50.0),
                        str(support_.pk): pytest.approx(50.0)}
    assert compute("nps", QUARTER, Dimension.STAFF)[str(agent.pk)] == pytest.approx(25.0)


def test_complaint_success_is_the_complaint_figure(year):  # noqa: F811
    # Closed in November: B (refused), C (agreed), D (no answer) → 1 of 3.
    assert compute("complaint_success", NOVEMBER)[TOTAL_KEY] == pytest.approx(100 / 3)


def test_repair_timeliness_is_the_field_service_figure(agent, technician, repair):  # noqa: F811
    signed_off(agent, technician, repair)
    assert compute("repair_timeliness", DECEMBER)[TOTAL_KEY] == pytest.approx(100.0)


def test_follow_up_completion(db):
    def one(day, state):
        FollowUp.objects.create(kind=FollowUpKind.PERIODIC, state=state, due_at=local(2026, 11, day, 10),
                                due_source=DueSource.PLAN, created_at=local(2026, 10, 1, 10))

    for day, state in ((2, FollowUpState.REACHED), (9, FollowUpState.REACHED), (16, FollowUpState.UNREACHABLE),
                       (23, FollowUpState.DUE), (27, FollowUpState.WITHDRAWN)):
        one(day, state)
    FollowUp.objects.create(kind=FollowUpKind.PERIODIC, state=FollowUpState.REACHED, due_at=local(2026, 12, 1, 10),
                            due_source=DueSource.PLAN, created_at=local(2026, 10, 1, 10))
    assert compute("follow_up_completion", NOVEMBER)[TOTAL_KEY] == pytest.approx(50.0)  # 2 of 4, withdrawn out
