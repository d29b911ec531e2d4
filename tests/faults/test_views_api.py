"""Fault pages and API (R7): the permission matrix, reporting through the form (a second submit makes no
second report), steps with errors beside the field, the notice list page, the API's list and detail."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from fuwu.core.models import OutboxMessage
from fuwu.faults.models import FaultReport, NoticeRecipient
from fuwu.org.actions import api_token_issue
from fuwu.org.models import Region
from fuwu.org.roles import Role
from fuwu.standards.models import ServiceType
from tests.factories import make_staff
from tests.faults.conftest import analyse, closed, report, restore

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user, url: str, payload: dict | None = None):
    key = api_token_issue(actor=user, name="t")[1]
    headers = {"authorization": f"Bearer {key}"}
    if payload is None:
        response = Client().get(url, headers=headers)
    else:
        response = Client().post(url, json.dumps(payload), content_type="application/json", headers=headers)
    return response.status_code, response.json()


@pytest.mark.parametrize(("role", "view", "report_", "manage"), [
    (Role.ADMIN, 200, 200, 200), (Role.MANAGER, 200, 200, 200), (Role.AGENT, 200, 200, 403),
    (Role.SUPPORT, 200, 200, 403), (Role.TECHNICIAN, 200, 200, 403), (Role.QUALITY_SUPERVISOR, 200, 403, 403),
    (Role.GENERAL_MANAGER, 200, 403, 403), (Role.FINANCE, 403, 403, 403), (Role.CUSTOMER, 403, 403, 403),
])
def test_permission_matrix_through_pages_and_api(role, view, report_, manage, support, boss, customers):
    fault = closed(support, boss, customers)
    user = make_staff(role)
    client = logged_in(user)
    for url in ("/faults/", f"/faults/{fault.pk}/", f"/faults/{fault.pk}/report.pdf", "/faults/notice-list/"):
        assert client.get(url).status_code == view, url
    assert client.get("/faults/new/").status_code == report_
    assert client.post(f"/faults/{report(support).pk}/analysis/", {}).status_code in (
        {403} if manage == 403 else {400})
    assert client.post("/faults/notice-list/", {"kind": "role", "role": "finance"}).status_code == (
        302 if manage == 200 else 403)
    if role == Role.CUSTOMER:  # a portal login holds no API token
        return
    status, body = api(user, "/api/v1/faults")
    assert status == view and (view != 200 or body[-1]["id"] == fault.pk)
    status, body = api(user, f"/api/v1/faults/{fault.pk}")
    assert status == view and (view != 200 or [e["status"] for e in body["timeline"]] == ["open", "restored",
                                                                                         "closed"])


def _form(**overrides) -> dict:
    region = Region.objects.get(code="east")
    data = {"request_key": "abc123", "title": "华东区域呼叫中心中断", "started_at": "2026-12-02T08:30",
            "severity": "critical", "region": region.pk, "place": "上海呼叫中心", "symptoms": "热线无法接通",
            "handling_plan": "切换到北京备份中心", "customers": "上海申江物业管理有限公司、浦东新区第一人民医院",
            "service_types": [ServiceType.objects.order_by("id").first().pk]}
    return {**data, **overrides}


def test_reporting_through_the_form_once_even_if_sent_twice(support, customers, gm, regions):
    client = logged_in(support)
    page = client.get("/faults/new/")
    assert page.status_code == 200 and 'name="request_key"' in page.content.decode()
    first = client.post("/faults/new/", _form())
    fault = FaultReport.objects.get()
    assert first.status_code == 302 and first["Location"] == f"/faults/{fault.pk}/"
    again = client.post("/faults/new/", _form())
    assert again.status_code == 302 and FaultReport.objects.count() == 1
    assert set(fault.customers.values_list("name", flat=True)) == {"上海申江物业管理有限公司", "浦东新区第一人民医院"}
    assert OutboxMessage.objects.filter(dedupe_key=f"fault.opened:{fault.pk}:{gm.pk}").count() == 1
    detail = client.get(f"/faults/{fault.pk}/").content.decode()
    assert "华东区域呼叫中心中断" in detail and "热线无法接通" in detail and 'class="timeline"' in detail


def test_an_unknown_customer_is_named_beside_the_field_and_the_input_kept(support, customers, regions):
    response = logged_in(support).post("/faults/new/", _form(customers="不存在的公司"))
    html = response.content.decode()
    assert response.status_code == 400 and "没有名为“不存在的公司”的客户。" in html and "上海呼叫中心" in html
    assert not FaultReport.objects.exists()


def test_steps_on_the_page_and_a_stale_version(support, boss):
    fault = report(support)
    client = logged_in(support)
    assert client.post(f"/faults/{fault.pk}/move/", {"move-version": 1, "move-move": "handle",
                                                     "move-note": "厂家已出发"}).status_code == 302
    stale = client.post(f"/faults/{fault.pk}/move/", {"move-version": 1, "move-move": "restore"})
    assert stale.status_code == 409
    assert client.post(f"/faults/{fault.pk}/progress/", {"progress-text": "备件已到"}).status_code == 302
    refused = logged_in(boss).post(f"/faults/{fault.pk}/close/", {"close-version": 2})
    assert refused.status_code == 400 and "服务恢复后才能关闭故障" in refused.content.decode()
    fault.refresh_from_db()
    assert fault.status == "handling" and [e.text for e in fault.updates.order_by("id")][-1] == "备件已到"


def test_the_manager_opens_an_improvement_action_and_closes_from_the_page(support, boss):
    fault = analyse(restore(report(support), support), boss)
    client = logged_in(boss)
    page = client.get(f"/faults/{fault.pk}/").content.decode()
    assert "请为此故障至少建立一项纠正或预防改进措施。" in page and 'id="improve-form"' in page
    due = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    response = client.post(f"/faults/{fault.pk}/improve/", {
        "improve-kind": "preventive", "improve-title": "电源巡检", "improve-goal": "提前发现老化",
        "improve-measures": "季度巡检电源模块", "improve-owner": boss.pk, "improve-due_on": due})
    assert response.status_code == 302
    assert "电源巡检" in client.get(f"/faults/{fault.pk}/").content.decode()
    fault.refresh_from_db()
    assert client.post(f"/faults/{fault.pk}/close/", {"close-version": fault.version}).status_code == 302
    fault.refresh_from_db()
    assert fault.status == "closed"


def test_the_notice_list_page_adds_and_removes(boss):
    client = logged_in(boss)
    assert client.post("/faults/notice-list/", {"kind": "role", "role": "finance"}).status_code == 302
    row = NoticeRecipient.objects.get(role="finance")
    assert "财务" in client.get("/faults/notice-list/").content.decode()
    assert client.post(f"/faults/notice-list/{row.pk}/remove/").status_code == 302
    assert not NoticeRecipient.objects.filter(role="finance").exists()
    assert client.post("/faults/notice-list/", {"kind": "department"}).status_code == 400


def test_the_list_filters_by_status_period_and_region(support, boss, regions):
    first = report(support, region=regions[0])
    report(support, region=regions[1], started_at=timezone.now() - datetime.timedelta(days=60))
    client = logged_in(support)
    html = client.get(f"/faults/?region={regions[0].pk}").content.decode()
    assert first.number in html and "1 份故障报告" in html
    assert "1 份故障报告" in client.get("/faults/?period=2026-10").content.decode()
    assert "0 份故障报告" in client.get("/faults/?status=closed").content.decode()
    assert client.get("/faults/?region=99999999999999999999&period=x..y").status_code == 200


def test_the_api_reports_a_fault_and_adds_progress(support, customers):
    status, body = api(support, "/api/v1/faults", {
        "title": "接口报修", "started_at": "2026-12-02T09:00:00+08:00", "place": "杭州机房", "symptoms": "断网",
        "handling_plan": "重启", "customer_ids": [customers[0].pk], "request_key": "api-1"})
    assert status == 201 and body["customer_ids"] == [customers[0].pk] and body["status"] == "open"
    status, entry = api(support, f"/api/v1/faults/{body['id']}/progress", {"text": "已重启"})
    assert status == 201 and entry["text"] == "已重启"
    status, error = api(support, "/api/v1/faults", {
        "title": "x", "started_at": "2026-12-02T09:00:00+08:00", "place": "x", "symptoms": "x", "handling_plan": "x",
        "customer_ids": [987654321]})
    assert status == 400 and "customer_ids" in error["errors"]
