"""An indicator alert opens an improvement action once (R9.5, R17.1), named by the alert."""

import datetime

import pytest
from django.urls import reverse

from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent
from fuwu.improvements.models import ImprovementAction
from fuwu.improvements.sources import source_label, source_url
from fuwu.quality import actions
from fuwu.quality.codes import QualityAction
from fuwu.quality.indicators import Granularity
from fuwu.quality.models import Alert
from tests.factories import make_staff
from tests.quality.fixtures import NOVEMBER

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(month, manager):
    actions.target_set(actor=manager, indicator="first_contact_resolution", granularity=Granularity.MONTH,
                       target=60, alert_level=45, owner=manager)
    actions.snapshots_compute(day=NOVEMBER, granularities=(Granularity.MONTH,))
    return Alert.objects.get()


def _open(actor, alert, **fields):
    return actions.alert_open_improvement(
        actor=actor, alert=alert, version=alert.version, title="提高首问解决率", goal="首问解决率回到 60% 以上",
        measures="热线常见问题知识库；每周复盘转交原因", owner=fields.pop("owner", actor),
        due_on=datetime.date(2026, 12, 31), **fields)


def test_an_alert_opens_one_improvement_action(alert, manager):
    improvement = _open(manager, alert)
    assert (improvement.source_kind, improvement.source_id) == (ImprovementAction.SourceKind.KPI_ALERT, alert.pk)
    alert.refresh_from_db()
    assert alert.improvement_id == improvement.pk and alert.state == Alert.State.ACKNOWLEDGED
    assert AuditEvent.objects.filter(action=QualityAction.ALERT_IMPROVEMENT_OPENED).count() == 1
    assert "首问解决率" in source_label(ImprovementAction.SourceKind.KPI_ALERT, alert.pk)
    assert source_url(ImprovementAction.SourceKind.KPI_ALERT, alert.pk).endswith(f"#alert-{alert.pk}")
    with pytest.raises(InvalidInput) as caught:
        _open(manager, alert)
    assert caught.value.code == "quality.already_improving" and ImprovementAction.objects.count() == 1


def test_only_quality_managers_open_one(alert):
    with pytest.raises(PermissionDenied):
        _open(make_staff("general_manager"), alert)
    assert not ImprovementAction.objects.exists()


def test_the_page_opens_it_and_keeps_a_wrong_input(client, alert, manager):
    client.force_login(manager)
    url = reverse("quality:alert_improve", args=[alert.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'id="improve-form"' in page.content.decode()
    data = {"version": alert.version, "title": "提高首问解决率", "goal": "回到目标", "measures": "知识库",
            "owner": manager.pk, "due_on": "2020-01-01"}
    response = client.post(url, data)
    assert response.status_code == 400 and "知识库" in response.content.decode()  # the input kept
    assert not ImprovementAction.objects.exists()
    response = client.post(url, {**data, "due_on": "2026-12-31"})
    assert response.status_code == 302 and ImprovementAction.objects.get().source_id == alert.pk
