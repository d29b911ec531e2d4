"""What the report pages read: the archive of issued reports, for those who may see it."""

from django.db.models import QuerySet

from fuwu.core.errors import NotFound
from fuwu.org.policy import Perm, require
from fuwu.reports.models import Distribution, Report, ReportKind

LIST_FIELDS = ("id", "kind", "period_start", "period_end", "version", "scheduled", "issued_at", "issued_by",
               "issued_by__username", "issued_by__first_name", "issued_by__last_name")


def reports_visible_to(viewer) -> QuerySet[Report]:
    """Issued reports without their files: managers, the general manager and quality supervision."""
    require(viewer, Perm.REPORT_VIEW)
    return Report.objects.select_related("issued_by").defer("pdf", "xlsx", "data")


def access_report(viewer, report_id, *, files: bool = False) -> Report:
    require(viewer, Perm.REPORT_VIEW)
    qs = Report.objects.select_related("issued_by")
    if not files:
        qs = qs.defer("pdf", "xlsx")
    try:
        return qs.get(pk=report_id)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def report_archive(viewer, *, kind: str = "") -> list[dict]:
    """Periods with their versions, newest first: one query."""
    qs = reports_visible_to(viewer)
    if kind in ReportKind.values:
        qs = qs.filter(kind=kind)
    periods: dict[tuple, dict] = {}
    for r in qs.order_by("-period_start", "kind", "-version")[:500]:
        periods.setdefault((r.kind, r.period_start), {"kind": r.kind, "kind_label": ReportKind(r.kind).label,
                                                      "start": r.period_start, "end": r.last_day,
                                                      "versions": []})["versions"].append(r)
    return list(periods.values())


def distributions(viewer) -> dict[str, dict]:
    """Who receives each kind: {kind, version, users, emails, addresses}; two queries."""
    require(viewer, Perm.REPORT_VIEW)
    found = {d.kind: d for d in Distribution.objects.prefetch_related("users")}
    result = {}
    for kind in ReportKind.values:
        d = found.get(kind)
        result[kind] = {"kind": kind, "version": d.version if d else None, "users": list(d.users.all()) if d else [],
                        "emails": d.emails if d else "", "addresses": d.addresses if d else []}
    return result
