"""Excel import and export pages (R2): check an upload, import it on confirmation, download an export.

The uploaded file waits between the check and the confirmation under MEDIA_ROOT/imports/, named
by a random token kept in the session (never in the database), and is removed once imported or
after a day.
"""

import re
import secrets
import time
from pathlib import Path
from tempfile import SpooledTemporaryFile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from fuwu.core.errors import InvalidInput
from fuwu.customers import actions, transfer
from fuwu.customers.views.records import _filters_from
from fuwu.org.policy import Perm, require

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Browsers and operating systems disagree on what to call an .xlsx; the content is checked anyway.
_ACCEPTED_TYPES = {XLSX_TYPE, "application/octet-stream", "application/zip", "application/x-zip-compressed", ""}
SESSION_KEY = "customer_import"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_UPLOADS_SECONDS = 24 * 3600


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        help_text=gettext_lazy("At most 10 MB. The first sheet is read; its first row holds the column names."),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}", "class": "form-control"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB. Split it into several files."))
        if not upload.name.lower().endswith(".xlsx") or (upload.content_type or "") not in _ACCEPTED_TYPES:
            raise forms.ValidationError(_("Upload an Excel workbook saved as .xlsx."))
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":  # an .xlsx is a zip archive
            raise forms.ValidationError(_("Upload an Excel workbook saved as .xlsx."))
        return upload


def _upload_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store(upload) -> str:
    """Save the upload under a fresh random token, clearing out uploads left over from earlier days."""
    folder = _upload_dir()
    cutoff = time.time() - KEEP_UPLOADS_SECONDS
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    with (folder / f"{token}.xlsx").open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    return token


def _stored_path(request) -> tuple[Path, str] | None:
    """The upload this session checked, if the posted token is its token and the file is still there."""
    stored = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    if not _TOKEN.match(token) or not secrets.compare_digest(token, stored.get("token", "")):
        return None
    path = _upload_dir() / f"{token}.xlsx"
    return (path, stored.get("name", "")) if path.is_file() else None


def _forget(request, path: Path) -> None:
    path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)


def _forget_previous(request) -> None:
    token = (request.session.get(SESSION_KEY) or {}).get("token", "")
    if _TOKEN.match(token):
        _forget(request, _upload_dir() / f"{token}.xlsx")


def _run(request, path: Path, file_name: str, *, dry_run: bool) -> actions.ImportReport:
    sheet = transfer.read_workbook(path)
    return actions.customers_import(
        actor=request.user,
        records=sheet.records,
        row_numbers=sheet.row_numbers,
        parse_errors=sheet.errors,
        dry_run=dry_run,
        file_name=file_name,
    )


def _xlsx_response(out, name: str) -> FileResponse:
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"{name}-{timezone.localdate():%Y%m%d}.xlsx",
                        content_type=XLSX_TYPE)


@login_required
@require_http_methods(["GET", "POST"])
def customer_import(request):
    """Upload and check (a dry run listing every bad row), then confirm to import the same file (R2)."""
    require(request.user, Perm.CUSTOMER_IMPORT)
    if request.GET.get("template") == "1":
        out = SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
        transfer.write_workbook(out)
        return _xlsx_response(out, _("customer-import-template"))
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": transfer.COLUMNS, "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
    if request.method == "POST" and request.POST.get("step") == "confirm":
        stored = _stored_path(request)
        if stored is None:
            messages.error(request, _("The checked file is no longer available. Upload it again."))
            return redirect("customers:import")
        path, file_name = stored
        report = _run(request, path, file_name, dry_run=False)
        if report.ok:
            _forget(request, path)
            count = len(report.created_ids)
            messages.success(request, ngettext("%(count)d customer imported.", "%(count)d customers imported.",
                                               count) % {"count": count})
            return redirect("customers:list")
        context.update(report=report, problems=list(transfer.iter_problems(report.problems)), file_name=file_name)
    elif request.method == "POST" and form.is_valid():
        _forget_previous(request)
        upload = form.cleaned_data["file"]
        token = _store(upload)
        path = _upload_dir() / f"{token}.xlsx"
        try:
            report = _run(request, path, upload.name, dry_run=True)
        except InvalidInput as exc:
            path.unlink(missing_ok=True)
            form.add_error("file", exc.message)
        else:
            if report.ok:  # kept for the confirmation; a file with bad rows is fixed and uploaded again
                request.session[SESSION_KEY] = {"token": token, "name": upload.name}
            else:
                path.unlink(missing_ok=True)
            context.update(report=report, problems=list(transfer.iter_problems(report.problems)),
                           file_name=upload.name, token=token if report.ok else "")
    return render(request, "customers/customer_import.html", context)


@login_required
@require_GET
def customer_export(request):
    """The customers the list shows for the same query, as .xlsx, masked for the user (R2, R2.2)."""
    out = SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    try:
        actions.customers_export(actor=request.user, filters=_filters_from(request.GET), out=out)
    except BaseException:
        out.close()
        raise
    return _xlsx_response(out, _("customers"))
