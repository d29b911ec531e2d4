"""What the follow-up actions share: the rules as the pure module reads them, the calendar, one move."""

from django.conf import settings

from fuwu.core.errors import InvalidInput
from fuwu.core.locking import bump_version
from fuwu.followups import rules as pure
from fuwu.followups.codes import FollowUpError
from fuwu.followups.models import FollowUp, FollowUpPlanRule, FollowUpRule
from fuwu.followups.workflow import transition_for
from fuwu.standards.calendars import business_clock
from fuwu.standards.models import ServiceCalendar


def active_rules() -> list[pure.Rule]:
    return [pure.Rule(r.pk, r.service_kind, r.service_type_id, r.required, r.working_days, r.calendar_id,
                      r.retry_hours, r.max_attempts)
            for r in FollowUpRule.objects.filter(is_active=True).order_by("id")]


def active_plan_rules() -> list[pure.PlanRule]:
    return [pure.PlanRule(r.pk, r.category, r.customer_class, r.first_months, r.first_every, r.then_every,
                          r.needs_survey)
            for r in FollowUpPlanRule.objects.filter(is_active=True).order_by("id")]


def rule_of(follow_up: FollowUp) -> pure.Rule:
    """The rule of a follow-up's request (its type, else its kind, else the default); the default for plans."""
    ticket = follow_up.ticket
    if ticket is None:
        return pure.rule_for(active_rules(), service_kind="", service_type_id=None)
    return pure.rule_for(active_rules(), service_kind=ticket.kind, service_type_id=ticket.service_type_id)


def calendar_of(rule: pure.Rule):
    """The rule's business clock, else FUWU_FOLLOWUP_CALENDAR's, else the first calendar's."""
    calendar_id = rule.calendar_id or ServiceCalendar.objects.filter(
        code=settings.FUWU_FOLLOWUP_CALENDAR).values_list("pk", flat=True).first()
    if calendar_id is None:
        calendar_id = ServiceCalendar.objects.order_by("pk").values_list("pk", flat=True).first()
    return business_clock(calendar_id)


def default_calendar():
    return calendar_of(pure.DEFAULT_RULE)


def apply_move(follow_up: FollowUp, move: str, *fields: str) -> None:
    """One row of the transition table on a locked follow-up, written with the fields named."""
    transition = transition_for(follow_up.state, move)
    if transition is None:
        raise InvalidInput(code=FollowUpError.MOVE_NOT_ALLOWED,
                           errors={"reached": [_closed_message()]})
    follow_up.state = transition.target
    bump_version(follow_up, "state", *fields)


def _closed_message() -> str:
    from django.utils.translation import gettext as _

    return _("This follow-up is already closed.")
