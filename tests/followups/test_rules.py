"""The pure rules of follow-up (R8.1, R8.2): which rule applies, deadlines in working days, retries, plans."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from fuwu.followups import rules as r
from fuwu.followups import workflow as w
from fuwu.followups.models import FollowUpKind, FollowUpMove, FollowUpState, NextStep
from fuwu.standards.businesstime import BusinessClock, Schedule, from_us, parse_hours, to_us

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
OFFICE = BusinessClock(Schedule(weekly=(parse_hours("09:00-12:00,13:00-18:00"),) * 5 + ((), ()),
                                timezone="Asia/Shanghai"))


def us(*args) -> int:
    return to_us(datetime.datetime(*args, tzinfo=SHANGHAI))


def local(instant: int) -> datetime.datetime:
    return from_us(instant).astimezone(SHANGHAI).replace(tzinfo=None)


def test_the_models_choices_are_the_workflows_values():
    assert set(FollowUpState.values) == {s.value for s in w.FollowUpState}
    assert set(FollowUpMove.values) == {m.value for m in w.FollowUpMove}
    assert set(FollowUpKind.values) == {k.value for k in w.FollowUpKind}
    assert set(NextStep.values) == {s.value for s in w.NextStep}


def test_the_transition_table_closes_a_follow_up_once():
    for state in w.FINAL:
        assert w.moves_from(state) == []
    assert w.transition_for("due", "miss").target == "retry"
    assert w.transition_for("retry", "reach").target == "reached"
    assert w.transition_for("reached", "reach") is None


def test_the_rule_for_the_type_beats_the_kind_beats_the_default():
    default, complaint, by_type = r.Rule(1), r.Rule(2, service_kind="complaint"), r.Rule(3, service_type_id=7)
    rules = [by_type, complaint, default]
    assert r.rule_for(rules, service_kind="complaint", service_type_id=7) == by_type
    assert r.rule_for(rules, service_kind="complaint", service_type_id=8) == complaint
    assert r.rule_for(rules, service_kind="repair", service_type_id=8) == default
    assert r.rule_for([], service_kind="repair", service_type_id=None) == r.DEFAULT_RULE
    assert r.needs_follow_up(r.Rule(1, required=False), service_kind="complaint", has_clock=False)
    assert not r.needs_follow_up(r.Rule(1, required=False), service_kind="repair", has_clock=False)
    assert r.needs_follow_up(r.Rule(1, required=False), service_kind="repair", has_clock=True)


def test_working_days_count_from_the_close_of_the_day_of_resolution():
    # Wednesday 2 December 2026: the close of Thursday, Friday, then Monday.
    assert local(r.due_after_working_days(OFFICE, us(2026, 12, 2, 10), 1)) == datetime.datetime(2026, 12, 3, 18)
    assert local(r.due_after_working_days(OFFICE, us(2026, 12, 2, 10), 3)) == datetime.datetime(2026, 12, 7, 18)
    # Resolved on Friday evening: it counts from Monday, so one working day is Tuesday's close.
    assert local(r.due_after_working_days(OFFICE, us(2026, 12, 4, 20), 1)) == datetime.datetime(2026, 12, 8, 18)


def test_retries_two_working_hours_then_the_next_morning_then_none():
    assert local(r.next_attempt(OFFICE, us(2026, 12, 2, 11), attempts=1, retry_hours=2, max_attempts=3)) == \
        datetime.datetime(2026, 12, 2, 14)  # lunch is not working time
    assert local(r.next_attempt(OFFICE, us(2026, 12, 4, 17), attempts=2, retry_hours=2, max_attempts=3)) == \
        datetime.datetime(2026, 12, 7, 9)
    assert r.next_attempt(OFFICE, us(2026, 12, 4, 17), attempts=3, retry_hours=2, max_attempts=3) is None


@given(st.integers(0, 3 * 365 * 24 * 60), st.integers(1, 10))
def test_a_deadline_is_a_close_of_business_after_the_resolution(minutes, days):
    at = us(2026, 1, 1) + minutes * 60 * 1_000_000
    due = r.due_after_working_days(OFFICE, at, days)
    assert due > at and local(due).time() == datetime.time(18)
    assert r.due_after_working_days(OFFICE, at, days + 1) > due


@given(st.integers(0, 365 * 24 * 60), st.integers(1, 6), st.integers(1, 10))
def test_a_retry_is_later_and_within_working_hours(minutes, attempts, max_attempts):
    at = us(2026, 1, 1) + minutes * 60 * 1_000_000
    found = r.next_attempt(OFFICE, at, attempts=attempts, retry_hours=2, max_attempts=max_attempts)
    if attempts >= max_attempts:
        assert found is None
    else:
        assert found > at and local(found).weekday() < 5 and datetime.time(9) <= local(found).time() <= \
            datetime.time(18)


def test_plans_are_monthly_in_the_first_year_and_quarterly_after():
    rule = r.PlanRule(1)
    dates = r.plan_dates(datetime.date(2025, 12, 15), rule, start=datetime.date(2025, 12, 1),
                         end=datetime.date(2027, 7, 1))
    assert dates[:12] == [datetime.date(2026, month, 15) for month in range(1, 13)]  # until 2026-12-15
    assert dates[12:] == [datetime.date(2027, 3, 15), datetime.date(2027, 6, 15)]
    # Counted from the delivery date: 31 January stays at each month's end.
    assert r.plan_dates(datetime.date(2026, 1, 31), rule, start=datetime.date(2026, 1, 1),
                        end=datetime.date(2026, 4, 30)) == [datetime.date(2026, 2, 28), datetime.date(2026, 3, 31),
                                                            datetime.date(2026, 4, 30)]


@given(st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)), st.integers(1, 3), st.integers(1, 6),
       st.integers(0, 24))
def test_plan_dates_step_by_the_rule(delivered, first_every, then_every, first_months):
    rule = r.PlanRule(1, first_months=first_months, first_every=first_every, then_every=then_every)
    dates = r.plan_dates(delivered, rule, start=delivered, end=r.add_months(delivered, first_months + 3 * then_every))
    assert dates == sorted(set(dates)) and all(d > delivered for d in dates)
    within = [d for d in dates if d <= r.add_months(delivered, first_months)]
    assert len(within) == first_months // first_every
    assert len(dates) - len(within) == 3


def test_the_plan_rule_for_category_and_class():
    default, key, erp, erp_key = (r.PlanRule(1), r.PlanRule(2, customer_class="key"), r.PlanRule(3, category="ERP-"),
                                  r.PlanRule(4, category="ERP-", customer_class="key"))
    rules = [default, key, erp, erp_key]
    assert r.plan_rule_for(rules, model="erp-200", customer_class="key") == erp_key
    assert r.plan_rule_for(rules, model="ERP-200", customer_class="vip") == erp
    assert r.plan_rule_for(rules, model="EL-200", customer_class="key") == key
    assert r.plan_rule_for(rules, model="EL-200", customer_class="vip") == default
    assert r.survey_date(datetime.date(2026, 12, 2)) == datetime.date(2026, 12, 1)
    assert r.survey_date(datetime.date(2026, 11, 30)) is None
