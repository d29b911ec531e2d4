"""The standards admin writes through the actions (docs/architecture.md, Actions; R10.4, R3.2): their
events are recorded, their errors (InvalidInput, Conflict) are shown on the form, never a 500."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from fuwu.core.models import AuditEvent
from fuwu.org.actions import staff_grant_superuser
from fuwu.standards.codes import StandardsAction
from fuwu.standards.models import ServiceCalendar, ServiceType, SlaPolicy
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = make_staff("admin")
    staff_grant_superuser(actor=None, user=admin)
    client.force_login(admin)
    client.admin = admin
    return client


def policy_form(policy: SlaPolicy, **changes) -> dict:
    targets = list(policy.targets.order_by("pk"))
    form = {"name": policy.name, "service_type": policy.service_type_id or "", "priority": policy.priority,
            "customer_class": policy.customer_class, "region": policy.region_id or "", "channel": policy.channel,
            "is_active": "on", "description": policy.description, "version": policy.version,
            "targets-TOTAL_FORMS": len(targets), "targets-INITIAL_FORMS": len(targets)}
    for i, t in enumerate(targets):
        form |= {f"targets-{i}-id": t.pk, f"targets-{i}-policy": policy.pk, f"targets-{i}-kind": t.kind,
                 f"targets-{i}-region": t.region_id or "", f"targets-{i}-minutes": t.minutes or "",
                 f"targets-{i}-calendar": t.calendar_id, f"targets-{i}-warn_percent": t.warn_percent}
        if t.end_of_business_day:
            form[f"targets-{i}-end_of_business_day"] = "on"
    return form | changes


def test_editing_a_policy_calls_the_update_action(admin_client):
    policy = SlaPolicy.objects.get(priority="urgent", service_type=None)
    url = reverse("admin:standards_slapolicy_change", args=[policy.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, policy_form(policy, **{"name": "紧急事项（修订）", "targets-0-minutes": 20}))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.name, policy.version, policy.targets.order_by("pk").first().minutes) == ("紧急事项（修订）", 2, 20)
    event = AuditEvent.objects.get(action=StandardsAction.SLA_POLICY_UPDATED, object_id=str(policy.pk))
    assert event.actor == admin_client.admin and event.payload["new"] == {"name": "紧急事项（修订）"}
    assert not AuditEvent.objects.filter(action__startswith="config.").exists()


def test_the_actions_errors_are_form_errors(admin_client):
    policy = SlaPolicy.objects.get(priority="urgent", service_type=None)
    name = policy.name
    url = reverse("admin:standards_slapolicy_change", args=[policy.pk])
    stale = admin_client.post(url, policy_form(policy, name="过时", version=policy.version + 1))
    assert stale.status_code == 200 and "errornote" in stale.content.decode()
    high = SlaPolicy.objects.get(priority="high", service_type=None)
    twin = admin_client.post(url, policy_form(policy, priority=high.priority))  # the same criteria as another
    with translation.override("zh-hans"):
        message = gettext("An active policy with exactly these criteria exists; change that one.")
    assert twin.status_code == 200 and message in twin.content.decode()
    policy.refresh_from_db()
    assert (policy.name, policy.priority, policy.version) == (name, "urgent", 1)
    assert not AuditEvent.objects.filter(action=StandardsAction.SLA_POLICY_UPDATED).exists()


def test_retiring_policies_from_the_list(admin_client):
    policy = SlaPolicy.objects.get(priority="urgent", service_type=None)
    response = admin_client.post(reverse("admin:standards_slapolicy_changelist"),
                                 {"action": "retire", "_selected_action": [policy.pk]})
    assert response.status_code == 302 and not SlaPolicy.objects.get(pk=policy.pk).is_active
    assert AuditEvent.objects.get(action=StandardsAction.SLA_POLICY_RETIRED).actor == admin_client.admin


def test_service_types_and_calendars_are_added_through_the_actions(admin_client):
    added = admin_client.post(reverse("admin:standards_servicetype_add"), {
        "code": "install", "name": "安装", "name_en": "", "kind": "repair", "required_fields": '["site_address"]',
        "default_group": "", "default_priority": "normal", "is_active": "on", "sort_order": 3})
    assert added.status_code == 302
    service_type = ServiceType.objects.get(code="install")
    assert AuditEvent.objects.get(action=StandardsAction.SERVICE_TYPE_CREATED).object_id == str(service_type.pk)
    change = reverse("admin:standards_servicetype_change", args=[service_type.pk])
    form = {"name": "上门安装", "name_en": "", "kind": "repair", "required_fields": '["site_address"]',
            "default_group": "", "default_priority": "normal", "is_active": "on", "sort_order": 3, "version": 1}
    assert admin_client.post(change, form).status_code == 302
    stale = admin_client.post(change, {**form, "name": "又改"})  # version 1 was seen, 2 is current
    assert stale.status_code == 200 and ServiceType.objects.get(pk=service_type.pk).name == "上门安装"
    calendar = admin_client.post(reverse("admin:standards_servicecalendar_add"), {
        "code": "night", "name": "夜间", "name_en": "", "parent": ServiceCalendar.objects.get(code="office").pk,
        "timezone": "Asia/Shanghai", "observes_statutory_holidays": "on", "description": "",
        "hours-TOTAL_FORMS": 0, "hours-INITIAL_FORMS": 0})
    assert calendar.status_code == 302 and not ServiceCalendar.objects.get(code="night").is_active
    assert AuditEvent.objects.filter(action=StandardsAction.CALENDAR_CREATED).count() == 1
