"""Demo follow-ups (`manage.py seed_demo`): after-service follow-ups of the demo's resolved requests,
some reached with the customer's satisfaction, some not reached and waiting for another call, some
still due; periodic follow-ups of delivered products; in December the needs survey of key accounts.

On the normal path the requests' year ran through the actions, so their follow-ups already fell due
(the move listener) and most were met by the year's follow-up entries (the entry listener). The bulk
loader (`--fast`) calls no listener: the follow-ups of the recent requests (resolved in the last
RECENT_DAYS, at most RECENT_LIMIT) fall due here through the same action, at their resolution's
instant; plans look at the products of the first PLAN_CUSTOMERS customers. Every row is written by
the actions, at a simulated instant after it fell due, so a 1,000,000-request build stays fast.

A call that writes on a request (the follow-up entry, a reopen) is made after the last event already
on any request, so the requests' audit events stay in time order; calls that do not (not reached,
plans, the survey) keep their own instants. An unsatisfied customer reopens a request still open to
it; otherwise the demo records a middling answer: it opens no complaints, so the requests are the
year's own (complaints from follow-up are in the tests).
"""

import datetime
import random
import time
from collections import Counter
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone

from fuwu.core.models import AuditEvent
from fuwu.customers.models import DeliveredProduct
from fuwu.followups.actions import follow_up_fall_due, follow_ups_generate, followup_record
from fuwu.followups.models import OPEN_VALUES, FollowUp, FollowUpKind, NextStep
from fuwu.org.roles import Role
from fuwu.standards.models import ClockKind
from fuwu.tickets import rules as ticket_rules
from fuwu.tickets.demo import simulated_clock
from fuwu.tickets.lifecycle import Status
from fuwu.tickets.models import SlaClock, Ticket

RECENT_DAYS = 14
RECENT_LIMIT = 400
OPEN_LIMIT = 3000  # open follow-ups called in the demo, the oldest first
PLAN_WEEKS = 8
PLAN_CUSTOMERS = 3000
OPINIONS = {
    5: ["处理及时，非常满意。", "工程师很专业，问题彻底解决了。", "服务态度好，感谢。"],
    4: ["问题已解决，响应稍慢。", "整体满意，希望以后提前电话告知上门时间。"],
    3: ["基本解决，但来回沟通了好几次。", "一般，处理时间偏长。"],
    2: ["问题又出现了，希望再来看看。", "处理结果不理想，设备仍有异响。"],
    1: ["多次报修仍未解决，非常不满意。", "工程师迟到且态度差，要求投诉。"],
}
PERIODIC_OPINIONS = ["设备运行正常，无其他需求。", "近期运行稳定，建议安排一次保养。", "使用正常，询问了延保政策。"]
NEEDS = ["明年计划扩建机房，需要评估 UPS 扩容。", "明年打算更换两台老旧空调机组。",
         "暂无新需求，希望保持现有维保服务。"]
MISSED = ["无人接听", "电话占线", "客户在开会，约稍后再打"]


def _satisfaction(rng: random.Random) -> int:
    return rng.choices([5, 4, 3, 2, 1], weights=[50, 30, 12, 5, 3])[0]


def _missing_follow_ups(now: datetime.datetime) -> int:
    """The bulk-loaded recent requests' follow-ups, fallen due at their resolution as the listener would have."""
    recent = list(Ticket.objects.filter(status__in=[Status.RESOLVED, Status.CLOSED]).order_by("-id")
                  .values_list("pk", flat=True)[:RECENT_LIMIT * 3])
    running = set(SlaClock.objects.filter(ticket_id__in=recent, kind=ClockKind.FOLLOW_UP,
                                          state=SlaClock.State.RUNNING).values_list("ticket_id", flat=True))
    covered = set(FollowUp.objects.filter(ticket_id__in=recent).values_list("ticket_id", flat=True))
    since = now - datetime.timedelta(days=RECENT_DAYS)
    tickets = Ticket.objects.filter(pk__in=running - covered, resolved_at__gte=since).select_related(
        "owner").order_by("resolved_at")[:RECENT_LIMIT]
    made = 0
    with simulated_clock() as clock:
        for ticket in tickets:
            clock["at"] = ticket.resolved_at
            made += follow_up_fall_due(actor=ticket.owner, ticket=ticket) is not None
    return made


class _Floor:
    """The instant after the last event on any request; calls that write on a request come later."""

    def __init__(self) -> None:
        self.at = AuditEvent.objects.filter(object_type="tickets.ticket").aggregate(last=Max("occurred_at"))["last"]

    def after(self, at: datetime.datetime) -> datetime.datetime:
        if self.at is not None and at <= self.at:
            at = self.at + datetime.timedelta(milliseconds=10)
        self.at = at
        return at


def _record(rng: random.Random, agents: list, follow_up: FollowUp, now: datetime.datetime, clock: dict,
            floor: _Floor) -> str:
    """One call on an open follow-up at an instant after it fell due: reached, not reached, or left due."""
    start = max(follow_up.created_at, follow_up.next_attempt_at or follow_up.created_at)
    if start > now - datetime.timedelta(hours=6):
        return "left"
    at = timezone.localtime(start + datetime.timedelta(minutes=rng.randint(30, 2 * 24 * 60)))
    if not 9 <= at.hour < 18:  # calls are made in office hours
        at = (at + datetime.timedelta(days=1 if at.hour >= 18 else 0)).replace(hour=rng.randint(9, 17))
    clock["at"] = min(now, at)
    actor = rng.choice(agents)
    old = follow_up.due_at < now - datetime.timedelta(days=RECENT_DAYS)
    roll = rng.uniform(0.2 if old else 0, 1)  # long past its deadline, it was called by now
    if roll < 0.2:
        return "left"
    if roll < 0.4:
        followup_record(actor=actor, follow_up=follow_up, expected_version=follow_up.version, reached=False,
                        note=rng.choice(MISSED))
        return "not reached"
    if follow_up.kind == FollowUpKind.NEEDS_SURVEY:
        followup_record(actor=actor, follow_up=follow_up, expected_version=follow_up.version, reached=True,
                        opinion=rng.choice(NEEDS))
        return "reached"
    satisfaction = _satisfaction(rng) if follow_up.kind == FollowUpKind.AFTER_SERVICE else rng.choice([3, 4, 5])
    next_step = NextStep.NONE
    if follow_up.ticket_id:
        clock["at"] = floor.after(clock["at"])  # it writes on the request
    if satisfaction <= 2:
        if follow_up.ticket.status == Status.RESOLVED and ticket_rules.reopen_window_open(follow_up.ticket):
            next_step = NextStep.REOPEN
        else:
            satisfaction = 3
    opinion = rng.choice(OPINIONS[satisfaction] if follow_up.kind == FollowUpKind.AFTER_SERVICE else PERIODIC_OPINIONS)
    followup_record(actor=actor, follow_up=follow_up, expected_version=follow_up.version, reached=True,
                    opinion=opinion, satisfaction=satisfaction, next_step=next_step)
    return "reopened" if next_step == NextStep.REOPEN else "reached"


def seed_follow_ups(*, seed: int, fast: bool = False, log: Callable[[str], None] | None = None) -> dict:
    """Follow-ups for the demo's requests and products; returns what was done, counted."""
    started = time.perf_counter()
    rng = random.Random(seed)
    now, today = timezone.now(), timezone.localdate()  # read before the simulated clock moves
    agents = list(get_user_model().objects.filter(profile__roles__code=Role.AGENT, is_active=True,
                                                  profile__is_active=True).order_by("pk"))
    if not agents:
        return {}
    done: Counter = Counter({"fell due": _missing_follow_ups(now)})
    # Plans: the daily job as it ran each week of the last PLAN_WEEKS (its catch-up week covers the days between).
    products = DeliveredProduct.objects.filter(customer_id__in=list(
        DeliveredProduct.objects.order_by("customer_id").values_list("customer_id", flat=True).distinct()[
            :PLAN_CUSTOMERS])) if fast else None
    with simulated_clock() as clock:
        for weeks in range(PLAN_WEEKS, -1, -1):
            day = today - datetime.timedelta(weeks=weeks)
            clock["at"] = min(now, timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 30))))
            made = follow_ups_generate(today=day, products=products)
            done.update({"periodic": made["periodic"], "needs survey": made["needs_survey"]})
        opened = list(FollowUp.objects.filter(state__in=OPEN_VALUES).select_related("ticket", "customer")
                      .order_by("created_at", "pk")[:OPEN_LIMIT])
        floor = _Floor()
        for follow_up in opened:
            done[_record(rng, agents, follow_up, now, clock, floor)] += 1
        # A second call on some of those not reached the first time.
        for follow_up in FollowUp.objects.filter(state="retry").select_related("ticket").order_by("pk")[:100]:
            done[f"{_record(rng, agents, follow_up, now, clock, floor)} (again)"] += 1
    if log is not None:
        summary = ", ".join(f"{what} {n}" for what, n in sorted(done.items()) if n)
        log(f"Follow-ups in {time.perf_counter() - started:.1f} s: {summary}.")
    return dict(done)
