"""SLA clocks driven by ticket actions (R10.4, R4.4, R3.3): start, pause, meet, re-evaluate."""

import datetime as dt

import pytest

from fuwu.core.models import AuditEvent
from fuwu.org.models import Group
from fuwu.org.roles import Role
from fuwu.standards.models import ClockKind, SlaTarget
from fuwu.tickets.actions import (
    handover_accept,
    handover_decline,
    ticket_add_entry,
    ticket_change_tier,
    ticket_hand_over,
    ticket_reclassify,
    ticket_record_arrival,
)
from fuwu.tickets.lifecycle import Move
from fuwu.tickets.models import SlaClock
from fuwu.tickets.selectors_sla import ticket_clocks
from tests.factories import RegionFactory, make_staff, make_ticket
from tests.tickets.sla_setup import at, local, policy, weekday_calendar
from tests.tickets.workflow import move, staff_in

pytestmark = pytest.mark.django_db

FR, RES = ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION


def clocks_of(ticket) -> dict[str, SlaClock]:
    return {clock.kind: clock for clock in SlaClock.objects.filter(ticket=ticket).order_by("id")}


@pytest.fixture
def weekdays():
    calendar = weekday_calendar()
    policy("建议处理时限", calendar, {FR: 60, RES: 240, ClockKind.HANDOVER_ACCEPTANCE: 30,
                                   ClockKind.FOLLOW_UP: 120}, service_type="suggestion")
    return calendar


def test_four_working_hours_from_the_eve_of_national_day_fall_due_on_8_october(agent, weekdays):
    with at(local(2026, 9, 30, 17)):
        ticket = make_ticket(agent, "suggestion", channel="email")
    clocks = clocks_of(ticket)
    assert clocks[RES].due_at == local(2026, 10, 8, 12)
    assert clocks[RES].warn_at == local(2026, 10, 8, 11)  # 75 % of four hours
    assert clocks[FR].due_at == local(2026, 9, 30, 18)  # one hour: exactly at closing, not the next morning
    assert clocks[RES].missing_years == []
    ticket.refresh_from_db()
    assert (ticket.sla_due_at, ticket.sla_state) == (local(2026, 9, 30, 18), "running")


def test_a_phone_call_is_answered_as_it_is_taken_and_a_mail_by_the_first_reply(agent, weekdays):
    with at(local(2026, 11, 23, 10)):
        call = make_ticket(agent, "suggestion", channel="phone")
        mail = make_ticket(agent, "suggestion", channel="email")
    assert clocks_of(call)[FR].state == SlaClock.State.MET
    assert clocks_of(mail)[FR].state == SlaClock.State.RUNNING
    with at(local(2026, 11, 23, 10, 20)):
        ticket_add_entry(actor=agent, ticket=mail, kind="reply", body="已收到，我们会尽快处理")
    first = clocks_of(mail)[FR]
    assert (first.state, first.met_at, first.breached_at) == (SlaClock.State.MET, local(2026, 11, 23, 10, 20), None)
    assert first.consumed_seconds == 20 * 60


def test_waiting_for_the_customer_pauses_the_resolution_clock(agent, weekdays):
    with at(local(2026, 11, 23, 10)):  # a Monday
        ticket = make_ticket(agent, "suggestion", channel="email")
    with at(local(2026, 11, 23, 11)):
        ticket = move(agent, ticket, Move.ACCEPT)
        ticket = move(agent, ticket, Move.START)
        ticket = move(agent, ticket, Move.WAIT_CUSTOMER)
    paused = clocks_of(ticket)[RES]
    assert (paused.state, paused.due_at, paused.consumed_seconds) == (SlaClock.State.PAUSED, None, 3600)
    ticket.refresh_from_db()
    assert (ticket.sla_state, ticket.sla_due_at) == ("paused", None)
    with at(local(2026, 11, 24, 9, 30)):  # the next morning: the night and the waiting do not count
        ticket = move(agent, ticket, Move.RESUME)
    resumed = clocks_of(ticket)[RES]
    assert resumed.state == SlaClock.State.RUNNING
    assert resumed.due_at == local(2026, 11, 24, 12, 30)  # three hours left from 9:30
    (pause,) = resumed.pauses.all()
    assert (pause.started_at, pause.ended_at, pause.reason) == (
        local(2026, 11, 23, 11), local(2026, 11, 24, 9, 30), "pending_customer")
    with at(local(2026, 11, 24, 12)):
        ticket = move(agent, ticket, Move.RESOLVE)
    done = clocks_of(ticket)
    assert (done[RES].state, done[RES].breached_at) == (SlaClock.State.MET, None)
    assert done[RES].consumed_seconds == 3600 + 2.5 * 3600
    assert done[ClockKind.FOLLOW_UP].state == SlaClock.State.RUNNING  # follow-up starts at resolution
    assert done[ClockKind.FOLLOW_UP].due_at == local(2026, 11, 24, 14)


def test_the_clocks_as_people_see_them_count_the_time_paused(agent, weekdays):
    with at(local(2026, 11, 23, 10)):
        ticket = make_ticket(agent, "suggestion", channel="email")
    with at(local(2026, 11, 23, 11)):
        for step in (Move.ACCEPT, Move.START, Move.WAIT_CUSTOMER):
            ticket = move(agent, ticket, step)
    with at(local(2026, 11, 23, 13)):
        ticket = move(agent, ticket, Move.RESUME)
    with at(local(2026, 11, 23, 14)):
        ticket = move(agent, ticket, Move.WAIT_CUSTOMER)
    views = {v.clock.kind: v for v in ticket_clocks(ticket, now=local(2026, 11, 23, 14, 30))}
    assert views[RES].paused_for == dt.timedelta(hours=2, minutes=30)  # two hours closed, half an hour still open
    assert views[RES].state == "paused" and views[FR].paused_for == dt.timedelta(0)


def test_a_clock_met_late_records_the_breach_at_its_due_instant(agent, weekdays):
    with at(local(2026, 11, 23, 10)):
        ticket = make_ticket(agent, "suggestion", channel="email")
    with at(local(2026, 11, 24, 16)):
        move(agent, ticket, Move.RESOLVE)
    late = clocks_of(ticket)[RES]
    assert (late.state, late.breached_at, late.met_at) == (
        SlaClock.State.MET, local(2026, 11, 23, 14), local(2026, 11, 24, 16))


def test_the_follow_up_entry_meets_the_follow_up_clock(agent, weekdays):
    with at(local(2026, 11, 23, 10)):
        ticket = make_ticket(agent, "suggestion", channel="email")
        ticket = move(agent, ticket, Move.RESOLVE)
    with at(local(2026, 11, 23, 15)):
        ticket_add_entry(actor=agent, ticket=ticket, kind="follow_up", body="回访：客户对处理结果满意")
    follow_up = clocks_of(ticket)[ClockKind.FOLLOW_UP]
    assert (follow_up.state, follow_up.met_at) == (SlaClock.State.MET, local(2026, 11, 23, 15))


def test_an_accepted_hand_over_meets_its_acceptance_clock_and_a_declined_one_stops_it(agent, weekdays):
    repair = Group.objects.get(code="repair")
    taker = staff_in(Role.TECHNICIAN, "repair")
    with at(local(2026, 11, 23, 10)):
        ticket = make_ticket(agent, "suggestion", channel="email")
        first = ticket_hand_over(actor=agent, ticket=ticket, expected_version=ticket.version, to_group=repair,
                                 note="请维修组上门查看")
    clock = SlaClock.objects.get(handover=first)
    assert (clock.kind, clock.due_at) == (ClockKind.HANDOVER_ACCEPTANCE, local(2026, 11, 23, 10, 30))
    with at(local(2026, 11, 23, 10, 10)):
        handover_decline(actor=taker, handover=first, reason="不属于维修范围")
    clock.refresh_from_db()
    assert clock.state == SlaClock.State.STOPPED
    ticket.refresh_from_db()
    with at(local(2026, 11, 23, 11)):
        second = ticket_hand_over(actor=agent, ticket=ticket, expected_version=ticket.version, to_group=repair,
                                  note="已与客户确认，需要上门")
    with at(local(2026, 11, 23, 11, 40)):
        handover_accept(actor=taker, handover=second)
    accepted = SlaClock.objects.get(handover=second)
    assert (accepted.state, accepted.breached_at) == (SlaClock.State.MET, local(2026, 11, 23, 11, 30))


def test_a_change_of_priority_re_evaluates_the_clocks_and_says_so(agent, weekdays):
    urgent = weekday_calendar("urgent_line", is_24x7=True, observes_statutory_holidays=False)
    policy("紧急建议", urgent, {RES: 120}, service_type="suggestion", priority="urgent")
    with at(local(2026, 11, 27, 17)):  # a Friday, one hour before closing
        ticket = make_ticket(agent, "suggestion", channel="email")
    assert clocks_of(ticket)[RES].due_at == local(2026, 11, 30, 12)
    with at(local(2026, 11, 27, 17, 30)):
        ticket = ticket_reclassify(actor=agent, ticket=ticket, expected_version=ticket.version, priority="urgent",
                                   reason="客户家中漏水，升级为紧急")
    clocks = clocks_of(ticket)
    # 30 working minutes already used; 90 left on the round-the-clock line.
    assert clocks[RES].due_at == local(2026, 11, 27, 19)
    assert clocks[RES].target_id == SlaTarget.objects.get(policy__name="紧急建议").pk
    # The urgent suggestion policy sets no first-response target: the type's policy still does (per clock).
    assert clocks[FR].target.policy.name == "建议处理时限" and clocks[FR].state == SlaClock.State.RUNNING
    event = AuditEvent.objects.filter(action="ticket.reclassified").get()
    assert event.payload["to"]["priority"] == "urgent"
    assert [c["kind"] for c in event.payload["clocks"]] == [RES]


def test_reclassifying_needs_a_change_and_a_reason(agent, weekdays):
    ticket = make_ticket(agent, "suggestion", channel="email")
    from fuwu.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        ticket_reclassify(actor=agent, ticket=ticket, expected_version=ticket.version, priority=ticket.priority,
                          reason="")
    assert set(error.value.errors) == {"service_type", "reason"}


def test_same_day_target_ends_with_the_business_day_or_the_next_one(agent):
    """R10.4 当天事情当天办 on the default consultation policy (service hours Mon–Sun 8–18)."""
    with at(local(2026, 11, 23, 10)):
        morning = make_ticket(agent, "consultation", channel="email")
    with at(local(2026, 9, 30, 19)):  # after hours on the eve of the National Day holiday
        evening = make_ticket(agent, "consultation", channel="email")
    assert clocks_of(morning)[RES].due_at == local(2026, 11, 23, 18)
    assert clocks_of(evening)[RES].due_at == local(2026, 10, 8, 18)


def test_a_year_without_calendar_data_falls_back_to_the_week_and_says_so(agent, weekdays):
    with at(local(2026, 12, 31, 16)):
        ticket = make_ticket(agent, "suggestion", channel="email")
    resolution = clocks_of(ticket)[RES]
    assert resolution.due_at == local(2027, 1, 1, 11)  # New Year's Day is unknown for 2027: a plain Friday
    assert resolution.missing_years == [2027]


def test_on_site_arrival_deadline_depends_on_the_region(agent, weekdays):
    """R4.4: the city and the suburbs have different arrival deadlines."""
    city, suburb = RegionFactory(code="city"), RegionFactory(code="suburb")
    repair_policy = policy("报修上门", weekdays, {ClockKind.ONSITE_ARRIVAL: 480}, service_type="repair")
    SlaTarget.objects.create(policy=repair_policy, kind=ClockKind.ONSITE_ARRIVAL, region=city, minutes=120,
                             calendar=weekdays)
    fields = {"channel": "email", "contact_phone": "13800138000", "site_address": "幸福小区3栋",
              "occurred_since": "昨天"}
    with at(local(2026, 11, 23, 9)):
        in_city = make_ticket(agent, "repair", region_id=city.pk, **fields)
        in_suburb = make_ticket(agent, "repair", region_id=suburb.pk, **fields)
        for ticket in (in_city, in_suburb):
            ticket_change_tier(actor=agent, ticket=ticket, expected_version=ticket.version, tier="onsite",
                               reason="需上门检修")
    assert clocks_of(in_city)[ClockKind.ONSITE_ARRIVAL].due_at == local(2026, 11, 23, 11)
    assert clocks_of(in_suburb)[ClockKind.ONSITE_ARRIVAL].due_at == local(2026, 11, 23, 17)
    in_city.refresh_from_db()
    with at(local(2026, 11, 23, 10, 45)):
        ticket_record_arrival(actor=agent, ticket=in_city, expected_version=in_city.version)
    arrival = clocks_of(in_city)[ClockKind.ONSITE_ARRIVAL]
    assert (arrival.state, arrival.met_at, arrival.breached_at) == (
        SlaClock.State.MET, local(2026, 11, 23, 10, 45), None)
    assert AuditEvent.objects.filter(action="ticket.arrived_on_site", object_id=str(in_city.pk)).exists()


def test_cancelling_stops_every_live_clock(agent, weekdays):
    manager = make_staff(Role.MANAGER)
    ticket = make_ticket(agent, "suggestion", channel="email")
    move(manager, ticket, Move.CANCEL)
    assert set(SlaClock.objects.filter(ticket=ticket).values_list("state", flat=True)) == {SlaClock.State.STOPPED}
    ticket.refresh_from_db()
    assert (ticket.sla_due_at, ticket.sla_state) == (None, "")


def test_a_reopened_request_gets_a_fresh_resolution_clock(agent, weekdays):
    with at(local(2026, 11, 23, 10)):
        ticket = make_ticket(agent, "suggestion", channel="email")
        ticket = move(agent, ticket, Move.RESOLVE)
    with at(local(2026, 11, 24, 10)):
        move(agent, ticket, Move.REOPEN)
    resolution = SlaClock.objects.filter(ticket=ticket, kind=RES).order_by("id")
    assert [c.state for c in resolution] == [SlaClock.State.MET, SlaClock.State.RUNNING]
    assert resolution.last().due_at == local(2026, 11, 24, 14)
    assert SlaClock.objects.get(ticket=ticket, kind=ClockKind.FOLLOW_UP).state == SlaClock.State.STOPPED


def test_unchanged_times_when_no_policy_sets_a_target(agent):
    """A request the policies say nothing about runs no clocks rather than failing."""
    from fuwu.standards.models import SlaPolicy

    SlaPolicy.objects.update(is_active=False)
    ticket = make_ticket(agent, "suggestion", channel="email")
    assert not SlaClock.objects.filter(ticket=ticket).exists()
    ticket.refresh_from_db()
    assert (ticket.sla_due_at, ticket.sla_state) == (None, "")
