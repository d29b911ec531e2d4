"""Complaint figures (R6.5), each from one grouped query, each leading to the complaints behind it.

- **Root causes** (Pareto): complaints found valid (经查属实), by root cause, received in the period;
  by month, the same counts per month of reception.
- **Complaint resolution success rate (投诉处理成功率)**: of the complaints closed in a period, the
  share closed with the customer's agreement to the solution. A complaint closed after the customer
  refused, or after documented attempts to reach a customer who never answered, counts as closed
  but not as a success.
- **Time to resolve**: from the request's reception to the complaint's closing, in days (mean), for
  the complaints closed in the period.
- **By department**: the same for the responsible department the investigation named.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from fuwu.complaints.models import BUILTIN_ROOT_CAUSES, ComplaintStatus, RootCause
from fuwu.complaints.selectors import complaints_visible_to, next_month

_RESOLVE = ExpressionWrapper(F("closed_at") - F("received_at"), output_field=DurationField())


@dataclass(frozen=True)
class Period:
    first: datetime.datetime  # the first instant of the first month
    end: datetime.datetime  # the first instant after the last month
    months: list[str]  # "2026-01", ...

    @property
    def key(self) -> str:
        return f"{self.months[0]}..{self.months[-1]}"


def last_months(count: int, today: datetime.date | None = None) -> Period:
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    end = next_month(datetime.datetime(today.year, today.month, 1, tzinfo=tz))
    first = end
    months: list[str] = []
    for _ in range(count):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.insert(0, f"{first:%Y-%m}")
    return Period(first=first, end=end, months=months)


def _month(value) -> str:
    return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%Y-%m}"


@dataclass
class Figures:
    period: Period
    pareto: list[dict] = field(default_factory=list)  # code, label, count, cumulative share
    causes_by_month: dict[str, dict[str, int]] = field(default_factory=dict)  # code -> month -> count
    cause_labels: dict[str, str] = field(default_factory=dict)
    by_month: list[dict] = field(default_factory=list)  # month, closed, agreed, rate, days
    by_department: list[dict] = field(default_factory=list)  # id, name, closed, agreed, rate, days
    closed: int = 0
    agreed: int = 0
    days: float | None = None

    @property
    def rate(self) -> float | None:
        return self.agreed / self.closed if self.closed else None


def _days(duration) -> float | None:
    if duration is None:
        return None
    if isinstance(duration, datetime.timedelta):
        return round(duration.total_seconds() / 86400, 1)
    return round(float(duration) / 86_400_000_000, 1)  # microseconds where the database gives a number


def complaint_figures(viewer, period: Period) -> Figures:
    """The figures for the months of `period`, over the complaints the viewer may see."""
    qs = complaints_visible_to(viewer).order_by()
    figures = Figures(period=period)
    labels = {c.code: str(c.label) for c in RootCause.objects.all()}
    figures.cause_labels = labels
    valid = qs.filter(valid=True, root_cause__isnull=False, received_at__gte=period.first, received_at__lt=period.end)
    monthly = valid.annotate(month=TruncMonth("received_at", tzinfo=timezone.get_current_timezone())).values(
        "month", "root_cause__code").annotate(n=Count("id"))
    totals: dict[str, int] = {}
    for row in monthly:
        code = row["root_cause__code"]
        month = _month(row["month"])
        figures.causes_by_month.setdefault(code, {})[month] = row["n"]
        totals[code] = totals.get(code, 0) + row["n"]
    whole = sum(totals.values())
    running = 0
    for code, count in sorted(totals.items(), key=lambda item: (-item[1], item[0])):
        running += count
        figures.pareto.append({"code": code, "label": labels.get(code, str(BUILTIN_ROOT_CAUSES.get(code, code))),
                               "count": count, "cumulative": round(100 * running / whole, 1)})
    closed = qs.filter(status=ComplaintStatus.CLOSED, closed_at__gte=period.first, closed_at__lt=period.end)
    measures = {"closed": Count("id"), "agreed": Count("id", filter=Q(customer_agreed=True)), "time": Avg(_RESOLVE)}
    for row in closed.annotate(month=TruncMonth("closed_at", tzinfo=timezone.get_current_timezone())).values(
            "month").annotate(**measures).order_by("month"):
        figures.by_month.append(_outcome({"month": _month(row["month"])}, row))
    for row in closed.values("responsible_department_id", "responsible_department__name").annotate(
            **measures).order_by("-closed", "responsible_department__name"):
        figures.by_department.append(_outcome({"id": row["responsible_department_id"],
                                               "name": row["responsible_department__name"]}, row))
    overall = closed.aggregate(**measures)
    figures.closed, figures.agreed, figures.days = overall["closed"], overall["agreed"], _days(overall["time"])
    return figures


def _outcome(head: dict, row: dict) -> dict:
    rate = round(100 * row["agreed"] / row["closed"], 1) if row["closed"] else None
    return {**head, "closed": row["closed"], "agreed": row["agreed"], "rate": rate, "days": _days(row["time"])}


def success_rate(complaints) -> tuple[int, int]:
    """(closed with agreement, closed) of a queryset: the definition in one place, for tests and pages."""
    closed = complaints.filter(status=ComplaintStatus.CLOSED)
    return closed.filter(customer_agreed=True).count(), closed.count()


__all__ = ["Figures", "Period", "complaint_figures", "last_months", "success_rate"]
