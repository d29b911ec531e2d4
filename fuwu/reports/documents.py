"""A report's files: the PDF in Chinese with its charts drawn on the server (WeasyPrint, Noto Sans
CJK; the charts are SVG from `charts.py`) and the Excel workbook (openpyxl), one sheet per section.
Both are made once, when the report is issued, and archived with it."""

import io

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from weasyprint import HTML

from fuwu.core.models import OutboxMessage
from fuwu.quality.indicators import Unit
from fuwu.reports import charts
from fuwu.reports.models import Report
from fuwu.reports.presenters import fmt, present

PDF_LANGUAGE = "zh-hans"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filename(report: Report, extension: str) -> str:
    return f"fuwu-{report.kind}-{report.data['period']['label']}-v{report.version}.{extension}"


def chart_svgs(p: dict) -> dict[str, str]:
    rates = [i for i in p["indicators"] if i.unit == Unit.PERCENT and i.value is not None]
    return {
        "indicators": charts.bars([{"label": i.label, "value": i.value, "display": i.display,
                                    "target": i.target_value,
                                    "tone": i.tone} for i in rates], maximum=100),
        "channels": charts.bars([{"label": r["label"], "value": r["count"], "previous": r["previous"],
                                  "display": f"{r['count']:,}"} for r in p["channels"]]),
        "causes": charts.bars([{"label": r["label"], "value": r["count"], "tone": "danger"} for r in p["causes"]]),
        "breaches": charts.bars([{"label": r["label"], "value": r["count"], "tone": "warning"}
                                 for r in p["breach_kinds"]]),
        "legend_indicators": charts.legend([("success", pgettext("report", "Met")),
                                            ("warning", pgettext("report", "Missed")),
                                            ("danger", _("Past the alert level")), ("target", _("Target"))]),
        "legend_channels": charts.legend([("primary", _("This period")), ("muted", _("Period before"))]),
    }


def report_pdf(report: Report) -> bytes:
    with translation.override(PDF_LANGUAGE):
        p = present(report.data)
        html = render_to_string("reports/report_pdf.html", {
            "report": report, "p": p, "charts": chart_svgs(p), "printed_at": timezone.localtime(report.issued_at)})
    return HTML(string=html).write_pdf()


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows:
        sheet.append(row)
    for n, _h in enumerate(header):
        sheet.column_dimensions[chr(65 + n)].width = 28 if n == 0 else 14


def report_xlsx(report: Report) -> bytes:
    """One sheet per section, in Chinese: the same figures as the PDF, as numbers."""
    with translation.override(PDF_LANGUAGE):
        p = present(report.data)
        book = Workbook()
        book.remove(book.active)
        _sheet(book, _("Summary"), [p["kind_label"], p["title"]], [[s] for s in p["summary"]])
        _sheet(book, _("Volumes"), [_("Channel / service type"), _("Requests"), _("Period before"), _("Change (%)")],
               [[r["label"], r["count"], r["previous"], r["change"]] for r in p["channels"]] + [[]]
               + [[r["label"], r["count"], r["previous"], r["change"]] for r in p["types"]])
        _sheet(book, _("Indicators"), [_("Indicator"), pgettext("report", "Value"), _("Target"), _("Result"),
                                       _("Period before"), _("Numerator"), _("Denominator")],
               [[i.label, i.value, i.target_value, i.status, i.previous_value, i.numerator, i.denominator]
                for i in p["indicators"]])
        _sheet(book, _("SLA breaches"), [_("Clock / group"), _("Breaches")],
               [[r["label"], r["count"]] for r in p["breach_kinds"]] + [[]]
               + [[r["label"], r["count"]] for r in p["breach_groups"]])
        c = p["complaints"]
        _sheet(book, _("Complaints"), [_("Root cause"), _("Complaints found valid")],
               [[r["label"], r["count"]] for r in p["causes"]]
               + [[], [_("Complaints received"), c["received"]], [_("Found valid"), c["valid"]]])
        s, f = p["surveys"], p["followups"] or {}
        _sheet(book, _("Follow-up and surveys"), [_("Figure"), pgettext("report", "Value")], [
            [_("Follow-ups due"), f.get("due")], [_("Customer reached"), f.get("reached")],
            [_("Follow-up completion (%)"), f.get("value")], [_("Survey invitations"), s["invited"]],
            [_("Answered"), s["answered"]], [_("Response rate (%)"), s["response_rate"]],
            [_("Satisfaction rate (%)"), s["satisfaction"]], [_("NPS"), s["nps"]]])
        if p["improvements"]:
            i = p["improvements"]
            _sheet(book, _("Improvement actions"), [_("Figure"), pgettext("report", "Value")], [
                [_("Proposed"), i["opened"]], [_("Verified effective"), i["closed"]], [_("Cancelled"), i["cancelled"]],
                [pgettext("report", "Open"), i["open"]], [pgettext("report", "Overdue"), i["overdue"]]])
        _sheet(book, _("Staff ranking"), [_("Staff member"), _("Resolved"), _("Requests breached"),
                                          _("Satisfaction (%)"), _("Answers")],
               [[r["name"], r["resolved"], r["breaches"], r["satisfaction"], r["rated"]]
                for r in p["staff"]["people"]]
               + [[], [_("Group"), _("Resolved"), _("Requests breached"), _("Satisfaction (%)"), _("Answers")]]
               + [[r["name"], r["resolved"], r["breaches"], r["satisfaction"], r["rated"]]
                  for r in p["staff"]["groups"]])
        if p["merit"] is not None:
            _sheet(book, _("Rewards and penalties"),
                   [_("Outcome"), _("Rule"), _("Confirmed"), _("Staff members"), _("Points each")],
                   [[r["label"], r["rule"], r["count"], r["people"], r["points"]] for r in p["merit"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_mail_attachments(message: OutboxMessage) -> list[tuple[str, bytes, str]]:
    """The issued PDF and workbook on the mail that sends a report (registered in `ReportsConfig.ready`)."""
    if message.object_type != Report._meta.label_lower or not message.email:
        return []
    report = Report.objects.filter(pk=int(message.object_id)).first()
    if report is None:
        return []
    return [(filename(report, "pdf"), bytes(report.pdf), "application/pdf"),
            (filename(report, "xlsx"), bytes(report.xlsx), XLSX_TYPE)]


__all__ = ["filename", "fmt", "report_mail_attachments", "report_pdf", "report_xlsx"]
