"""Issuing a report: versions archived unchanged, the audit event, the PDF's Chinese text layer, the
workbook, the mail with both files once per recipient (over a real SMTP server), the schedule."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
import time_machine
from openpyxl import load_workbook

from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.core.outbox import outbox_deliver_pending
from fuwu.org.roles import Role
from fuwu.reports import tasks
from fuwu.reports.actions import distribution_save, report_issue
from fuwu.reports.codes import ReportAction
from fuwu.reports.models import Report
from fuwu.tickets.models import Ticket
from tests.factories import make_staff
from tests.quality.fixtures import NOVEMBER
from tests.smtp import Mailbox, smtp_server
from tests.tickets.sla_setup import local


def test_issuing_archives_a_version_with_its_files_and_an_audit_event(month, manager):
    report = report_issue(actor=manager, kind="monthly", period_start=dt.date(2026, 11, 17))
    assert (report.version, report.period_start, report.period_end) == (1, NOVEMBER, dt.date(2026, 12, 1))
    assert bytes(report.pdf).startswith(b"%PDF") and bytes(report.xlsx).startswith(b"PK")
    assert report.data["volumes"]["total"] == 5 and report.issued_by == manager
    event = AuditEvent.objects.get(action=ReportAction.ISSUED)
    assert event.payload["version"] == 1 and event.payload["requests"] == 5 and event.actor_id == manager.pk


def test_an_issued_version_never_changes_and_reissuing_makes_the_next(month, manager):
    first = report_issue(actor=manager, kind="monthly", period_start=NOVEMBER)
    pdf, data = bytes(first.pdf), first.data
    # the requests change afterwards: a late registration in November
    Ticket.objects.filter(pk=month["tickets"][6].pk).update(received_at=local(2026, 11, 28, 9))
    second = report_issue(actor=manager, kind="monthly", period_start=NOVEMBER)
    assert second.version == 2 and second.data["volumes"]["total"] == 6
    first = Report.objects.get(pk=first.pk)
    assert first.data == data and first.data["volumes"]["total"] == 5 and bytes(first.pdf) == pdf
    with pytest.raises(TypeError):
        first.save()
    with pytest.raises(TypeError):
        Report.objects.filter(pk=first.pk).update(data={})
    with pytest.raises(TypeError):
        Report.objects.filter(pk=first.pk).delete()
    with pytest.raises(TypeError):
        first.delete()


def test_who_may_issue_and_which_periods(month):
    with pytest.raises(PermissionDenied):
        report_issue(actor=make_staff(Role.GENERAL_MANAGER), kind="monthly", period_start=NOVEMBER)
    with pytest.raises(PermissionDenied):
        report_issue(actor=make_staff(Role.AGENT), kind="weekly", period_start=NOVEMBER)
    supervisor = make_staff(Role.QUALITY_SUPERVISOR)
    with pytest.raises(InvalidInput):
        report_issue(actor=supervisor, kind="monthly", period_start=dt.date(2027, 1, 5))  # not begun
    assert report_issue(actor=supervisor, kind="weekly", period_start=dt.date(2026, 12, 2)).version == 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (make test installs it)")
def test_the_pdf_carries_the_chinese_text_and_the_charts(month, manager, tmp_path):
    report = report_issue(actor=manager, kind="monthly", period_start=NOVEMBER)
    path = tmp_path / "report.pdf"
    path.write_bytes(bytes(report.pdf))
    text = subprocess.run([shutil.which("pdftotext"), "-layout", str(path), "-"],  # noqa: S603
                          capture_output=True, text=True, check=True).stdout
    for expected in ("月度服务监督报告", "2026年11月", "概要", "本月受理 5 件", "一、指标与目标", "解决时限达标率",
                     "二、受理情况", "热线电话", "三、超时情况", "四、投诉与根本原因", "五、回访与满意度",
                     "七、人员排名", str(month["groups"][0].name)):
        assert expected in text, expected


def test_the_workbook_has_a_sheet_per_section(month, manager):
    report = report_issue(actor=manager, kind="monthly", period_start=NOVEMBER)
    book = load_workbook(io.BytesIO(bytes(report.xlsx)))
    assert book.sheetnames == ["概要", "受理量", "指标", "超时", "投诉", "回访与满意度", "改进措施", "人员排名", "奖惩"]
    volumes = [[c.value for c in row] for row in book["受理量"].iter_rows()]
    assert volumes[0] == ["渠道 / 服务类型", "工单", "上期", "环比（%）"] and volumes[1] == ["热线电话", 5, 1, 400.0]
    indicators = {row[0].value: row for row in book["指标"].iter_rows(min_row=2)}
    assert indicators["首次响应达标率"][1].value == 50.0
    staff = [[c.value for c in row] for row in book["人员排名"].iter_rows(min_row=2, max_row=2)]
    assert staff[0][1:3] == [4, 1]


def test_the_report_is_mailed_once_per_recipient_with_both_files(month, manager, settings):
    gm = make_staff(Role.GENERAL_MANAGER, email="gm@fuwu.example")
    distribution_save(actor=manager, kind="monthly", users=[gm, manager], version=None,
                      emails="board@fuwu.example\nGM@fuwu.example\nboard@fuwu.example")
    report = report_issue(actor=manager, kind="monthly", period_start=NOVEMBER)
    rows = OutboxMessage.objects.filter(object_id=str(report.pk), object_type="reports.report")
    assert sorted(r.email for r in rows) == ["board@fuwu.example", "gm@fuwu.example", "manager@fuwu.example"]
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5}}}
        outbox_deliver_pending()
        assert outbox_deliver_pending() == 0  # nothing twice
    assert sorted(to[0] for to, _m in mailbox.messages) == ["board@fuwu.example", "gm@fuwu.example",
                                                            "manager@fuwu.example"]
    for _to, message in mailbox.messages:
        assert message["Subject"] == "月度服务监督报告 2026年11月"
        files = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
        assert files[f"fuwu-monthly-2026-11-v{report.version}.pdf"] == bytes(report.pdf)
        assert files[f"fuwu-monthly-2026-11-v{report.version}.xlsx"] == bytes(report.xlsx)
        assert "本月受理 5 件" in message.get_body(("plain",)).get_content()


def test_distribution_refuses_a_bad_address(manager):
    with pytest.raises(InvalidInput) as caught:
        distribution_save(actor=manager, kind="weekly", users=[], emails="not an address", version=None)
    assert "emails" in caught.value.errors


def test_the_schedule_issues_each_period_once(month):
    with time_machine.travel(local(2026, 12, 4, 16), tick=False):  # Friday afternoon
        assert tasks.reports_weekly.call_local() is True
        assert tasks.reports_weekly.call_local() is False
    with time_machine.travel(local(2026, 12, 1, 8, 30), tick=False):
        assert tasks.reports_monthly.call_local() is True
        assert tasks.reports_monthly.call_local() is False
    weekly = Report.objects.get(kind="weekly")
    monthly = Report.objects.get(kind="monthly")
    assert (weekly.period_start, weekly.scheduled, weekly.issued_by) == (dt.date(2026, 11, 30), True, None)
    assert (monthly.period_start, monthly.scheduled) == (NOVEMBER, True)
    assert weekly.data["period"]["complete"] is False
    # a manual issue of a scheduled period is a new version; the schedule still issues it once
    manual = report_issue(actor=make_staff(Role.MANAGER), kind="monthly", period_start=NOVEMBER)
    assert (manual.version, manual.scheduled) == (2, False)
    with time_machine.travel(local(2026, 12, 1, 9), tick=False):
        assert tasks.reports_monthly.call_local() is False
    with time_machine.travel(local(2026, 12, 3, 16), tick=False):  # not a Friday
        assert tasks.reports_weekly.call_local() is False
