"""Periodic follow-ups of delivered products (R8.2) and the December needs survey (新需求管理, R8.3).

`follow_ups_generate` runs daily (`fuwu.followups.tasks`): for every active product with a delivery
date, the plan's dates (`fuwu.followups.rules.plan_dates`, under the plan rule for its category and
its customer's class) from FUWU_FOLLOWUP_CATCH_UP_DAYS ago to today become periodic follow-ups in
the queue, due at the close of that working day; in December each active customer of a class whose
plan rule asks for it gets the year's needs survey, due by FUWU_NEEDS_SURVEY_DUE_DAY. Idempotent: a
unique key per product and plan date (per customer and year for the survey) holds the rows once,
whatever runs twice or at the same time.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fuwu.core.audit import audit_record
from fuwu.customers.models import Customer, CustomerClass, DeliveredProduct
from fuwu.followups import rules as pure
from fuwu.followups.actions._common import active_plan_rules, active_rules, default_calendar
from fuwu.followups.codes import FollowUpAction
from fuwu.followups.models import DueSource, FollowUp, FollowUpKind
from fuwu.standards.businesstime import from_us, to_us


def _day_close(calendar, day: datetime.date, cache: dict) -> datetime.datetime:
    """The close of that day's working hours (of the next working day when it is closed)."""
    if day not in cache:
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        cache[day] = from_us(calendar.end_of_business_day_us(to_us(start)))
    return cache[day]


@transaction.atomic
def follow_ups_generate(*, today: datetime.date, products=None) -> dict[str, int]:
    """Periodic follow-ups and the needs survey due up to `today`; returns how many of each were made.

    `products` narrows the products looked at (the demo's bounded run); by default all of them.
    """
    plan_rules = active_plan_rules()
    max_attempts = pure.rule_for(active_rules(), service_kind="", service_type_id=None).max_attempts
    calendar, closes = default_calendar(), {}
    now = timezone.now()
    start = today - datetime.timedelta(days=settings.FUWU_FOLLOWUP_CATCH_UP_DAYS)
    products = DeliveredProduct.objects.all() if products is None else products
    existing = set(FollowUp.objects.filter(kind=FollowUpKind.PERIODIC, plan_date__gte=start,
                                           plan_date__lte=today).values_list("product_id", "plan_date"))
    rows = []
    for product_id, customer_id, model, delivered_on, customer_class in products.filter(
            is_active=True, delivered_on__isnull=False, delivered_on__lt=today, customer__is_active=True,
    ).values_list("pk", "customer_id", "model", "delivered_on", "customer__customer_class").iterator(chunk_size=5000):
        rule = pure.plan_rule_for(plan_rules, model=model, customer_class=customer_class)
        for day in pure.plan_dates(delivered_on, rule, start=start, end=today):
            if (product_id, day) not in existing:
                rows.append(FollowUp(kind=FollowUpKind.PERIODIC, customer_id=customer_id, product_id=product_id,
                                     plan_date=day, due_at=_day_close(calendar, day, closes), due_source=DueSource.PLAN,
                                     max_attempts=max_attempts, created_at=now))
    # ignore_conflicts: a run at the same time made the same row; the unique key keeps one.
    FollowUp.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    surveys = _needs_surveys(today, plan_rules, calendar, closes, max_attempts, now)
    made = {"periodic": len(rows), "needs_survey": surveys}
    if len(rows) or surveys:
        audit_record(actor=None, action=FollowUpAction.PLANS_GENERATED, obj=None,
                     payload={"day": today.isoformat(), **made})
    return made


def _needs_surveys(today, plan_rules, calendar, closes, max_attempts, now) -> int:
    day = pure.survey_date(today)
    if day is None:
        return 0
    classes = [c for c in CustomerClass.values
               if pure.plan_rule_for(plan_rules, model="", customer_class=c).needs_survey]
    if not classes:
        return 0
    due_day = datetime.date(day.year, 12, max(1, min(28, settings.FUWU_NEEDS_SURVEY_DUE_DAY)))
    due = _day_close(calendar, due_day, closes)
    done = FollowUp.objects.filter(kind=FollowUpKind.NEEDS_SURVEY, plan_date=day).values("customer_id")
    rows = [FollowUp(kind=FollowUpKind.NEEDS_SURVEY, customer_id=pk, plan_date=day, due_at=due,
                     due_source=DueSource.PLAN, max_attempts=max_attempts, created_at=now)
            for pk in Customer.objects.filter(is_active=True, customer_class__in=classes).exclude(
                pk__in=done).order_by("pk").values_list("pk", flat=True)]
    FollowUp.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)
