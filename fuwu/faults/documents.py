"""The fault analysis report (故障分析报告, R7.2) as a PDF in Chinese: the facts, the analysis, the
measures and the timeline, rendered by WeasyPrint from a template as the work order is
(`fuwu/fieldservice/documents.py`; fonts: Noto Sans CJK)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from fuwu.core.models import OutboxMessage
from fuwu.faults import measures
from fuwu.faults.models import FaultReport
from fuwu.faults.selectors import timeline_of

FAULT_LABEL = FaultReport._meta.label_lower
# The mails that carry the report: to the affected customers, and the closing notice to the list.
REPORT_MAIL_KEYS = ("fault.report:", "fault.closed:")


def fault_report_pdf(fault: FaultReport, *, language: str | None = None) -> bytes:
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string("faults/report_pdf.html", {
            "fault": fault,
            "customers": list(fault.customers.order_by("name")),
            "services": list(fault.service_types.order_by("sort_order", "name")),
            "timeline": timeline_of(fault),
            "actions": measures.linked_actions(fault.closed_by, fault),  # as the manager who closed it saw them
            "printed_at": timezone.localtime(),
        })
    return HTML(string=html).write_pdf()


def report_filename(fault: FaultReport) -> str:
    return f"{fault.number}.pdf"


def report_mail_attachments(message: OutboxMessage) -> list[tuple[str, bytes, str]]:
    """The report attached to a mail about a closed fault (registered with the outbox in `FaultsConfig.ready`)."""
    if message.object_type != FAULT_LABEL or not (message.dedupe_key or "").startswith(REPORT_MAIL_KEYS):
        return []
    fault = FaultReport.objects.filter(pk=int(message.object_id), status="closed").first()
    if fault is None:
        return []
    return [(report_filename(fault), fault_report_pdf(fault), "application/pdf")]
