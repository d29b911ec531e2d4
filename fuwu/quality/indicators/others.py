"""Indicators whose definitions other apps own: this module wraps them, it does not repeat them.

Satisfaction rate and NPS come from the survey figures (`fuwu/surveys/figures.py`), the complaint
resolution success rate from `fuwu/complaints/analysis.success_rate`, repair timeliness from
`fuwu/fieldservice/timeliness.py`.
"""

import datetime
import functools
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from fuwu.complaints.analysis import success_rate
from fuwu.complaints.models import Complaint
from fuwu.fieldservice.models import WorkOrder
from fuwu.fieldservice.timeliness import timeliness_of
from fuwu.followups.models import FollowUp, FollowUpState
from fuwu.quality.indicators.base import TOTAL_KEY, Dimension, Period, Value
from fuwu.surveys.figures import figures_for

SURVEY_DIMENSIONS = (Dimension.TOTAL, Dimension.STAFF, Dimension.GROUP, Dimension.SERVICE_TYPE)


def _survey(counts):
    def compute(since, until, dimension) -> dict[str, Value]:
        if dimension not in SURVEY_DIMENSIONS or dimension == Dimension.TOTAL:
            return {TOTAL_KEY: counts(figures_for(since, until)[0])}
        result = {TOTAL_KEY: counts(figures_for(since, until)[0])}
        for f in figures_for(since, until, str(dimension)):
            if f.key is not None:
                result[str(f.key)] = counts(f)
        return result
    return compute


satisfaction_rate = _survey(lambda f: Value(f.satisfied, f.rated))
nps = _survey(lambda f: Value(f.promoters - f.detractors, f.recommended))


def surveys_drill(period: Period) -> str:
    return f"{_url('surveys:figures')}?{urlencode({'from': f'{period.start:%Y-%m}', 'to': f'{period.start:%Y-%m}'})}"


def complaint_success(since, until, dimension) -> dict[str, Value]:
    agreed, closed = success_rate(Complaint.objects.filter(closed_at__gte=since, closed_at__lt=until))
    return {TOTAL_KEY: Value(agreed, closed)}


@functools.cache
def _url(name: str) -> str:
    return reverse(name)


def complaints_closed_drill(period: Period) -> str:
    return f"{_url('complaints:list')}?{urlencode({'closed': f'{period.start:%Y-%m}'})}"


def valid_complaints(since, until, dimension) -> dict[str, Value]:
    """Complaints closed in the period that the investigation found valid (经查属实), in total or per
    responsible person (R6.4, R11.5): one grouped query."""
    qs = Complaint.objects.filter(closed_at__gte=since, closed_at__lt=until, valid=True).order_by()
    result = {TOTAL_KEY: Value(qs.count())}
    if dimension == Dimension.STAFF:
        for row in qs.values("responsible_person_id").annotate(n=Count("pk")):
            if row["responsible_person_id"] is not None:
                result[str(row["responsible_person_id"])] = Value(row["n"])
    return result


def valid_complaints_drill(period: Period) -> str:
    last = period.end - datetime.timedelta(days=1)
    months = f"{period.start:%Y-%m}" if last.month == period.start.month else f"{period.start:%Y-%m}..{last:%Y-%m}"
    return f"{_url('complaints:list')}?{urlencode({'valid': 'yes', 'closed': months})}"


def repair_timeliness(since, until, dimension) -> dict[str, Value]:
    total, _months = timeliness_of(WorkOrder.objects.all(), since=since, until=until)
    return {TOTAL_KEY: Value(total.on_time, total.completed)}


def repair_drill(period: Period) -> str:
    return _url("fieldservice:timeliness")


def follow_up_completion(since, until, dimension) -> dict[str, Value]:
    """Follow-ups due in the period (withdrawn ones left out): the share that reached the customer."""
    row = FollowUp.objects.filter(due_at__gte=since, due_at__lt=until).exclude(
        state=FollowUpState.WITHDRAWN).order_by().aggregate(
        num=Count("pk", filter=Q(state=FollowUpState.REACHED)), den=Count("pk"))
    return {TOTAL_KEY: Value(row["num"], row["den"])}


def follow_ups_drill(period: Period) -> str:
    return _url("followups:queue")
