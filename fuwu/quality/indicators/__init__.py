"""The indicator catalogue (R9.2, R9.3, R10.1, R15.1): one registry, every definition written once.

The slow ones (clock compliance, first-contact resolution, reopen rate, handling time) read whole past
days from the daily rollup and count the rest live (`rolled`); their definitions stay in `tickets`."""

from django.utils.translation import gettext_lazy as _

from fuwu.quality.indicators import others as o
from fuwu.quality.indicators import rolled as r
from fuwu.quality.indicators import tickets as t
from fuwu.quality.indicators.base import (
    TOTAL_KEY,
    Dimension,
    Direction,
    Granularity,
    Indicator,
    Period,
    Unit,
    Value,
)

H, L = Direction.HIGHER, Direction.LOWER

INDICATORS: tuple[Indicator, ...] = (
    Indicator("backlog", _("Backlog"), _(
        "Requests open at the end of the period: received before its end and not yet resolved then; "
        "cancelled requests are left out. For the running period, the requests open now."),
        Unit.COUNT, L, "same-day", t.backlog, t.ALL_DIMENSIONS, t.backlog_drill),
    Indicator("breaches", _("Requests with a breached time limit"), _(
        "Requests with at least one time limit (first response, resolution, arrival on site, hand-over "
        "acceptance, follow-up) breached in the period, each request counted once, in the period of the breach."),
        Unit.COUNT, L, "first-response", r.breaches, t.ALL_DIMENSIONS, t.breaches_drill),
    Indicator("first_response_sla", _("First-response compliance"), _(
        "First-response clocks settled in the period: met without a breach, over met or breached. A clock "
        "counts in the period of its breach, else of its meeting; running and stopped clocks are left out."),
        Unit.PERCENT, H, "first-response", r.clock_compliance("first_response"), t.ALL_DIMENSIONS,
        t.clock_drill("first_response"), 100),
    Indicator("resolution_sla", _("Resolution compliance"), _(
        "Resolution clocks settled in the period: met without a breach, over met or breached; a reopened "
        "request's fresh clock counts on its own. Counted in the period of the breach, else of the meeting."),
        Unit.PERCENT, H, "same-day", r.clock_compliance("resolution"), t.ALL_DIMENSIONS,
        t.clock_drill("resolution"), 100),
    Indicator("onsite_arrival", _("On-site arrival timeliness"), _(
        "Arrival clocks of on-site service settled in the period: the technician on site before the "
        "deadline, over all arrivals met or breached. Counted in the period of the breach, else of the arrival."),
        Unit.PERCENT, H, "onsite-arrival", r.clock_compliance("onsite_arrival"), t.ALL_DIMENSIONS,
        t.clock_drill("onsite_arrival"), 100),
    Indicator("repair_timeliness", _("Repair timeliness"), _(
        "Work orders signed off in the period: on time when the technician arrived within the arrival "
        "deadline and the customer signed before the resolution deadline, over all signed off."),
        Unit.PERCENT, H, "repair-timely", o.repair_timeliness, (Dimension.TOTAL,), o.repair_drill, 100,
        "fuwu/fieldservice/timeliness.py"),
    Indicator("first_contact_resolution", _("First-contact resolution"), _(
        "Requests resolved in the period (cancelled left out) that the first-responsible person resolved "
        "alone: never handed over, still with the hotline tier, owned by the first-responsible person and "
        "never reopened; over all resolved in the period."),
        Unit.PERCENT, H, "first-contact", r.first_contact_resolution, t.ALL_DIMENSIONS, t.resolved_drill, 100),
    Indicator("satisfaction", _("Satisfaction rate"), _(
        "Answers of 4 or 5 among the answers to the rating questions that count for satisfaction, of the "
        "survey invitations made in the period."),
        Unit.PERCENT, H, "satisfaction-survey", o.satisfaction_rate, o.SURVEY_DIMENSIONS, o.surveys_drill, 100,
        "fuwu/surveys/figures.py"),
    Indicator("nps", _("Net promoter score"), _(
        "Promoters (9–10) minus detractors (0–6) over all answers to the recommendation question, in "
        "percent points, of the survey invitations made in the period."),
        Unit.POINTS, H, "satisfaction-survey", o.nps, o.SURVEY_DIMENSIONS, o.surveys_drill, 100,
        "fuwu/surveys/figures.py"),
    Indicator("complaint_success", _("Complaint resolution success rate"), _(
        "Complaints closed in the period with the customer's agreement to the solution, over all "
        "complaints closed in the period."),
        Unit.PERCENT, H, "complaint-handling", o.complaint_success, (Dimension.TOTAL,),
        o.complaints_closed_drill, 100, "fuwu/complaints/analysis.py"),
    Indicator("valid_complaints", _("Valid complaints"), _(
        "Complaints closed in the period that the investigation found valid; per staff member, those naming "
        "them as the responsible person."),
        Unit.COUNT, L, "complaint-handling", o.valid_complaints, (Dimension.TOTAL, Dimension.STAFF),
        o.valid_complaints_drill, 1, "fuwu/complaints/models.py"),
    Indicator("complaints_per_thousand", _("Complaints per 1,000 requests"), _(
        "Complaint requests received in the period per 1,000 requests received in the period."),
        Unit.PER_THOUSAND, L, "complaint-handling", t.complaints_per_thousand, t.ALL_DIMENSIONS,
        t.complaints_drill, 1000),
    Indicator("repeat_contact", _("Repeat-contact rate"), _(
        "Requests received in the period about which the customer contacted us again (a repeat contact "
        "recorded on the same request), over all requests received in the period."),
        Unit.PERCENT, L, "first-contact", t.repeat_contact_rate, t.ALL_DIMENSIONS, t.received_drill, 100),
    Indicator("reopen_rate", _("Reopen rate"), _(
        "Requests resolved in the period that were reopened at least once (a resolution clock started "
        "after reception), over all resolved in the period."),
        Unit.PERCENT, L, "same-day", r.reopen_rate, t.ALL_DIMENSIONS, t.resolved_drill, 100),
    Indicator("follow_up_completion", _("Follow-up completion"), _(
        "Follow-ups falling due in the period (withdrawn ones left out) in which the customer was reached, "
        "over all falling due in the period."),
        Unit.PERCENT, H, "follow-up", o.follow_up_completion, (Dimension.TOTAL,), o.follow_ups_drill, 100),
    Indicator("handover_acceptance", _("Hand-over acceptance time"), _(
        "Mean calendar hours from a hand-over to its acceptance, of the hand-overs accepted in the period."),
        Unit.HOURS, L, "first-contact", t.handover_acceptance, t.ALL_DIMENSIONS, None),
    Indicator("handling_time", _("Handling time"), _(
        "Mean calendar hours from reception to resolution, of the requests resolved in the period "
        "(cancelled left out)."),
        Unit.HOURS, L, "same-day", r.handling_time, t.ALL_DIMENSIONS, t.resolved_drill),
)

REGISTRY: dict[str, Indicator] = {i.code: i for i in INDICATORS}


def indicator(code: str) -> Indicator | None:
    return REGISTRY.get(code)


def compute(code: str, period: Period, dimension: str = Dimension.TOTAL) -> dict[str, float | None]:
    """The value of an indicator in a period per key of the dimension (TOTAL_KEY: the whole),
    for a report or a page that checked the viewer's permission."""
    ind = REGISTRY[code]
    return {k: ind.value_of(v) for k, v in ind.compute(period.since, period.until, dimension).items()}


__all__ = ["INDICATORS", "REGISTRY", "TOTAL_KEY", "Dimension", "Direction", "Granularity", "Indicator",
           "Period", "Unit", "Value", "compute", "indicator"]
