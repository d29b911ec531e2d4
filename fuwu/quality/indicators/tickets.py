"""Indicators of service requests, their clocks and hand-overs: one grouped query each."""

import datetime
import functools
from urllib.parse import urlencode

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from fuwu.quality.indicators.base import TOTAL_KEY, Dimension, Period, Value
from fuwu.standards.models import ServiceKind
from fuwu.tickets.models import OPEN_STATUS_LIST, Handover, SlaClock, Status, Ticket, Tier

# The field of a request that each dimension groups by.
TICKET_DIMENSIONS = {
    Dimension.GROUP: "group_id",
    Dimension.STAFF: "owner_id",
    Dimension.REGION: "region_id",
    Dimension.SERVICE_TYPE: "service_type_id",
    Dimension.CUSTOMER_CLASS: "customer__customer_class",
    Dimension.CHANNEL: "channel",
}
ALL_DIMENSIONS = (Dimension.TOTAL, *TICKET_DIMENSIONS)
# The ticket list's query parameter for each dimension, so a ranking row drills to its requests.
DRILL_PARAMS = {Dimension.GROUP: "group", Dimension.STAFF: "owner", Dimension.REGION: "region",
                Dimension.SERVICE_TYPE: "type", Dimension.CUSTOMER_CLASS: "customer_class",
                Dimension.CHANNEL: "channel"}


def grouped(qs: QuerySet, dimension: str, prefix: str = "", **aggregates) -> dict[str, dict]:
    """{key: {name: sum}} for each key of the dimension and the total under TOTAL_KEY: one query."""
    qs = qs.order_by()
    if dimension == Dimension.TOTAL or dimension not in TICKET_DIMENSIONS:
        return {TOTAL_KEY: qs.aggregate(**aggregates)}
    field = prefix + TICKET_DIMENSIONS[dimension]
    rows: dict[str, dict] = {}
    total: dict = dict.fromkeys(aggregates)
    for row in qs.values(field).annotate(**aggregates):
        key = row.pop(field)
        for name in aggregates:
            if row[name] is not None:
                total[name] = row[name] if total[name] is None else total[name] + row[name]
        if key is not None:  # requests without a group, owner or region count in the total only
            rows[str(key)] = row
    return {TOTAL_KEY: total, **rows}


def microseconds(duration) -> int:
    """A summed duration in whole microseconds: a timedelta on PostgreSQL, a number on SQLite."""
    if duration is None:
        return 0
    if isinstance(duration, datetime.timedelta):
        return duration // datetime.timedelta(microseconds=1)
    return round(duration)


def hours(duration) -> float:
    """A summed duration in hours, from the exact microseconds (so sums of parts give the same float)."""
    return microseconds(duration) / 3_600_000_000


def _in(field: str, since, until) -> Q:
    return Q(**{f"{field}__gte": since, f"{field}__lt": until})


def _rate(rows: dict[str, dict]) -> dict[str, Value]:
    return {k: Value(r["num"] or 0, r["den"] or 0) for k, r in rows.items()}


@functools.cache
def _workspace() -> str:
    return reverse("tickets:workspace")


def _tickets_url(**params) -> str:
    return f"{_workspace()}?{urlencode({'queue': 'all', **params})}"


def _range(period: Period) -> dict[str, str]:
    return {"from": period.start.isoformat(), "to": (period.end - datetime.timedelta(days=1)).isoformat()}


# -- backlog and breaches -------------------------------------------------------------------------

def backlog(since, until, dimension) -> dict[str, Value]:
    """Requests open at the period's end: received before it and unresolved then (cancelled ones
    left out); for a period not yet ended, the requests open now."""
    if until > timezone.now():
        qs = Ticket.objects.filter(status__in=OPEN_STATUS_LIST)
    else:
        qs = Ticket.objects.filter(received_at__lt=until).exclude(status=Status.CANCELLED).filter(
            Q(resolved_at__isnull=True) | Q(resolved_at__gte=until))
    return {k: Value(r["n"] or 0) for k, r in grouped(qs, dimension, n=Count("pk")).items()}


def backlog_drill(period: Period) -> str:
    return _tickets_url(open="1")


def breaches(since, until, dimension) -> dict[str, Value]:
    """Requests with a time limit (any clock) breached in the period, each counted once."""
    clocks = SlaClock.objects.filter(_in("breached_at", since, until))
    return {k: Value(r["n"] or 0) for k, r in grouped(clocks, dimension, "ticket__",
                                                      n=Count("ticket_id", distinct=True)).items()}


def breaches_drill(period: Period) -> str:
    return _tickets_url(breached_from=period.start.isoformat(),
                        breached_to=(period.end - datetime.timedelta(days=1)).isoformat())


# -- time limits kept ------------------------------------------------------------------------------

def settled(since, until) -> tuple[Q, Q]:
    """Clocks settled in the period: breached in it; met in it without a breach. A clock counts in
    the period of its breach, else of its meeting."""
    return _in("breached_at", since, until), Q(breached_at__isnull=True) & _in("met_at", since, until)


def clock_compliance(kind: str):
    def compute(since, until, dimension) -> dict[str, Value]:
        settled_breached, settled_met = settled(since, until)
        clocks = SlaClock.objects.filter(kind=kind).filter(settled_breached | settled_met)
        return _rate(grouped(clocks, dimension, "ticket__", num=Count("pk", filter=settled_met),
                             den=Count("pk")))
    return compute


def clock_drill(kind: str):
    def drill(period: Period) -> str:
        return _tickets_url(clock=kind, breached_from=period.start.isoformat(),
                            breached_to=(period.end - datetime.timedelta(days=1)).isoformat())
    return drill


# -- resolutions -----------------------------------------------------------------------------------

def _resolved(since, until) -> QuerySet[Ticket]:
    return Ticket.objects.filter(_in("resolved_at", since, until)).exclude(status=Status.CANCELLED)


def _reopened() -> Exists:
    """A reopened request has a later resolution clock than the one started when it was received."""
    return Exists(SlaClock.objects.filter(ticket_id=OuterRef("pk"), kind="resolution",
                                          started_at__gt=OuterRef("received_at")))


# Resolved by the first-responsible person alone: never handed over, still with the hotline, owned by
# the first-responsible person, never reopened (on `resolved_with_history`).
FIRST_CONTACT = Q(handed=False, reopened=False, tier=Tier.HOTLINE, owner_id=F("first_responsible_id"))


def resolved_with_history(since, until) -> QuerySet[Ticket]:
    """The requests resolved in the period, each marked `handed` (ever handed over) and `reopened`."""
    return _resolved(since, until).annotate(
        handed=Exists(Handover.objects.filter(ticket_id=OuterRef("pk"))), reopened=_reopened())


def first_contact_resolution(since, until, dimension) -> dict[str, Value]:
    """Of the requests resolved in the period, those the first-responsible person resolved alone:
    never handed over, still with the hotline, owned by the first-responsible person, never reopened."""
    qs = resolved_with_history(since, until)
    return _rate(grouped(qs, dimension, num=Count("pk", filter=FIRST_CONTACT), den=Count("pk")))


def reopen_rate(since, until, dimension) -> dict[str, Value]:
    """Of the requests resolved in the period, those reopened at least once."""
    qs = _resolved(since, until).annotate(reopened=_reopened())
    return _rate(grouped(qs, dimension, num=Count("pk", filter=Q(reopened=True)), den=Count("pk")))


def resolved_drill(period: Period) -> str:
    return _tickets_url(resolved_from=period.start.isoformat(),
                        resolved_to=(period.end - datetime.timedelta(days=1)).isoformat())


HANDLING = ExpressionWrapper(F("resolved_at") - F("received_at"), output_field=DurationField())


def handling_microseconds(since, until, dimension) -> dict[str, Value]:
    """Summed microseconds from reception to resolution over the requests resolved in the period."""
    rows = grouped(_resolved(since, until), dimension, total=Sum(HANDLING), n=Count("pk"))
    return {k: Value(microseconds(r["total"]), r["n"] or 0) for k, r in rows.items()}


def in_hours(values: dict[str, Value]) -> dict[str, Value]:
    return {k: Value(v.numerator / 3_600_000_000, v.denominator) for k, v in values.items()}


def handling_time(since, until, dimension) -> dict[str, Value]:
    """Mean hours from reception to resolution of the requests resolved in the period (calendar time)."""
    return in_hours(handling_microseconds(since, until, dimension))


_ACCEPTANCE = ExpressionWrapper(F("decided_at") - F("created_at"), output_field=DurationField())


def handover_acceptance(since, until, dimension) -> dict[str, Value]:
    """Mean hours from a hand-over to its acceptance, for hand-overs accepted in the period."""
    qs = Handover.objects.filter(state=Handover.State.ACCEPTED).filter(_in("decided_at", since, until))
    rows = grouped(qs, dimension, "ticket__", total=Sum(_ACCEPTANCE), n=Count("pk"))
    return {k: Value(hours(r["total"]), r["n"] or 0) for k, r in rows.items()}


# -- requests received -----------------------------------------------------------------------------

def _received(since, until) -> QuerySet[Ticket]:
    return Ticket.objects.filter(_in("received_at", since, until))


def repeat_contact_rate(since, until, dimension) -> dict[str, Value]:
    """Of the requests received in the period, those the customer called about again (a repeat
    contact recorded on the same matter)."""
    return _rate(grouped(_received(since, until), dimension, num=Count("pk", filter=Q(repeat_contacts__gt=0)),
                         den=Count("pk")))


def complaints_per_thousand(since, until, dimension) -> dict[str, Value]:
    """Complaint requests per 1,000 requests, both received in the period."""
    return _rate(grouped(_received(since, until), dimension, num=Count("pk", filter=Q(kind=ServiceKind.COMPLAINT)),
                         den=Count("pk")))


def received_drill(period: Period) -> str:
    return _tickets_url(**_range(period))


def complaints_drill(period: Period) -> str:
    return _tickets_url(kind=ServiceKind.COMPLAINT, **_range(period))
