"""Satisfaction figures (R9.1): grouped queries, never a loop over responses.

For the invitations made in a period (the month a customer was asked is the month counted, so the
response rate compares like with like):

- **response rate**: invitations answered / invitations made;
- **satisfaction rate**: the answers of 4 or 5 among all answers to the questions marked as counting
  for satisfaction (1–5 ratings);
- **NPS**: among the answers to recommendation questions (0–10), the share of promoters (9–10)
  minus the share of detractors (0–6), in percent (−100 to 100).

Each is given for the whole period and broken down by the staff member who served (the request's
owner when it was resolved), the group, the service type and the month: two grouped queries per
breakdown, however many responses.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from fuwu.core.errors import PermissionDenied
from fuwu.org.models import Group
from fuwu.org.policy import Perm, can
from fuwu.standards.models import ServiceType
from fuwu.surveys.models import Answer, Invitation, QuestionKind

BREAKDOWNS = ("month", "staff", "group", "service_type")
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2199, 12, 1)  # the months a period may name


@dataclass(frozen=True)
class Figures:
    key: Any = None
    label: str = ""
    invited: int = 0
    answered: int = 0
    rated: int = 0
    satisfied: int = 0
    recommended: int = 0
    promoters: int = 0
    detractors: int = 0

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None

    @property
    def nps(self) -> float | None:
        """Net promoter score in percent points, −100 to 100."""
        return (self.promoters - self.detractors) * 100 / self.recommended if self.recommended else None


@dataclass(frozen=True)
class FigureSet:
    since: datetime.datetime
    until: datetime.datetime
    total: Figures
    by: dict[str, list[Figures]]


_ANSWER_COUNTS = {
    "rated": Count("pk", filter=Q(question__counts_for_satisfaction=True, number__isnull=False)),
    "satisfied": Count("pk", filter=Q(question__counts_for_satisfaction=True, number__gte=4)),
    "recommended": Count("pk", filter=Q(question__kind=QuestionKind.NPS, number__isnull=False)),
    "promoters": Count("pk", filter=Q(question__kind=QuestionKind.NPS, number__gte=9)),
    "detractors": Count("pk", filter=Q(question__kind=QuestionKind.NPS, number__lte=6)),
}
_INVITATION_COUNTS = {"invited": Count("pk"), "answered": Count("pk", filter=Q(answered_at__isnull=False))}


def _invitations(since: datetime.datetime, until: datetime.datetime) -> QuerySet[Invitation]:
    return Invitation.objects.filter(created_at__gte=since, created_at__lt=until).order_by()


def _answers(since: datetime.datetime, until: datetime.datetime) -> QuerySet[Answer]:
    return Answer.objects.filter(
        Q(question__counts_for_satisfaction=True) | Q(question__kind=QuestionKind.NPS),
        response__invitation__created_at__gte=since, response__invitation__created_at__lt=until).order_by()


def _grouped(since, until, breakdown: str) -> list[Figures]:
    if breakdown == "month":
        invitations = _invitations(since, until).annotate(k=TruncMonth("created_at"))
        answers = _answers(since, until).annotate(k=TruncMonth("response__invitation__created_at"))
    else:
        invitations = _invitations(since, until).annotate(k=F(f"{breakdown}_id"))
        answers = _answers(since, until).annotate(k=F(f"response__invitation__{breakdown}_id"))
    counts: dict[Any, dict[str, int]] = {}
    for row in invitations.values("k").annotate(**_INVITATION_COUNTS):
        counts.setdefault(_key(row.pop("k")), {}).update(row)
    for row in answers.values("k").annotate(**_ANSWER_COUNTS):
        counts.setdefault(_key(row.pop("k")), {}).update(row)
    labels = _labels(breakdown, [k for k in counts if k is not None])
    rows = [Figures(key=k, label=labels.get(k, ""), **v) for k, v in counts.items()]
    if breakdown == "month":
        return sorted(rows, key=lambda f: f.key or datetime.date.min)
    return sorted(rows, key=lambda f: (-f.invited, f.label))


def _key(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def _labels(breakdown: str, keys: list) -> dict[Any, str]:
    if breakdown == "month":
        return {k: f"{k:%Y-%m}" for k in keys}
    if breakdown == "staff":
        return {u.pk: u.get_full_name() or u.get_username() for u in get_user_model().objects.filter(pk__in=keys)}
    if breakdown == "group":
        return {g.pk: str(g) for g in Group.objects.filter(pk__in=keys)}
    return {t.pk: str(t) for t in ServiceType.objects.filter(pk__in=keys)}


def survey_figures(viewer, *, since: datetime.datetime, until: datetime.datetime,
                   breakdowns: tuple[str, ...] = BREAKDOWNS) -> FigureSet:
    """The figures of invitations made in [since, until), in total and per breakdown, for SURVEY_VIEW."""
    if not can(viewer, Perm.SURVEY_VIEW):
        raise PermissionDenied()
    total = {**_invitations(since, until).aggregate(**_INVITATION_COUNTS),
             **_answers(since, until).aggregate(**_ANSWER_COUNTS)}
    return FigureSet(since=since, until=until, total=Figures(**total),
                     by={b: _grouped(since, until, b) for b in breakdowns if b in BREAKDOWNS})


def figures_for(since: datetime.datetime, until: datetime.datetime, breakdown: str = "") -> list[Figures]:
    """The counts of [since, until) in total (no breakdown) or per breakdown, without the viewer's
    check: for callers that checked it themselves (the quality indicators and their job)."""
    if not breakdown:
        return [Figures(**{**_invitations(since, until).aggregate(**_INVITATION_COUNTS),
                           **_answers(since, until).aggregate(**_ANSWER_COUNTS)})]
    return _grouped(since, until, breakdown)


def month_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, 1, tzinfo=timezone.get_current_timezone())


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def period_of_months(first: datetime.date | None, last: datetime.date | None, *, default_months: int = 12
                     ) -> tuple[datetime.datetime, datetime.datetime]:
    """From the first day of `first`'s month to the end of `last`'s month (default: the last 12 months)."""
    today = timezone.localdate()
    last = last or today
    if first is None:
        first = last.replace(day=1)
        for _ in range(default_months - 1):
            first = (first - datetime.timedelta(days=1)).replace(day=1)
    if first > last:
        first, last = last, first
    first, last = max(first, EARLIEST), min(last, LATEST)
    return month_start(first), month_start(next_month(last))
