"""Issuing reports and choosing who receives them (R8.4, R9.6)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput
from fuwu.core.locking import bump_version, lock_row
from fuwu.core.outbox import outbox_email, outbox_notify
from fuwu.org.policy import Perm, require
from fuwu.reports.builder import build_report, period_of
from fuwu.reports.codes import ReportAction, ReportError
from fuwu.reports.documents import report_pdf, report_xlsx
from fuwu.reports.models import Distribution, Report, ReportKind
from fuwu.reports.presenters import present


def report_issue(*, actor, kind: str, period_start: datetime.date, scheduled: bool = False) -> Report | None:
    """Build the report of the period containing `period_start`, archive it as the next version with its
    PDF and workbook, and mail it to the kind's recipients. A scheduled issue (actor None) happens
    once per kind and period: a second run returns None and changes nothing."""
    if actor is not None:
        require(actor, Perm.REPORT_ISSUE)
    if kind not in ReportKind.values:
        raise InvalidInput(errors={"kind": [_("Choose a kind of report.")]})
    period = period_of(kind, period_start)
    now = timezone.now()
    if period.since > now:
        raise InvalidInput(code=ReportError.BAD_PERIOD, errors={"period_start": [_("Choose a period that has begun.")]})
    if scheduled and Report.objects.filter(kind=kind, period_start=period.start, scheduled=True).exists():
        return None
    data = build_report(kind, period.start, now=now)  # outside the transaction: reads only
    try:
        with transaction.atomic():
            return _archive(actor, kind, period, data, now, scheduled)
    except IntegrityError:
        if scheduled:  # another worker issued it at the same moment
            return None
        raise


def _archive(actor, kind, period, data, now, scheduled) -> Report:
    Distribution.objects.select_for_update().get_or_create(kind=kind)  # one issuer of a kind at a time
    last = Report.objects.filter(kind=kind, period_start=period.start).aggregate(v=Max("version"))["v"] or 0
    report = Report(kind=kind, period_start=period.start, period_end=period.end, version=last + 1,
                    scheduled=scheduled, data=data, pdf=b"", xlsx=b"", issued_by=actor, issued_at=now)
    report.pdf, report.xlsx = report_pdf(report), report_xlsx(report)
    report.save()
    sent = _distribute(report)
    audit_record(actor=actor, action=ReportAction.ISSUED, obj=report, payload={
        "kind": kind, "period_start": period.start.isoformat(), "version": report.version,
        "scheduled": scheduled, "recipients": sent, "requests": data["volumes"]["total"]})
    return report


def _distribute(report: Report) -> int:
    """Mail the report to the kind's recipients with its PDF and workbook attached (the attachments are
    added when the mail is sent, from the archived files), once per recipient and version."""
    distribution = Distribution.objects.prefetch_related("users").get(kind=report.kind)
    with translation.override(settings.LANGUAGE_CODE):  # the department's language, whoever issues it
        return _send(report, distribution)


def _words(report: Report) -> tuple[str, str]:
    """The mail's subject and summary in the active language."""
    p = present(report.data)
    subject = f"{p['kind_label']} {p['title']}"
    if report.version > 1:
        subject += _(" (version %(n)d)") % {"n": report.version}
    return subject, "\n".join(p["summary"])


def _send(report: Report, distribution: Distribution) -> int:
    url = reverse("reports:detail", args=[report.pk])
    key = f"report:{report.pk}"
    users = [u for u in distribution.users.all() if u.is_active and u.email]
    worded: dict[str, tuple[str, str]] = {}  # once per language, not once per recipient and field

    def words() -> tuple[str, str]:
        language = translation.get_language()
        if language not in worded:
            worded[language] = _words(report)
        return worded[language]

    rows = outbox_notify(recipients=users, subject=lambda: words()[0], body=lambda: words()[1],
                         url=url, obj=report, dedupe_key=key, by_email=True)
    known = {u.email.lower() for u in users}
    subject, body = words()  # other addresses read the site's language
    rows += outbox_email(addresses=[a for a in distribution.addresses if a.lower() not in known], subject=subject,
                         body=body, dedupe_key=key, obj=report)
    return len(rows)


@transaction.atomic
def distribution_save(*, actor, kind: str, users, emails: str, version: int | None) -> Distribution:
    """Set who receives a kind of report: logins and other addresses (one per line)."""
    require(actor, Perm.REPORT_ISSUE)
    if kind not in ReportKind.values:
        raise InvalidInput(errors={"kind": [_("Choose a kind of report.")]})
    addresses = [line.strip() for line in emails.splitlines() if line.strip()]
    try:
        for address in addresses:
            validate_email(address)
    except ValidationError:
        raise InvalidInput(code=ReportError.BAD_ADDRESS,
                           errors={"emails": [_("Enter valid e-mail addresses, one per line.")]}) from None
    row, _created = Distribution.objects.get_or_create(kind=kind)
    row = lock_row(Distribution.objects.all(), row.pk, expected_version=version)
    row.users.set(users)
    row.emails = "\n".join(dict.fromkeys(addresses))
    row.updated_at = timezone.now()
    bump_version(row, "emails", "updated_at")
    audit_record(actor=actor, action=ReportAction.DISTRIBUTION_SAVED, obj=row, payload={
        "kind": kind, "users": sorted(u.pk for u in users), "emails": len(addresses)})
    return row
