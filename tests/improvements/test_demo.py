"""The demo's improvement year (fuwu/improvements/demo.py): through the actions, separation of duties kept."""

import datetime

import pytest
from django.utils import timezone

from fuwu.improvements import actions
from fuwu.improvements.demo import seed_improvements
from fuwu.improvements.models import ImprovementAction, Suggestion
from fuwu.org.roles import Role
from tests.complaints.conftest import complaint_of, register
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_a_demo_year_of_actions_and_suggestions(agent):
    for role in (Role.MANAGER, Role.MANAGER, Role.QUALITY_SUPERVISOR, Role.QUALITY_SUPERVISOR, Role.SUPPORT,
                 Role.TECHNICIAN):
        make_staff(role)
    complaints = [complaint_of(register(agent)) for _ in range(4)]
    now = timezone.now()
    sources = [(c.pk, c.ticket.title, now - datetime.timedelta(days=200 - 40 * i)) for i, c in enumerate(complaints)]
    made = seed_improvements(seed=7, complaints=sources, limit=12)
    assert 0 < made <= 12 and ImprovementAction.objects.count() == made
    assert Suggestion.objects.exists()
    assert ImprovementAction.objects.filter(status="verified").exists()
    for action in ImprovementAction.objects.exclude(verified_by=None):
        assert action.verified_by_id != action.owner_id  # R1.2
    for action in ImprovementAction.objects.exclude(approved_by=None):
        assert action.approved_by_id != action.proposed_by_id
    assert ImprovementAction.objects.filter(proposed_at__gt=now).count() == 0
    assert actions.improvement_actions_notify_overdue() == 0  # the demo already told the overdue ones
