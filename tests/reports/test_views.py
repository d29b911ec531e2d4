"""The report pages and API: who sees what (R8.4, R9.6), issuing from the form, the files."""

import pytest
from django.urls import reverse

from fuwu.reports.actions import report_issue
from fuwu.reports.models import Distribution, Report
from tests.factories import make_staff
from tests.quality.fixtures import NOVEMBER

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(month, manager, targets):
    return report_issue(actor=manager, kind="monthly", period_start=NOVEMBER)


@pytest.mark.parametrize(("role", "status"), [
    ("manager", 200), ("quality_supervisor", 200), ("general_manager", 200), ("admin", 200),
    ("agent", 403), ("support", 403), ("technician", 403), ("finance", 403),
])
def test_permission_matrix(client, report, role, status):
    client.force_login(make_staff(role))
    for url in (reverse("reports:list"), reverse("reports:detail", args=[report.pk]),
                reverse("reports:pdf", args=[report.pk]), reverse("reports:xlsx", args=[report.pk]),
                "/api/v1/reports", f"/api/v1/reports/{report.pk}/pdf", f"/api/v1/reports/{report.pk}/xlsx",
                f"/api/v1/reports/{report.pk}/data"):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(("role", "may_issue"), [
    ("manager", True), ("quality_supervisor", True), ("general_manager", False), ("agent", False)])
def test_who_issues_from_the_page(client, month, role, may_issue):
    client.force_login(make_staff(role))
    response = client.post(reverse("reports:issue"), {"kind": "monthly", "period_start": "2026-11-17"})
    if may_issue:
        report = Report.objects.get()
        assert response.status_code == 302 and response.url == reverse("reports:detail", args=[report.pk])
    else:
        assert response.status_code == 403 and not Report.objects.exists()


def test_a_period_not_begun_is_refused_beside_the_field(client, manager):
    client.force_login(manager)
    response = client.post(reverse("reports:issue"), {"kind": "monthly", "period_start": "2027-03-01"})
    assert response.status_code == 400 and not Report.objects.exists()
    html = response.content.decode()
    assert "请选择已经开始的周期。" in html and 'value="2027-03-01"' in html


def test_the_report_page_reads_without_explanation(client, report, manager):
    client.force_login(make_staff("general_manager"))
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    for expected in ("月度服务监督报告 2026年11月", "本月受理 5 件，环比 +400.0%", "解决时限达标率", "未达标",
                     'id="staff-table"', "report-chart-data", reverse("reports:pdf", args=[report.pk])):
        assert expected in html, expected
    client.cookies["django_language"] = "en"
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Monthly service supervision report" in html and "This month 5 requests were received" in html


def test_downloads_and_the_api(client, report):
    client.force_login(make_staff("general_manager"))
    pdf = client.get(reverse("reports:pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == bytes(report.pdf)
    assert 'filename="fuwu-monthly-2026-11-v1.pdf"' in pdf["Content-Disposition"]
    (row,) = client.get("/api/v1/reports").json()
    assert (row["id"], row["kind"], row["version"], row["period_start"]) == (report.pk, "monthly", 1, "2026-11-01")
    assert client.get(f"/api/v1/reports/{report.pk}/data").json()["volumes"]["total"] == 5
    assert client.get("/api/v1/reports/999999/pdf").status_code == 404
    assert client.get(reverse("reports:detail", args=[999999])).status_code == 404


def test_recipients_are_saved_from_the_page_and_a_bad_address_keeps_the_input(client, manager):
    client.force_login(manager)
    gm = make_staff("general_manager", email="gm@fuwu.example")
    response = client.post(reverse("reports:recipients"), {"kind": "monthly", "monthly-kind": "monthly",
                                                            "monthly-users": [str(gm.pk)],
                                                            "monthly-emails": "not an address"})
    assert response.status_code == 400 and "not an address" in response.content.decode()
    response = client.post(reverse("reports:recipients"), {"kind": "monthly", "monthly-kind": "monthly",
                                                            "monthly-users": [str(gm.pk)],
                                                            "monthly-emails": "board@fuwu.example"})
    assert response.status_code == 302
    row = Distribution.objects.get(kind="monthly")
    assert list(row.users.all()) == [gm] and row.addresses == ["board@fuwu.example"]
    assert client.post(reverse("reports:recipients"), {"kind": "monthly"}).status_code in (302, 400)
    client.force_login(make_staff("general_manager"))
    assert client.post(reverse("reports:recipients"), {"kind": "monthly"}).status_code == 403
