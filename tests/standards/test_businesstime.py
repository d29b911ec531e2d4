"""Business-time arithmetic (R10.3, R10.4; docs/architecture.md, rule 6): properties and known cases.

The pure module is tested with schedules built in the test; the China cases load the real
statutory days through `fuwu.standards.calendars` (no database rows needed beyond the defaults).
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar.constants as statutory
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuwu.standards.businesstime import (
    CLOSED,
    ROUND_THE_CLOCK,
    BusinessClock,
    NoWorkingTime,
    Schedule,
    format_hours,
    parse_hours,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NINE_TO_SIX = ((9 * 60, 18 * 60),)
LUNCH_BREAK = parse_hours("09:00-12:00, 13:00-18:00")
COVERED = frozenset(range(2004, 2027))  # what chinese-calendar 1.11 knows


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def china_days(workday=NINE_TO_SIX) -> dict[date, tuple]:
    days = {day: CLOSED for day in statutory.holidays}
    days.update({day: workday for day in statutory.workdays})
    return days


def office(hours=NINE_TO_SIX, *, holidays=True) -> BusinessClock:
    """Mon–Fri with China's holidays and adjusted working days (as `schedule_for` builds it)."""
    return BusinessClock(Schedule(
        timezone="Asia/Shanghai", weekly=(hours,) * 5 + (CLOSED, CLOSED),
        days=china_days(hours) if holidays else {}, covered_years=COVERED,
    ))


# --- Properties ------------------------------------------------------------------------------------

# Whole seconds keep the float arithmetic exact, so equality can be asserted without a tolerance.
instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31)).map(
    lambda d: d.replace(microsecond=0, tzinfo=SHANGHAI))
durations = st.integers(min_value=0, max_value=400 * 3600).map(lambda s: timedelta(seconds=s))
CLOCK = office(LUNCH_BREAK)
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(start=instants, a=durations, b=durations)
def test_add_is_monotonic_in_the_duration(start, a, b):
    shorter, longer = sorted((a, b))
    assert CLOCK.add(start, shorter).at <= CLOCK.add(start, longer).at


@PROPERTY_SETTINGS
@given(start=instants, a=durations, b=durations)
def test_add_is_additive(start, a, b):
    assert CLOCK.add(CLOCK.add(start, a).at, b).at == CLOCK.add(start, a + b).at


@PROPERTY_SETTINGS
@given(start=instants, duration=durations)
def test_between_inverts_add(start, duration):
    assert CLOCK.between(start, CLOCK.add(start, duration).at).duration == duration


@PROPERTY_SETTINGS
@given(a=instants, b=instants, c=instants)
def test_between_is_additive_over_a_middle_point(a, b, c):
    first, middle, last = sorted((a, b, c))
    whole = CLOCK.between(first, last).duration
    assert whole == CLOCK.between(first, middle).duration + CLOCK.between(middle, last).duration
    assert CLOCK.between(last, first).duration == -whole


@PROPERTY_SETTINGS
@given(start=instants, duration=durations.filter(lambda d: d > timedelta(0)))
def test_a_positive_duration_ends_in_working_time_or_at_a_closing(start, duration):
    due = CLOCK.add(start, duration).at
    assert CLOCK.is_working(due - timedelta(seconds=1))


# --- Known cases ---------------------------------------------------------------------------------------


def test_four_hours_from_the_eve_of_national_day_end_after_the_holiday():
    # Wed 2026-09-30 17:00: one hour that day, then 1–7 October off; Thu 8 October 9:00 + 3 h.
    assert office().add(at(2026, 9, 30, 17), timedelta(hours=4)) == (at(2026, 10, 8, 12), ())


@pytest.mark.parametrize("saturday", [date(2026, 10, 10), date(2026, 2, 14)])
def test_adjusted_working_saturdays_are_working_days(saturday):
    clock = office()
    assert saturday.weekday() == 5
    assert clock.is_working(at(saturday.year, saturday.month, saturday.day, 10))
    assert not clock.is_working(at(2026, 10, 17, 10))  # an ordinary Saturday
    friday = saturday - timedelta(days=1)
    assert clock.add(at(friday.year, friday.month, friday.day, 17), timedelta(hours=2)).at == at(
        saturday.year, saturday.month, saturday.day, 10)


def test_the_lunch_break_is_not_working_time():
    clock = office(LUNCH_BREAK)
    assert clock.add(at(2026, 11, 24, 11), timedelta(hours=2)).at == at(2026, 11, 24, 14)
    assert clock.add(at(2026, 11, 24, 12, 30), timedelta(minutes=30)).at == at(2026, 11, 24, 13, 30)
    assert clock.between(at(2026, 11, 24, 9), at(2026, 11, 24, 18)).duration == timedelta(hours=8)


def test_round_the_clock_counts_every_hour():
    clock = BusinessClock(Schedule("Asia/Shanghai", (ROUND_THE_CLOCK,) * 7, needs_holiday_data=False))
    assert clock.add(at(2026, 10, 1, 23), timedelta(hours=4)) == (at(2026, 10, 2, 3), ())
    assert clock.add(at(2027, 6, 1), timedelta(hours=1)).missing_years == ()  # ignores holidays: never missing
    assert clock.between(at(2026, 12, 31), at(2027, 1, 1)).duration == timedelta(days=1)


def test_a_start_outside_hours_counts_from_the_next_opening():
    clock = office()
    assert clock.add(at(2026, 11, 24, 6), timedelta(hours=1)).at == at(2026, 11, 24, 10)
    assert clock.add(at(2026, 11, 27, 19), timedelta(hours=1)).at == at(2026, 11, 30, 10)  # Friday evening
    assert clock.between(at(2026, 11, 28, 10), at(2026, 11, 29, 10)).duration == timedelta(0)  # a weekend


def test_a_due_time_at_closing_is_that_closing_not_the_next_morning():
    clock = office()
    assert clock.add(at(2026, 11, 24, 17), timedelta(hours=1)).at == at(2026, 11, 24, 18)
    assert office(LUNCH_BREAK).add(at(2026, 11, 24, 11), timedelta(hours=1)).at == at(2026, 11, 24, 12)


def test_end_of_business_day():
    clock = office(LUNCH_BREAK)
    assert clock.end_of_business_day(at(2026, 11, 24, 10)).at == at(2026, 11, 24, 18)
    assert clock.end_of_business_day(at(2026, 11, 24, 12, 30)).at == at(2026, 11, 24, 18)
    assert clock.end_of_business_day(at(2026, 9, 30, 19)).at == at(2026, 10, 8, 18)


def test_a_year_without_holiday_data_uses_the_weekly_hours_and_says_so():
    clock = office()
    due = clock.add(at(2026, 12, 31, 17), timedelta(hours=4))
    assert due == (at(2027, 1, 1, 12), (2027,))  # 1 January 2027 is counted as a plain Friday
    assert clock.between(at(2027, 2, 1), at(2027, 2, 8)).missing_years == (2027,)
    assert clock.add(at(2026, 11, 24, 9), timedelta(hours=1)).missing_years == ()


def test_a_schedule_that_never_opens_raises_no_working_time():
    clock = BusinessClock(Schedule("Asia/Shanghai", (CLOSED,) * 7))
    with pytest.raises(NoWorkingTime):
        clock.add(at(2026, 11, 24, 9), timedelta(minutes=1))
    with pytest.raises(NoWorkingTime):
        clock.end_of_business_day(at(2026, 11, 24, 9))
    assert clock.between(at(2026, 1, 1), at(2026, 12, 31)).duration == timedelta(0)


def test_a_closed_year_is_skipped_by_end_of_business_day():
    """Regression: the index into an extended timeline is looked up again (it used to skip a day)."""
    days = {date(2026, 1, 1) + timedelta(days=n): CLOSED for n in range(365)}
    clock = BusinessClock(Schedule("Asia/Shanghai", (NINE_TO_SIX,) * 5 + (CLOSED, CLOSED), days, COVERED | {2027}))
    assert clock.end_of_business_day(at(2026, 3, 2, 10)).at == at(2027, 1, 1, 18)
    assert clock.add(at(2026, 3, 2, 10), timedelta(hours=1)).at == at(2027, 1, 1, 10)


def test_negative_durations_are_refused():
    with pytest.raises(ValueError, match="negative"):
        office().add(at(2026, 11, 24, 9), timedelta(hours=-1))


@pytest.mark.parametrize("text", ["9-12", "09:00", "09:00-08:00", "09:00-12:00, 11:00-13:00", "25:00-26:00",
                                  "09:60-10:00", "09:00-24:01"])
def test_bad_hours_are_refused(text):
    with pytest.raises(ValueError):
        parse_hours(text)


def test_hours_round_trip():
    assert parse_hours("13:00-18:00，09:00–12:00") == ((540, 720), (780, 1080))
    assert format_hours(parse_hours("00:00-24:00")) == "00:00-24:00"
    with pytest.raises(ValueError):
        parse_hours("")  # no hours at all is not a time range (actions read a blank day as closed)
