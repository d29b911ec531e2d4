"""Reports API (R8.4, R9.6): the issued reports and their files, for REPORT_VIEW."""

import datetime

from django.http import HttpResponse
from ninja import Router, Schema

from fuwu.reports.documents import XLSX_TYPE, filename
from fuwu.reports.selectors import access_report, reports_visible_to

router = Router(tags=["reports"])


class ReportOut(Schema):
    id: int
    kind: str
    period_start: datetime.date
    period_end: datetime.date
    version: int
    scheduled: bool
    issued_at: datetime.datetime
    issued_by: str | None


@router.get("", response=list[ReportOut])
def report_list(request, kind: str = ""):
    qs = reports_visible_to(request.user)
    if kind:
        qs = qs.filter(kind=kind)
    return [ReportOut(id=r.pk, kind=r.kind, period_start=r.period_start, period_end=r.period_end,
                      version=r.version, scheduled=r.scheduled, issued_at=r.issued_at,
                      issued_by=r.issued_by.get_username() if r.issued_by else None)
            for r in qs.order_by("-period_start", "kind", "-version")[:200]]


@router.get("/{report_id}/data")
def report_data(request, report_id: int):
    """The archived figures of one version, as issued."""
    return access_report(request.user, report_id).data


@router.get("/{report_id}/pdf")
def report_pdf(request, report_id: int):
    report = access_report(request.user, report_id, files=True)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(report, "pdf")}"'
    return response


@router.get("/{report_id}/xlsx")
def report_xlsx(request, report_id: int):
    report = access_report(request.user, report_id, files=True)
    response = HttpResponse(bytes(report.xlsx), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(report, "xlsx")}"'
    return response
