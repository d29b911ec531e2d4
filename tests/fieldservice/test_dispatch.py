"""Appointment slots and dispatch ranking (R4.5, R4.6)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fuwu.core.errors import InvalidInput
from fuwu.fieldservice import actions
from fuwu.fieldservice.codes import WorkOrderError
from fuwu.fieldservice.dispatch import dispatch_candidates, technician_slots, working_schedule
from fuwu.fieldservice.slots import Slot, free_slots
from fuwu.org.models import Skill
from fuwu.org.roles import Role
from fuwu.standards.businesstime import Schedule
from tests.factories import make_staff
from tests.fieldservice.conftest import tomorrow_at

SH = ZoneInfo("Asia/Shanghai")
NINE_TO_SIX = ((540, 720), (780, 1080))  # 09:00-12:00, 13:00-18:00
WEEKDAYS = Schedule(timezone="Asia/Shanghai", weekly=(NINE_TO_SIX,) * 5 + ((), ()))
H2, M30 = datetime.timedelta(hours=2), datetime.timedelta(minutes=30)


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=SH)


def slots(schedule=WEEKDAYS, *, first=datetime.date(2026, 12, 7), days=1, bookings=(), not_before=None):
    return [(s.start.strftime("%m-%d %H:%M"), s.end.strftime("%H:%M")) for s in free_slots(
        schedule, first_day=first, days=days, bookings=bookings, length=H2, buffer=M30,
        not_before=not_before or at(1, 0))]


def test_a_free_day_offers_the_working_hours_without_spanning_lunch():
    assert slots() == [("12-07 09:00", "11:00"), ("12-07 13:00", "15:00"), ("12-07 15:00", "17:00")]


def test_a_booking_and_its_travel_buffer_are_left_out():
    taken = [(at(7, 13), at(7, 15))]
    assert slots(bookings=taken) == [("12-07 09:00", "11:00"), ("12-07 15:30", "17:30")]


def test_nothing_before_now_and_nothing_at_the_weekend():
    assert slots(first=datetime.date(2026, 12, 5), days=3, not_before=at(7, 10)) == [
        ("12-07 10:00", "12:00"), ("12-07 13:00", "15:00"), ("12-07 15:00", "17:00")]


def test_any_slot_lies_in_working_hours_and_clear_of_every_booking():
    taken = [(at(7, 10), at(7, 12)), (at(8, 9, 30), at(8, 10)), (at(8, 16), at(8, 18))]
    for s in free_slots(WEEKDAYS, first_day=datetime.date(2026, 12, 7), days=2, bookings=taken, length=H2,
                        buffer=M30, not_before=at(1, 0)):
        minute = s.start.hour * 60 + s.start.minute
        assert any(a <= minute and minute + 120 <= b for a, b in NINE_TO_SIX)
        assert all(s.end + M30 <= start or end + M30 <= s.start for start, end in taken)
    assert Slot(at(7, 9), at(7, 11)) not in list(free_slots(
        WEEKDAYS, first_day=datetime.date(2026, 12, 7), days=1, bookings=taken, length=H2, buffer=M30,
        not_before=at(1, 0)))


@pytest.mark.django_db
def test_the_working_calendar_closes_national_day_and_opens_the_adjusted_saturday():
    """R4.5 with China's calendar: 1 October 2026 is a holiday, Saturday 10 October a working day (调休)
    for technicians who keep office hours."""
    schedule = working_schedule("office")
    holiday = slots(schedule, first=datetime.date(2026, 10, 1), not_before=at(1, 0, month=9))
    saturday = slots(schedule, first=datetime.date(2026, 10, 10), not_before=at(1, 0, month=9))
    assert holiday == []
    assert saturday[0] == ("10-10 09:00", "11:00") and len(saturday) == 3


@pytest.mark.django_db
def test_slots_of_a_technician_leave_out_their_visits(agent, technician, repair):
    with time_machine.travel(at(7, 8), tick=False):
        before = technician_slots(technician.pk, first_day=datetime.date(2026, 12, 8), days=1)
        wo = actions.work_order_open(actor=agent, ticket=repair, expected_version=repair.version, fault="x",
                                     site_address="世纪大道1号", reason="上门")
        actions.work_order_schedule(actor=agent, work_order=wo, expected_version=wo.version, technician=technician,
                                    start=at(8, 9), end=at(8, 11))
        after = technician_slots(technician.pk, first_day=datetime.date(2026, 12, 8), days=1)
    # Standard service hours, 08:00-18:00: five slots, and after a visit at 09:00-11:00 (with travel) three.
    assert len(before) == 5 and [s.start.hour for s in after] == [11, 13, 15]


@pytest.mark.django_db
def test_a_double_booking_is_refused(agent, technician, repair):
    from tests.factories import make_ticket

    first = actions.work_order_open(actor=agent, ticket=repair, expected_version=repair.version, fault="x",
                                    site_address="世纪大道1号", reason="上门")
    actions.work_order_schedule(actor=agent, work_order=first, expected_version=first.version, technician=technician,
                                start=tomorrow_at(9), end=tomorrow_at(11))
    other = make_ticket(agent, service_type="repair", title="漏水", contact_phone="13900000000",
                        site_address="张江路2号", region_id=repair.region_id, occurred_since="昨天")
    second = actions.work_order_open(actor=agent, ticket=other, expected_version=other.version, fault="y",
                                     site_address="张江路2号", reason="上门")
    with pytest.raises(InvalidInput) as exc:
        actions.work_order_schedule(actor=agent, work_order=second, expected_version=second.version,
                                    technician=technician, start=tomorrow_at(11), end=tomorrow_at(13))
    assert exc.value.code == WorkOrderError.DOUBLE_BOOKING  # 11:00 leaves no time to travel


@pytest.mark.django_db
def test_candidates_are_ranked_by_skill_region_workload_with_reasons(agent, repair):
    hvac = Skill.objects.create(code="hvac-test", name="暖通空调")
    skilled = make_staff(Role.TECHNICIAN, full_name="王师傅")
    skilled.profile.skills.add(hvac)
    skilled.profile.region_id = repair.region_id
    skilled.profile.save()
    plain = make_staff(Role.TECHNICIAN, full_name="赵师傅")
    wo = actions.work_order_open(actor=agent, ticket=repair, expected_version=repair.version, fault="x",
                                 site_address="世纪大道1号", reason="上门", skill=hvac)
    ranked = dispatch_candidates(wo)
    assert [c.profile.user_id for c in ranked][:2] == [skilled.pk, plain.pk]
    assert any("暖通空调" in r for r in ranked[0].reasons) and ranked[0].next_slot is not None
    assert ranked[0].score > ranked[1].score
