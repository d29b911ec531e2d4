"""The report pages (R8.4, R9.6): the archive with the form to issue, one page per version, the files.
Views parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fuwu.core.errors import FuwuError
from fuwu.core.forms import add_action_errors
from fuwu.org.policy import Perm, can, require
from fuwu.reports import actions
from fuwu.reports.documents import XLSX_TYPE, filename
from fuwu.reports.forms import DistributionForm, IssueForm
from fuwu.reports.models import Report, ReportKind
from fuwu.reports.presenters import present
from fuwu.reports.selectors import access_report, distributions, report_archive


def _archive_page(request, form: IssueForm | None = None, recipients: dict | None = None, status: int = 200):
    may_issue = can(request.user, Perm.REPORT_ISSUE)
    kind = request.GET.get("kind", "")
    lists = distributions(request.user)
    recipient_forms = recipients or {
        k: DistributionForm(initial=d, prefix=k)
        for k, d in lists.items()}
    return render(request, "reports/list.html", {
        "periods": report_archive(request.user, kind=kind), "kind": kind, "kinds": ReportKind.choices,
        "may_issue": may_issue, "form": (form or IssueForm()) if may_issue else None,
        "recipients": [(ReportKind(k).label, lists[k], recipient_forms[k]) for k in ReportKind.values],
    }, status=status)


@login_required
def archive_page(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.REPORT_VIEW)
    return _archive_page(request)


@login_required
@require_POST
def issue(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.REPORT_ISSUE)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            report = actions.report_issue(actor=request.user, **form.cleaned_data)
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Report issued (version %(n)d).") % {"n": report.version})
            return redirect("reports:detail", report.pk)
    return _archive_page(request, form, status=400)


@login_required
@require_POST
def recipients_save(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.REPORT_ISSUE)
    kind = request.POST.get("kind", "")
    if kind not in ReportKind.values:
        return redirect("reports:list")
    form = DistributionForm(request.POST, prefix=kind)
    if form.is_valid():
        try:
            actions.distribution_save(actor=request.user, kind=kind, users=form.cleaned_data["users"],
                                      emails=form.cleaned_data["emails"], version=form.cleaned_data["version"])
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Recipients saved."))
            return redirect("reports:list")
    lists = distributions(request.user)
    forms = {k: DistributionForm(initial=d, prefix=k)
             for k, d in lists.items()}
    forms[kind] = form
    return _archive_page(request, recipients=forms, status=400)


def chart_data(p: dict) -> dict:
    """What the page's ECharts draw (static/reports/report.js)."""
    rates = [i for i in p["indicators"] if i.unit == "percent" and i.value is not None]
    return {
        "labels": {"this": _("This period"), "before": _("Period before"), "target": _("Target")},
        "channels": {"names": [r["label"] for r in p["channels"]], "now": [r["count"] for r in p["channels"]],
                     "before": [r["previous"] for r in p["channels"]]},
        "indicators": {"names": [i.label for i in rates], "values": [i.value for i in rates],
                       "targets": [i.target_value for i in rates],
                       "tones": [i.tone for i in rates]},
        "causes": {"names": [r["label"] for r in p["causes"]], "values": [r["count"] for r in p["causes"]]},
        "breaches": {"names": [r["label"] for r in p["breach_kinds"]],
                     "values": [r["count"] for r in p["breach_kinds"]]},
    }


@login_required
def detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access_report(request.user, report_id)
    p = present(report.data)
    others = list(Report.objects.filter(kind=report.kind, period_start=report.period_start).order_by(
        "-version").values("id", "version", "issued_at"))
    chart = chart_data(p)
    rows = {name: len(chart[name]["names"]) for name in ("indicators", "channels", "causes", "breaches")}
    heights = {name: 50 + (34 if name == "channels" else 26) * n for name, n in rows.items()}
    return render(request, "reports/detail.html", {"report": report, "p": p, "chart": chart, "others": others,
                                                   "heights": heights})


def _file(report: Report, extension: str, content_type: str) -> HttpResponse:
    content = bytes(report.pdf if extension == "pdf" else report.xlsx)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(report, extension)}"'
    return response


@login_required
def download_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    return _file(access_report(request.user, report_id, files=True), "pdf", "application/pdf")


@login_required
def download_xlsx(request: HttpRequest, report_id: int) -> HttpResponse:
    return _file(access_report(request.user, report_id, files=True), "xlsx", XLSX_TYPE)
