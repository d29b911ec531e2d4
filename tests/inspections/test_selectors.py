"""The indicator input `inspection_scores` (R9.4, R9.5): averages per touchpoint, group, staff member and
month for a period, aggregated in the database, and who sees which results."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fuwu.inspections import actions
from fuwu.inspections.selectors import inspection_for, inspection_scores, inspection_summary, inspections_visible_to
from fuwu.org.models import Group
from tests.factories import make_staff
from tests.inspections.conftest import make_checklist, score_input

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


@pytest.fixture
def scored(supervisor, agent):
    """Four inspections: hotline 80 % and 55 % for the agent, on-site 100 % and 50 % for a technician."""
    technician = make_staff("technician")
    hotline = make_checklist(supervisor)
    onsite = make_checklist(supervisor, code="onsite", touchpoint="onsite_visit", kind="mystery_shopper",
                            items=[("准时到达", 1, 4, False)], pass_mark=60)
    record = actions.inspection_record
    at = datetime.datetime
    record(actor=supervisor, data=score_input(hotline, [4, 3, 1], staff_id=agent.pk,  # 80.00
                                              observed_at=at(2026, 10, 31, 23, 30, tzinfo=SH)))
    record(actor=supervisor, data=score_input(hotline, [2, 2, 1], staff_id=agent.pk,  # 55.00, a finding
                                              observed_at=at(2026, 11, 1, 0, 30, tzinfo=SH)))
    record(actor=supervisor, data=score_input(onsite, [4], staff_id=technician.pk,  # 100.00
                                              observed_at=at(2026, 11, 15, 9, tzinfo=SH)))
    record(actor=supervisor, data=score_input(onsite, [2], staff_id=technician.pk,  # 50.00, a finding
                                              observed_at=at(2026, 12, 1, 9, tzinfo=SH)))
    return {"agent": agent, "technician": technician, "hotline": hotline, "onsite": onsite}


def rows(viewer, by, start=YEAR[0], end=YEAR[1], **kw):
    return [(r.key, r.count, r.average, r.passed, r.findings) for r in inspection_scores(
        viewer=viewer, start=start, end=end, by=by, **kw)]


def test_averages_by_touchpoint_group_staff_kind_and_checklist(manager, scored):
    assert rows(manager, "touchpoint") == [("onsite_visit", 2, Decimal("75.00"), 1, 1),
                                           ("hotline_call", 2, Decimal("67.50"), 1, 1)]
    repair, service = Group.objects.get(code="repair"), Group.objects.get(code="customer_service")
    assert rows(manager, "group") == [(repair.pk, 2, Decimal("75.00"), 1, 1), (service.pk, 2, Decimal("67.50"), 1, 1)]
    assert rows(manager, "staff") == [(scored["technician"].pk, 2, Decimal("75.00"), 1, 1),
                                      (scored["agent"].pk, 2, Decimal("67.50"), 1, 1)]
    assert rows(manager, "kind") == [("mystery_shopper", 2, Decimal("75.00"), 1, 1),
                                     ("inspection", 2, Decimal("67.50"), 1, 1)]
    assert [r[0] for r in rows(manager, "checklist")] == [scored["onsite"].pk, scored["hotline"].pk]
    labels = [r.label for r in inspection_scores(viewer=manager, start=YEAR[0], end=YEAR[1], by="touchpoint")]
    assert labels == ["上门服务", "热线通话"]  # the touchpoints' labels, in the reader's language
    assert rows(manager, "touchpoint", kind="inspection") == [("hotline_call", 2, Decimal("67.50"), 1, 1)]


def test_months_and_the_period_follow_china_time(manager, scored):
    # 23:30 on 31 October in Shanghai is October, though it is 15:30 UTC; 00:30 on 1 November is November.
    assert rows(manager, "month") == [(datetime.date(2026, 10, 1), 1, Decimal("80.00"), 1, 0),
                                      (datetime.date(2026, 11, 1), 2, Decimal("77.50"), 1, 1),
                                      (datetime.date(2026, 12, 1), 1, Decimal("50.00"), 0, 1)]
    november = rows(manager, "touchpoint", start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 30))
    assert november == [("onsite_visit", 1, Decimal("100.00"), 1, 0), ("hotline_call", 1, Decimal("55.00"), 0, 1)]
    summary = inspection_summary(viewer=manager, start=YEAR[0], end=YEAR[1])
    assert summary == {"n": 4, "avg": Decimal("71.25"), "ok": 2, "found": 2}


def test_one_grouped_query(manager, scored):
    with CaptureQueriesContext(connection) as queries:
        inspection_scores(viewer=manager, start=YEAR[0], end=YEAR[1], by="touchpoint")
    assert len(queries) <= 2  # the viewer's roles, then the grouped query


def test_a_staff_member_sees_only_their_own_results(scored):
    agent, technician = scored["agent"], scored["technician"]
    assert rows(agent, "touchpoint") == [("hotline_call", 2, Decimal("67.50"), 1, 1)]
    assert {i.staff_id for i in inspections_visible_to(technician)} == {technician.pk}
    other = inspections_visible_to(technician).model.objects.filter(staff=agent).first()
    with pytest.raises(Exception) as exc:
        inspection_for(technician, other.pk)
    assert type(exc.value).__name__ == "NotFound"
    assert rows(make_staff("customer"), "touchpoint") == []


def test_unknown_breakdown_is_refused(manager):
    with pytest.raises(ValueError):
        inspection_scores(viewer=manager, start=YEAR[0], end=YEAR[1], by="colour")
