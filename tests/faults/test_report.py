"""R7.2: the fault analysis report, a PDF in Chinese, for those who see faults, and mailed with the
PDF to each contact of each affected customer once, over real SMTP."""

import email.policy
import shutil
import subprocess

import pytest

from fuwu.core.errors import InvalidInput
from fuwu.core.models import OutboxMessage
from fuwu.core.outbox import outbox_deliver_pending
from fuwu.faults import actions
from fuwu.faults.documents import fault_report_pdf
from fuwu.org.roles import Role
from tests.factories import make_staff
from tests.faults.conftest import closed, report
from tests.smtp import Mailbox, smtp_server

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "fault.pdf"
    path.write_bytes(pdf)
    return subprocess.run([shutil.which("pdftotext"), "-layout", str(path), "-"],  # noqa: S603
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (make test installs it)")
def test_the_report_carries_the_analysis_and_the_timeline_in_chinese(support, boss, customers, tmp_path):
    fault = closed(support, boss, customers)
    actions_text = pdf_text(fault_report_pdf(fault), tmp_path)
    for expected in ("故障分析报告", fault.number, "浦东机房核心交换机故障", "影响", "根本原因", "纠正措施", "预防措施",
                     "交换机电源模块老化，未纳入巡检。", "电源模块纳入季度巡检。", "已切换备用设备", "服务已恢复",
                     "上海申江物业管理有限公司", "浦东新区张江机房", "王敏"):
        assert expected in actions_text, expected


def test_the_pdf_page_is_for_those_who_see_faults_and_only_once_closed(client, support, boss, customers):
    fault = closed(support, boss, customers)
    client.force_login(make_staff(Role.QUALITY_SUPERVISOR))
    response = client.get(f"/faults/{fault.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(make_staff(Role.FINANCE))
    assert client.get(f"/faults/{fault.pk}/report.pdf").status_code == 403
    client.force_login(support)
    assert client.get(f"/faults/{report(support).pk}/report.pdf").status_code == 404


def _smtp(settings, port):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5}}}


def test_each_contact_of_each_affected_customer_gets_the_report_once(settings, support, boss, customers):
    fault = closed(support, boss, customers)
    # The close is saved again by a second click: no second mail.
    with pytest.raises(InvalidInput):
        actions.fault_close(actor=boss, fault=fault, expected_version=None)
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        _smtp(settings, port)
        outbox_deliver_pending()
        outbox_deliver_pending()
    to_customers = {to[0]: message for to, message in mailbox.messages if not to[0].endswith("@fuwu.example")}
    assert sorted(to_customers) == ["it@hospital.example", "ops@shenjiang.example", "zhou@shenjiang.example"]
    assert len([1 for to, _m in mailbox.messages if not to[0].endswith("@fuwu.example")]) == 3
    message = to_customers["zhou@shenjiang.example"]
    assert "故障分析报告" in message["Subject"] and fault.number in message["Subject"]
    assert "尊敬的客户" in message.get_body(preferencelist=("plain",)).get_content()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf" and attachment.get_filename() == f"{fault.number}.pdf"
    assert attachment.get_content().startswith(b"%PDF")
    # the business department (the notice list) gets the closing notice with the report too
    manager_mail = [m for to, m in mailbox.messages if to == ["liu@fuwu.example"]]  # opened, restored, closed
    assert [len(list(m.iter_attachments())) for m in manager_mail] == [0, 0, 1]
    assert OutboxMessage.objects.filter(dedupe_key__startswith=f"fault.report:{fault.pk}:").count() == 3
    assert email.policy  # the messages were parsed with the default policy (tests/smtp.py)
