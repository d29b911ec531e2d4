"""The service catalogue's actions (R3.2, R3.3; docs/architecture.md, Actions): rows, audit events, checks."""

import pytest

from fuwu.core.errors import Conflict, InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent
from fuwu.org.models import Group
from fuwu.standards.actions.catalogue import ServiceTypeInput, service_type_create, service_type_update
from fuwu.standards.codes import StandardsAction
from fuwu.standards.models import ServiceType
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_create_writes_the_type_and_one_event(manager):
    repair = Group.objects.get(code="repair")
    created = service_type_create(actor=manager, code="install", data=ServiceTypeInput(
        name=" 安装 ", name_en="Installation", kind="repair", required_fields=["site_address", "contact_phone"],
        default_group=repair, default_priority="high", sort_order=5))
    row = ServiceType.objects.get(code="install")
    assert (row.pk, row.name, row.kind, row.default_group, row.default_priority, row.version) == (
        created.pk, "安装", "repair", repair, "high", 1)
    assert row.required_fields == ["site_address", "contact_phone"] and row.is_active
    event = AuditEvent.objects.get(action=StandardsAction.SERVICE_TYPE_CREATED, object_id=str(row.pk))
    assert event.actor == manager
    assert event.payload["code"] == "install"
    assert event.payload["new"] == {
        "name": "安装", "name_en": "Installation", "kind": "repair",
        "required_fields": ["site_address", "contact_phone"], "default_group": "repair",
        "default_priority": "high", "is_active": True, "sort_order": 5}


def test_create_refuses_bad_input_and_other_roles(manager):
    with pytest.raises(InvalidInput) as refused:
        service_type_create(actor=manager, code="repair", data=ServiceTypeInput(
            name="", kind="nonsense", required_fields=["shoe_size"], default_priority="asap"))
    assert set(refused.value.errors) == {"code", "name", "kind", "required_fields", "default_priority"}
    with pytest.raises(InvalidInput) as bad_code:
        service_type_create(actor=manager, code="安 装", data=ServiceTypeInput(name="安装", kind="repair"))
    assert set(bad_code.value.errors) == {"code"}
    with pytest.raises(PermissionDenied):
        service_type_create(actor=make_staff("agent"), code="x", data=ServiceTypeInput(name="x", kind="other"))
    assert not ServiceType.objects.filter(name__in=["", "安装", "x"]).exists()


def test_update_records_old_and_new_and_checks_the_version(manager):
    consultation = ServiceType.objects.get(code="consultation")
    data = ServiceTypeInput(**{name: getattr(consultation, name) for name in ServiceTypeInput.__dataclass_fields__})
    assert service_type_update(actor=manager, service_type=consultation, expected_version=1, data=data).version == 1
    assert not AuditEvent.objects.filter(action=StandardsAction.SERVICE_TYPE_UPDATED).exists()  # nothing changed
    data.is_active, data.default_priority = False, "low"
    updated = service_type_update(actor=manager, service_type=consultation, expected_version=1, data=data)
    assert (updated.is_active, updated.default_priority, updated.version) == (False, "low", 2)
    event = AuditEvent.objects.get(action=StandardsAction.SERVICE_TYPE_UPDATED, object_id=str(consultation.pk))
    assert event.actor == manager
    assert event.payload == {"old": {"default_priority": "normal", "is_active": True},
                             "new": {"default_priority": "low", "is_active": False}}
    with pytest.raises(Conflict) as stale:
        service_type_update(actor=manager, service_type=consultation, expected_version=1, data=data)
    assert stale.value.data == {"current_version": 2}
    data.name = " "
    with pytest.raises(InvalidInput):
        service_type_update(actor=manager, service_type=consultation, expected_version=2, data=data)
    assert ServiceType.objects.get(pk=consultation.pk).name == consultation.name
