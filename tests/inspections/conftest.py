import datetime

import pytest

from fuwu.inspections import actions
from fuwu.inspections.models import ChecklistKind, Touchpoint
from fuwu.org.models import Group
from fuwu.org.roles import Role
from tests.factories import make_staff

# The hand-computed checklist: weights 2, 1, 1; maxima 5, 5, 1; the last one critical.
ITEMS = [("问候语规范", 2, 5, False), ("准确记录客户诉求", 1, 5, False), ("未泄露客户信息", 1, 1, True)]


@pytest.fixture
def supervisor(db):
    return make_staff(Role.QUALITY_SUPERVISOR, full_name="周监督")


@pytest.fixture
def other_supervisor(db):
    return make_staff(Role.QUALITY_SUPERVISOR, full_name="吴督导")


@pytest.fixture
def service_group(db):
    return Group.objects.get(code="customer_service")


def make_checklist(actor, code="hotline-call", items=ITEMS, pass_mark=80, publish=True,
                   kind=ChecklistKind.INSPECTION, touchpoint=Touchpoint.HOTLINE_CALL):
    checklist = actions.checklist_create(actor=actor, code=code, title="热线通话检查", kind=kind,
                                         touchpoint=touchpoint, pass_mark=pass_mark)
    for text, weight, max_score, critical in items:
        actions.checklist_add_item(actor=actor, checklist=checklist, expected_version=None, text=text, weight=weight,
                                   max_score=max_score, critical=critical)
    if publish:
        checklist = actions.checklist_publish(actor=actor, checklist=checklist, expected_version=None)
    return checklist


@pytest.fixture
def checklist(supervisor):
    return make_checklist(supervisor)


def items_of(checklist):
    return list(checklist.items.order_by("position"))


def score_input(checklist, values, **fields):
    return actions.ScoreInput(checklist_id=checklist.pk, scores=dict(zip([i.pk for i in items_of(checklist)], values,
                                                                         strict=True)), **fields)


def plan_round(actor, checklist, inspectors, *, start=None, end=None, **fields):
    start = start or datetime.date(2026, 12, 1)
    fields.setdefault("groups", [Group.objects.get(code="customer_service")])
    return actions.round_plan(actor=actor, title="12月热线巡检", checklist=checklist, period_start=start,
                              period_end=end or start + datetime.timedelta(days=30), inspectors=inspectors, **fields)
