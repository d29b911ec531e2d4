"""The figures of a weekly report (R8.4) or a monthly service supervision report (服务监督报告, R9.6),
gathered by aggregation: the indicator registry of `fuwu.quality` for every indicator against its
target, and a handful of grouped queries for the volumes, breaches, complaints and the staff ranking.

`build_report(kind, start)` returns plain data (JSON-serialisable): what a report version archives.
Names of groups and staff are kept as they were when it was built; labels of codes (channels, clock
kinds, indicators, root causes) are given when the report is shown, in the reader's language.
The number of queries does not grow with the number of requests (tests/reports guard it).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from fuwu.complaints.models import Complaint
from fuwu.improvements.models import ActionStatus, ImprovementAction
from fuwu.org.models import Group
from fuwu.quality.indicators import INDICATORS, REGISTRY, TOTAL_KEY, Dimension, Granularity, Period, Unit
from fuwu.quality.indicators.rolled import CLOCK_KINDS, breached_requests, counts, one_reading
from fuwu.quality.merit.selectors import confirmed_outcomes
from fuwu.quality.models import Snapshot, Target
from fuwu.reports.models import ReportKind
from fuwu.surveys.figures import figures_for
from fuwu.tickets.models import SlaClock, Status, Ticket

GRANULARITY = {ReportKind.WEEKLY: Granularity.WEEK, ReportKind.MONTHLY: Granularity.MONTH}
STAFF_ROWS = 15  # the staff ranking's length


def period_of(kind: str, day: datetime.date) -> Period:
    """The report period containing `day`: its week (Monday–Sunday) or its calendar month."""
    return Period.containing(GRANULARITY[ReportKind(kind)], day)


def _pct(num, den) -> float | None:
    return round(num * 100 / den, 1) if den else None


def _change(now: int, before: int) -> float | None:
    return round((now - before) * 100 / before, 1) if before else None


def build_report(kind: str, start: datetime.date, *, now: datetime.datetime | None = None) -> dict:
    """The figures of the `kind` report whose period contains `start`, as of `now` (a running period
    counts up to now; its comparison period is cut to the same length)."""
    with one_reading():
        return _build(kind, start, now)


def _build(kind: str, start: datetime.date, now: datetime.datetime | None) -> dict:
    now = now or timezone.now()
    period = period_of(kind, start)
    since, until = period.since, period.until
    as_of = min(until, now)
    previous = period.previous()
    prev_since = previous.since
    prev_until = min(previous.until, prev_since + (as_of - since))
    data = {
        "kind": str(kind), "period": {
            "start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label,
            "as_of": timezone.localtime(as_of).isoformat(timespec="minutes"), "complete": as_of >= until,
            "previous_start": previous.start.isoformat(),
            "previous_until": timezone.localtime(prev_until).isoformat(timespec="minutes")},
        "volumes": _volumes(since, as_of, prev_since, prev_until),
        "indicators": _indicators(period, since, as_of),
        "breaches": _breaches(since, as_of),
        "complaints": _complaints(since, as_of),
        "surveys": _surveys(since, as_of),
        "staff": _staff(since, as_of),
        "improvements": _improvements(since, as_of),
    }
    if kind == ReportKind.MONTHLY:  # rewards and penalties confirmed in the month (R9.5, R11.5): one query
        data["merit"] = confirmed_outcomes(since, as_of)
    data["followups"] = next(({"value": i["value"], "reached": i["numerator"], "due": i["denominator"]}
                              for i in data["indicators"] if i["code"] == "follow_up_completion"), None)
    return data


# -- volumes -------------------------------------------------------------------------------------

def _volumes(since, until, prev_since, prev_until) -> dict:
    """Requests received by channel and by service type, this period and the one before: two queries."""
    window = Q(received_at__gte=prev_since, received_at__lt=prev_until) | Q(received_at__gte=since,
                                                                          received_at__lt=until)
    now_q, before_q = Q(received_at__gte=since), Q(received_at__lt=prev_until)
    counts = {"n": Count("pk", filter=now_q), "p": Count("pk", filter=before_q)}
    base = Ticket.objects.filter(window).order_by()
    by_channel = [{"key": r["channel"], "count": r["n"], "previous": r["p"]}
                  for r in base.values("channel").annotate(**counts)]
    by_type = [{"key": r["service_type_id"], "name": r["service_type__name"], "name_en": r["service_type__name_en"],
                "kind": r["kind"], "count": r["n"], "previous": r["p"]}
               for r in base.values("service_type_id", "service_type__name", "service_type__name_en", "kind")
               .annotate(**counts)]
    by_channel.sort(key=lambda r: (-r["count"], r["key"]))
    by_type.sort(key=lambda r: (-r["count"], r["name"] or ""))
    total, before = sum(r["count"] for r in by_channel), sum(r["previous"] for r in by_channel)
    for rows in (by_channel, by_type):
        for r in rows:
            r["share"] = _pct(r["count"], total)
            r["change"] = _change(r["count"], r["previous"])
    return {"total": total, "previous": before, "change": _change(total, before),
            "by_channel": by_channel, "by_type": by_type}


# -- indicators against targets ------------------------------------------------------------------

def _targets(granularity: str) -> dict[str, Target]:
    """The active targets of the whole (not of a group or person): the period's own, else the month's
    for a rate (a count's monthly target says nothing about a week)."""
    found: dict[str, Target] = {}
    for t in Target.objects.filter(is_active=True, dimension=Dimension.TOTAL,
                                   granularity__in=[granularity, Granularity.MONTH]):
        if t.granularity == granularity or (t.indicator not in found and REGISTRY.get(t.indicator)
                                            and REGISTRY[t.indicator].unit != Unit.COUNT):
            found[t.indicator] = t
    return found


def _indicators(period: Period, since, until) -> list[dict]:
    """Every indicator of the registry in the period against its target, with the period before from
    the snapshots the quality job keeps (one query)."""
    targets = _targets(period.granularity)
    before = {s.indicator: s.value for s in Snapshot.objects.filter(
        granularity=period.granularity, period_start=period.previous().start, dimension=Dimension.TOTAL)}
    rows = []
    for ind in INDICATORS:
        value = ind.compute(since, until, Dimension.TOTAL).get(TOTAL_KEY)
        target = targets.get(ind.code)
        shown = ind.value_of(value)
        rows.append({
            "code": ind.code, "unit": ind.unit, "direction": ind.direction,
            "value": None if shown is None else round(shown, 2),
            "numerator": value.numerator if value else 0,
            "denominator": value.denominator if value else None,
            "target": target.target if target else None,
            "alert_level": target.alert_level if target else None,
            "met": ind.is_good(shown, target.target if target else None),
            "alarm": (not ind.is_good(shown, target.alert_level)) if target and shown is not None else None,
            "previous": None if before.get(ind.code) is None else round(before[ind.code], 2),
        })
    return rows


# -- breaches ------------------------------------------------------------------------------------

def _breaches(since, until) -> dict:
    """Time limits breached in the period by clock kind and by the request's group: from the daily
    rollup for whole past days and one grouped query for the rest, and one for the group names."""
    def live(s, u):
        found: dict = {}
        for r in (SlaClock.objects.filter(breached_at__gte=s, breached_at__lt=u).order_by()
                  .values("kind", "ticket__group_id").annotate(n=Count("pk"))):
            found.setdefault((r["ticket__group_id"],), {})[r["kind"]] = r["n"]
        return found

    rows = counts(since, until, ("group_id",), {kind: f"{kind}_breached" for kind in CLOCK_KINDS}, live)
    by_kind: dict[str, int] = {}
    by_group: dict = {}
    for (group_id,), per_kind in rows.items():
        for kind, n in per_kind.items():
            if n:
                by_kind[kind] = by_kind.get(kind, 0) + n
                by_group[group_id] = by_group.get(group_id, 0) + n
    names = {g.pk: str(g.name) for g in Group.objects.filter(pk__in=[k for k in by_group if k])}
    return {
        "clocks": sum(by_kind.values()),
        "by_kind": [{"kind": k, "count": n} for k, n in sorted(by_kind.items(), key=lambda i: (-i[1], i[0]))],
        "by_group": [{"id": k, "name": names.get(k, ""), "count": n}
                     for k, n in sorted(by_group.items(), key=lambda i: (-i[1], i[0] or 0))],
    }


# -- complaints ----------------------------------------------------------------------------------

def _complaints(since, until) -> dict:
    """Complaints received in the period, found valid by root cause (as `complaints/analysis.py`
    counts them), and those closed with the customer's agreement: two queries."""
    received = Complaint.objects.filter(received_at__gte=since, received_at__lt=until).order_by()
    totals = received.aggregate(n=Count("pk"), valid=Count("pk", filter=Q(valid=True)),
                                major=Count("pk", filter=Q(severity="major")))
    causes = [{"code": r["root_cause__code"], "name": r["root_cause__name"], "count": r["n"]}
              for r in received.filter(valid=True, root_cause__isnull=False).values(
                  "root_cause__code", "root_cause__name").annotate(n=Count("pk")).order_by("-n", "root_cause__code")]
    return {"received": totals["n"], "valid": totals["valid"], "major": totals["major"], "by_root_cause": causes}


# -- improvement actions -------------------------------------------------------------------------

def _improvements(since, until) -> dict:
    """Improvement actions (R17.1): proposed in the period, verified effective in it, cancelled in it,
    and those still open past their due day at the period's end (or now): one query."""
    end = timezone.localtime(until).date()
    open_states = [ActionStatus.PROPOSED, ActionStatus.APPROVED, ActionStatus.IN_PROGRESS, ActionStatus.DONE]
    return ImprovementAction.objects.order_by().aggregate(
        opened=Count("pk", filter=Q(proposed_at__gte=since, proposed_at__lt=until)),
        closed=Count("pk", filter=Q(verified_at__gte=since, verified_at__lt=until)),
        cancelled=Count("pk", filter=Q(cancelled_at__gte=since, cancelled_at__lt=until)),
        open=Count("pk", filter=Q(status__in=open_states, proposed_at__lt=until)),
        overdue=Count("pk", filter=Q(status__in=open_states, proposed_at__lt=until, due_on__lt=end)))


# -- surveys -------------------------------------------------------------------------------------

def _surveys(since, until) -> dict:
    f = figures_for(since, until)[0]
    return {"invited": f.invited, "answered": f.answered, "response_rate": _pct(f.answered, f.invited),
            "rated": f.rated, "satisfied": f.satisfied,
            "satisfaction": _pct(f.satisfied, f.rated),
            "nps": None if f.nps is None else round(f.nps, 1), "recommended": f.recommended}


# -- staff ranking -------------------------------------------------------------------------------

def _staff(since, until) -> dict:
    """Per person (the request's owner) and per group: requests resolved, time limits breached and
    the satisfaction of their customers' answers; people ranked by requests resolved (from the daily
    rollup for whole past days)."""
    def live_resolved(s, u):
        return {(r["owner_id"], r["group_id"]): {"n": r["n"]} for r in Ticket.objects.filter(
            resolved_at__gte=s, resolved_at__lt=u).exclude(status=Status.CANCELLED).order_by()
            .values("owner_id", "group_id").annotate(n=Count("pk"))}

    resolved = counts(since, until, ("owner_id", "group_id"), {"n": "resolved"}, live_resolved)
    people: dict[int, dict] = {}
    groups: dict[int, dict] = {}

    def person(pk):
        return people.setdefault(pk, {"id": pk, "resolved": 0, "breaches": 0, "rated": 0, "satisfied": 0})

    def group(pk):
        return groups.setdefault(pk, {"id": pk, "resolved": 0, "breaches": 0, "rated": 0, "satisfied": 0})

    for (owner_id, group_id), r in resolved.items():
        if owner_id:
            person(owner_id)["resolved"] += r["n"]
        if group_id:
            group(group_id)["resolved"] += r["n"]
    for (owner_id, group_id), n in breached_requests(since, until, ("owner_id", "group_id")).items():
        if owner_id:
            person(owner_id)["breaches"] += n
        if group_id:
            group(group_id)["breaches"] += n
    for breakdown, target in (("staff", person), ("group", group)):
        for f in figures_for(since, until, breakdown):
            if f.key is not None and f.rated:
                row = target(f.key)
                row["rated"], row["satisfied"] = f.rated, f.satisfied
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=list(people))}
    names = {g.pk: str(g.name) for g in Group.objects.filter(pk__in=list(groups))}
    for rows, label in ((people, lambda pk: (users[pk].get_full_name() or users[pk].get_username())
                         if pk in users else ""), (groups, lambda pk: names.get(pk, ""))):
        for pk, row in rows.items():
            row["name"] = label(pk)
            row["satisfaction"] = _pct(row["satisfied"], row["rated"])
    ranked = sorted(people.values(), key=lambda r: (-r["resolved"], r["breaches"], r["name"]))
    return {"people": ranked[:STAFF_ROWS], "people_count": len(people),
            "groups": sorted(groups.values(), key=lambda r: (-r["resolved"], r["name"]))}
