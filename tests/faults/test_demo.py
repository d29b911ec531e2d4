"""The faults demo (`seed_demo`, with or without --fast): a handful of reports over the year through the
actions, most closed with their analysis and improvement actions, the latest still being handled."""

import pytest

from fuwu.core.models import AuditEvent
from fuwu.faults.demo import SCRIPTS, seed_faults
from fuwu.faults.models import FaultReport, NoticeRecipient
from fuwu.improvements.models import ImprovementAction
from fuwu.org.roles import Role
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_the_demo_plays_the_years_faults_once(support, boss, customers, regions):
    make_staff(Role.QUALITY_SUPERVISOR)
    assert seed_faults(seed=1) == len(SCRIPTS)
    faults = list(FaultReport.objects.order_by("started_at"))
    assert [f.status for f in faults] == ["closed"] * (len(SCRIPTS) - 1) + ["handling"]
    for fault in faults[:-1]:
        assert fault.has_analysis and fault.started_at < fault.restored_at < fault.closed_at
        assert ImprovementAction.objects.filter(source_kind="fault", source_id=fault.pk).count() == 2
        assert fault.customers.exists()
    assert AuditEvent.objects.filter(action="fault.closed").count() == len(SCRIPTS) - 1
    assert NoticeRecipient.objects.filter(kind__in=("department", "user")).count() == 2
    # Supervision proposed the measures, the manager approved them and support carried them out: the
    # oldest fault's actions have run their course, not waited all year as proposals.
    oldest = ImprovementAction.objects.filter(source_kind="fault", source_id=faults[0].pk)
    assert {(a.proposed_by.profile.roles.get().code, a.approved_by_id, a.owner_id) for a in oldest} == {
        (Role.QUALITY_SUPERVISOR, boss.pk, support.pk)}
    assert {a.status for a in oldest} <= {"done", "verified", "in_progress"}
    assert seed_faults(seed=1) == 0  # already there
