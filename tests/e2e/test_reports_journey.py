"""Journey (issue 14, R9.6): a manager opens the reports page from the Quality menu, issues November's
service supervision report, reads it and downloads its PDF."""

import pytest

from fuwu.org.roles import Role
from fuwu.reports.models import Report
from tests.e2e.pages import log_in
from tests.factories import make_staff
from tests.quality.fixtures import november

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_manager_issues_reads_and_downloads_the_monthly_report(browser, live_server, shot, tmp_path):
    month = november(None)
    manager = make_staff(Role.MANAGER, full_name="孙经理")
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                               accept_downloads=True).new_page()
    log_in(page, live_server.url, manager.username)
    page.goto(f"{live_server.url}/reports/")
    assert page.locator("h1").inner_text().strip() == "报告"
    page.select_option("#id_kind", "monthly")
    page.fill("#id_period_start", "2026-11-17")
    page.click("#issue-form button[type=submit]")
    page.wait_for_url(lambda url: "/reports/" in url and url.rstrip("/").split("/")[-1].isdigit())
    report = Report.objects.get()
    summary = page.locator("#report-summary").inner_text()
    assert "本月受理 5 件" in summary
    assert str(month["groups"][0].name) in page.locator("#breach-group-table").inner_text()
    page.wait_for_selector('[data-chart="indicators"] canvas')  # drawn by ECharts
    shot(page, "reports-monthly")
    with page.expect_download() as caught:
        page.click("#download-pdf")
    path = tmp_path / caught.value.suggested_filename
    caught.value.save_as(path)
    assert caught.value.suggested_filename == "fuwu-monthly-2026-11-v1.pdf"
    assert path.read_bytes() == bytes(report.pdf)
