"""Overdue escalation (R17.1): owner and manager told exactly once per due date."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.improvements import actions
from fuwu.improvements.codes import ImprovementEvent
from fuwu.improvements.models import ImprovementAction
from fuwu.improvements.tasks import improvement_actions_overdue_daily
from tests.improvements.conftest import approved, done, open_action

pytestmark = pytest.mark.django_db


def overdue_notices(action):
    return OutboxMessage.objects.filter(dedupe_key__startswith=f"improvement.overdue:{action.pk}:")


def test_an_overdue_action_notifies_owner_and_manager_once(quality, manager, technician):
    action = approved(open_action(quality, technician, days=3), manager)
    finished = done(approved(open_action(quality, technician, days=3), manager), technician)
    today = timezone.localdate()
    assert actions.improvement_actions_notify_overdue(today=today + datetime.timedelta(days=3)) == 0
    assert actions.improvement_actions_notify_overdue(today=today + datetime.timedelta(days=4)) == 1
    assert actions.improvement_actions_notify_overdue(today=today + datetime.timedelta(days=5)) == 0
    assert sorted(overdue_notices(action).values_list("recipient_id", flat=True)) == sorted([technician.pk,
                                                                                              manager.pk])
    assert not overdue_notices(finished).exists()
    assert AuditEvent.objects.filter(action=ImprovementEvent.OVERDUE, object_id=str(action.pk)).count() == 1
    assert action.entries.filter(kind="overdue").count() == 1
    # A new due date that passes too is told again, once.
    action = ImprovementAction.objects.get(pk=action.pk)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=5)):
        actions.improvement_action_update(actor=quality, action=action, expected_version=None, kind=action.kind,
                                          title=action.title, goal=action.goal, measures=action.measures,
                                          owner=technician, due_on=timezone.localdate() + datetime.timedelta(days=1))
    assert actions.improvement_actions_notify_overdue(today=today + datetime.timedelta(days=8)) == 1
    assert actions.improvement_actions_notify_overdue(today=today + datetime.timedelta(days=9)) == 0
    assert overdue_notices(action).count() == 4


def test_the_periodic_task_calls_the_action(quality, manager, technician):
    action = approved(open_action(quality, technician, days=1), manager)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        improvement_actions_overdue_daily.call_local()
        improvement_actions_overdue_daily.call_local()
    assert overdue_notices(action).count() == 2
