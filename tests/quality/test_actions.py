"""Targets, the snapshot job and its alerts (R9.5): a threshold crossed once alerts once."""

import pytest

from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.quality import actions
from fuwu.quality.codes import QualityAction
from fuwu.quality.indicators import Dimension, Granularity
from fuwu.quality.models import Alert, Snapshot, Target
from fuwu.quality.tasks import quality_snapshots_today
from tests.factories import make_staff, make_ticket
from tests.quality.fixtures import NOVEMBER

pytestmark = pytest.mark.django_db


def test_a_target_is_set_and_replaced_with_its_audit_events(manager):
    first = actions.target_set(actor=manager, indicator="resolution_sla", granularity=Granularity.MONTH,
                               target=90, alert_level=80, owner=manager)
    second = actions.target_set(actor=manager, indicator="resolution_sla", granularity=Granularity.MONTH,
                                target=92, alert_level=85, owner=manager)
    assert first.pk == second.pk and second.version == 2
    assert Target.objects.get().target == 92
    events = AuditEvent.objects.filter(action=QualityAction.TARGET_SET).order_by("id")
    assert [e.payload["target"] for e in events] == [90, 92]
    assert events.last().payload["old"]["target"] == 90


@pytest.mark.parametrize(("fields", "code"), [
    ({"indicator": "no_such"}, "quality.unknown_indicator"),
    ({"target": 90, "alert_level": 95}, "quality.bad_levels"),  # higher is better: the alert lies below
    ({"indicator": "complaint_success", "dimension": Dimension.GROUP}, "quality.bad_dimension"),
])
def test_a_wrong_target_is_refused(manager, fields, code):
    base = {"indicator": "resolution_sla", "granularity": Granularity.MONTH, "target": 90, "alert_level": 80}
    with pytest.raises(InvalidInput) as caught:
        actions.target_set(actor=manager, owner=manager, **{**base, **fields})
    assert caught.value.code == code and not Target.objects.exists()


def test_only_quality_managers_set_targets(db):
    gm = make_staff("general_manager")
    with pytest.raises(PermissionDenied):
        actions.target_set(actor=gm, indicator="backlog", granularity="day", target=1, alert_level=2, owner=gm)


def test_the_job_writes_snapshots_idempotently(month):
    written = actions.snapshots_compute(day=NOVEMBER, granularities=(Granularity.MONTH,))
    again = actions.snapshots_compute(day=NOVEMBER, granularities=(Granularity.MONTH,))
    assert written == again == Snapshot.objects.count()
    fcr = Snapshot.objects.get(indicator="first_contact_resolution", dimension=Dimension.TOTAL)
    assert (fcr.numerator, fcr.denominator, fcr.value) == (1, 4, 25.0)
    group_a = month["groups"][0]
    by_group = Snapshot.objects.get(indicator="resolution_sla", dimension=Dimension.GROUP,
                                    dimension_key=str(group_a.pk))
    assert (by_group.numerator, by_group.denominator) == (1, 2)  # t1 met, t2 breached


def test_a_threshold_crossed_once_alerts_its_manager_once(month, manager):
    owner = make_staff("quality_supervisor")
    actions.target_set(actor=manager, indicator="first_contact_resolution", granularity=Granularity.MONTH,
                       target=60, alert_level=45, owner=owner)
    actions.target_set(actor=manager, indicator="handling_time", granularity=Granularity.MONTH,
                       target=100, alert_level=120, owner=owner)  # 85.5 h: within the target, no alert
    for _ in range(3):  # the job runs again and again: the month stays crossed
        actions.snapshots_compute(day=NOVEMBER, granularities=(Granularity.MONTH,))
    alert = Alert.objects.get()
    assert (alert.target.indicator, alert.period_start, alert.value) == ("first_contact_resolution", NOVEMBER, 25.0)
    notices = OutboxMessage.objects.filter(object_type="quality.alert")
    assert [n.recipient_id for n in notices] == [owner.pk]
    assert AuditEvent.objects.filter(action=QualityAction.ALERT_RAISED).count() == 1


def test_an_alert_is_acknowledged_once_with_the_version_check(month, manager):
    target = actions.target_set(actor=manager, indicator="first_contact_resolution", granularity=Granularity.MONTH,
                                target=60, alert_level=45, owner=manager)
    actions.snapshots_compute(day=NOVEMBER, granularities=(Granularity.MONTH,))
    alert = Alert.objects.get(target=target)
    done = actions.alert_acknowledge(actor=manager, alert=alert, version=alert.version)
    assert done.state == Alert.State.ACKNOWLEDGED and done.version == 2
    from fuwu.core.errors import Conflict

    with pytest.raises(Conflict):
        actions.alert_acknowledge(actor=manager, alert=alert, version=1)


def test_the_periodic_task_computes_today(agent):
    make_ticket(agent, title="网络中断")
    quality_snapshots_today()
    assert Snapshot.objects.get(indicator="backlog", granularity="day", dimension="total").value == 1
    assert AuditEvent.objects.filter(action=QualityAction.SNAPSHOTS_COMPUTED).exists()
