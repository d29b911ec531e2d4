import datetime

import pytest
from django.utils import timezone

from fuwu.improvements import actions
from fuwu.improvements.models import ImprovementAction
from fuwu.org.roles import Role
from tests.factories import make_staff


@pytest.fixture
def quality(db):
    return make_staff(Role.QUALITY_SUPERVISOR, full_name="周洁")


@pytest.fixture
def quality2(db):
    return make_staff(Role.QUALITY_SUPERVISOR, full_name="吴静")


def due(days: int = 30) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def open_action(actor, owner, *, days: int = 30, source_kind=ImprovementAction.SourceKind.MANUAL, source_id=None,
                kind="corrective") -> ImprovementAction:
    return actions.improvement_action_open(
        actor=actor, kind=kind, title="缩短上门等待时间", goal="上门准时率提升到 95%",
        measures="按区域调整排班；出发前电话告知客户。", owner=owner, due_on=due(days),
        source_kind=source_kind, source_id=source_id)


def approved(action, approver):
    return actions.improvement_action_approve(actor=approver, action=action, expected_version=None)


def done(action, owner):
    action = actions.improvement_action_start(actor=owner, action=action, expected_version=None)
    return actions.improvement_action_complete(actor=owner, action=action, expected_version=None,
                                               note="排班已调整，出发前电话告知已写入作业规范。")
