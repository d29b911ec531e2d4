"""Booking and dispatch reads (R4.5, R4.6): a technician's free slots and the candidates for a work
order, ranked with their reasons. The slot arithmetic is pure (`fuwu/fieldservice/slots.py`); this
module loads the calendar and the bookings.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.fieldservice import rules
from fuwu.fieldservice.models import Visit, WorkOrder
from fuwu.fieldservice.selectors import field_technicians
from fuwu.fieldservice.slots import Slot, clashes, free_slots
from fuwu.org.models import Profile
from fuwu.standards.businesstime import Schedule
from fuwu.standards.calendars import schedule_for
from fuwu.standards.models import ServiceCalendar

SLOT_LENGTH = datetime.timedelta(hours=2)
TRAVEL_BUFFER = datetime.timedelta(minutes=30)
LOOK_AHEAD_DAYS = 7
CANDIDATE_DAYS = 5  # how far ahead the booking page looks for each candidate's free slots


def working_schedule(code: str | None = None) -> Schedule:
    """The field technicians' working calendar (`FUWU_FIELD_CALENDAR`, by default the standard
    service hours), with its statutory holidays and adjusted working days."""
    calendar = ServiceCalendar.objects.filter(code=code or settings.FUWU_FIELD_CALENDAR, is_active=True).first()
    if calendar is None:
        calendar = ServiceCalendar.objects.filter(is_active=True, is_24x7=False).order_by("pk").first()
    return schedule_for(calendar)


Booking = tuple[datetime.datetime, datetime.datetime]


def bookings_of(technician_ids: list[int], *, since: datetime.datetime, until: datetime.datetime,
                except_work_order: int | None = None) -> dict[int, list[Booking]]:
    """The planned and ongoing visits of each technician overlapping [since, until), in one query."""
    visits = Visit.objects.filter(technician_id__in=technician_ids, outcome="", window_end__gt=since,
                                  window_start__lt=until)
    if except_work_order is not None:
        visits = visits.exclude(work_order_id=except_work_order)
    taken: dict[int, list[Booking]] = {pk: [] for pk in technician_ids}
    for technician_id, start, end in visits.values_list("technician_id", "window_start", "window_end"):
        taken[technician_id].append((start, end))
    return taken


def _window(first_day: datetime.date, days: int) -> tuple[datetime.datetime, datetime.datetime]:
    """From the first day's midnight to the end of the last, widened by the journey on both sides."""
    since = datetime.datetime.combine(first_day, datetime.time.min, tzinfo=timezone.get_current_timezone())
    return since - TRAVEL_BUFFER, since + datetime.timedelta(days=days) + TRAVEL_BUFFER


def _free(schedule: Schedule, taken: list[Booking], first_day: datetime.date, days: int) -> list[Slot]:
    return list(free_slots(schedule, first_day=first_day, days=days, bookings=taken, length=SLOT_LENGTH,
                           buffer=TRAVEL_BUFFER, not_before=timezone.now()))


def technician_slots(technician_id: int, *, first_day: datetime.date | None = None, days: int = LOOK_AHEAD_DAYS,
                     except_work_order: int | None = None, schedule: Schedule | None = None) -> list[Slot]:
    """The free appointment slots of one technician from `first_day` (today) for `days` days."""
    first_day = first_day or timezone.localdate()
    since, until = _window(first_day, days)
    taken = bookings_of([technician_id], since=since, until=until, except_work_order=except_work_order)
    return _free(schedule or working_schedule(), taken[technician_id], first_day, days)


def is_double_booking(technician_id: int, start: datetime.datetime, end: datetime.datetime,
                      except_work_order: int | None) -> bool:
    taken = bookings_of([technician_id], since=start - TRAVEL_BUFFER, until=end + TRAVEL_BUFFER,
                        except_work_order=except_work_order)
    return clashes(Slot(start, end), taken[technician_id], TRAVEL_BUFFER)


@dataclass
class Candidate:
    profile: Profile
    score: float
    open_orders: int
    slots: list[Slot]  # free in the next CANDIDATE_DAYS days, earliest first
    reasons: list[str] = field(default_factory=list)

    @property
    def next_slot(self) -> Slot | None:
        return self.slots[0] if self.slots else None


def dispatch_candidates(work_order: WorkOrder, *, limit: int = 8) -> list[Candidate]:
    """Technicians for a work order, best first (R4.6): the skill it needs, the region of the site,
    the open work they carry and how soon they are free, each with the reasons shown."""
    profiles = list(field_technicians().prefetch_related("skills").annotate(open_orders=Count(
        "user__work_orders", distinct=True, filter=Q(user__work_orders__status__in=rules.OPEN_VALUES))))
    first_day = timezone.localdate()
    since, until = _window(first_day, CANDIDATE_DAYS)
    taken = bookings_of([p.user_id for p in profiles], since=since, until=until, except_work_order=work_order.pk)
    schedule = working_schedule()
    candidates = []
    for profile in profiles:
        score, reasons = 0.0, []
        if work_order.skill_id:
            if any(s.pk == work_order.skill_id for s in profile.skills.all()):
                score += 3
                reasons.append(_("has the skill: %(skill)s") % {"skill": work_order.skill})
            else:
                reasons.append(_("lacks the skill: %(skill)s") % {"skill": work_order.skill})
        if work_order.region_id and profile.region_id == work_order.region_id:
            score += 2
            reasons.append(_("works in %(region)s") % {"region": profile.region})
        score -= 0.5 * profile.open_orders
        reasons.append(_("%(n)s open work orders") % {"n": profile.open_orders})
        slots = _free(schedule, taken[profile.user_id], first_day, CANDIDATE_DAYS)
        if not slots:
            score -= 3
            reasons.append(_("no free slot in the next %(days)s days") % {"days": CANDIDATE_DAYS})
        else:
            hours_away = max(0.0, (slots[0].start - timezone.now()).total_seconds() / 3600)
            score += max(0.0, 2 - hours_away / 24)
            reasons.append(_("free from %(at)s") % {"at": timezone.localtime(slots[0].start).strftime("%m-%d %H:%M")})
        candidates.append(Candidate(profile, round(score, 2), profile.open_orders, slots, reasons))
    candidates.sort(key=lambda c: (-c.score, c.next_slot.start if c.next_slot else timezone.now() + datetime.timedelta(
        days=365), c.profile.employee_no or ""))
    return candidates[:limit]
