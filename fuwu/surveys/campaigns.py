"""When invitations are made (R9.1).

- **After each service**: `after_service_listener` hears every move of a request
  (`fuwu.tickets.events`, inside the move's transaction). On resolution, the first active
  after-service campaign (by id) whose kinds and types cover the request invites its contact; the
  e-mail with the link goes to the request's contact e-mail. The rule is **one after-service
  invitation per request, ever** (the key `after:t<id>`): a request resolved again after a reopen
  is not asked again, and two campaigns covering the same request do not both ask.
- **Samples**: a monthly or quarterly campaign draws, once per period (`SampleRun`), up to N
  requests resolved in the period just ended, at most one per customer; a yearly campaign draws N
  customers with a request resolved in the past year and asks about the relationship overall. The
  daily job `surveys_sample_daily` draws the periods that have ended and not been drawn.
"""

import datetime
import random

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from fuwu.core.audit import audit_record
from fuwu.customers.models import Contact, Customer
from fuwu.surveys.actions import invitation_create
from fuwu.surveys.codes import SurveyAction
from fuwu.surveys.models import Campaign, CampaignKind, SampleRun
from fuwu.tickets.lifecycle import Move
from fuwu.tickets.models import Ticket


def covers(campaign: Campaign, ticket: Ticket) -> bool:
    kinds = campaign.kind_values()
    types = {t.pk for t in campaign.service_types.all()}
    return (not kinds or ticket.kind in kinds) and (not types or ticket.service_type_id in types)


def after_service_listener(actor, ticket: Ticket, move: str) -> None:
    if move != Move.RESOLVE:
        return
    campaigns = Campaign.objects.filter(kind=CampaignKind.AFTER_SERVICE, is_active=True).select_related(
        "questionnaire").prefetch_related("service_types").order_by("id")
    for campaign in campaigns:
        if covers(campaign, ticket):
            invitation_create(actor=actor, campaign=campaign, dedupe_key=f"after:t{ticket.pk}", ticket=ticket,
                              email=ticket.contact_email)
            return


# Samples ------------------------------------------------------------------------------------------

def period_before(kind: str, day: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """The last whole period of the campaign's kind before `day`: its key, first day and the day after it."""
    if kind == CampaignKind.MONTHLY:
        end = day.replace(day=1)
        start = (end - datetime.timedelta(days=1)).replace(day=1)
        return f"{start:%Y-%m}", start, end
    if kind == CampaignKind.QUARTERLY:
        end = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        last = end - datetime.timedelta(days=1)
        start = datetime.date(last.year, 3 * ((last.month - 1) // 3) + 1, 1)
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}", start, end
    end = datetime.date(day.year, 1, 1)
    return f"{day.year - 1}", datetime.date(day.year - 1, 1, 1), end


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@transaction.atomic
def campaign_draw(*, campaign: Campaign, today: datetime.date) -> SampleRun | None:
    """Draw the sample for the period before `today`, once (None when drawn already). A job: the
    system is the actor; each invitation has its own event, and the draw one more."""
    key, start, end = period_before(campaign.kind, today)
    try:
        with transaction.atomic():
            run = SampleRun.objects.create(campaign=campaign, period=key, drawn_at=timezone.now())
    except IntegrityError:
        return None
    resolved = Ticket.objects.filter(resolved_at__gte=_aware(start), resolved_at__lt=_aware(end),
                                     customer__isnull=False)
    kinds, types = campaign.kind_values(), [t.pk for t in campaign.service_types.all()]
    if kinds:
        resolved = resolved.filter(kind__in=kinds)
    if types:
        resolved = resolved.filter(service_type_id__in=types)
    # One candidate per customer: its latest request resolved in the period (one grouped query).
    latest = list(resolved.order_by().values("customer_id").annotate(last=Max("id")).values_list("customer_id", "last"))
    latest.sort()
    picked = random.Random(f"{campaign.pk}:{key}").sample(latest, min(campaign.sample_size, len(latest)))
    invited = 0
    if campaign.kind == CampaignKind.YEARLY:
        ids = [customer_id for customer_id, _ticket in picked]
        emails, customers = _primary_emails(ids), Customer.objects.in_bulk(ids)
        for customer_id, _ticket in picked:
            name, phone, email = emails.get(customer_id, ("", "", ""))
            invited += invitation_create(
                actor=None, campaign=campaign, dedupe_key=f"c{campaign.pk}:{key}:u{customer_id}",
                customer=customers[customer_id], email=email, contact_name=name, contact_phone=phone) is not None
    else:
        tickets = Ticket.objects.in_bulk([ticket_id for _customer, ticket_id in picked])
        for _customer, ticket_id in picked:
            ticket = tickets[ticket_id]
            invited += invitation_create(actor=None, campaign=campaign, dedupe_key=f"c{campaign.pk}:{key}:t{ticket_id}",
                                         ticket=ticket, email=ticket.contact_email) is not None
    run.invited = invited
    run.save(update_fields=["invited"])
    audit_record(actor=None, action=SurveyAction.SAMPLED, obj=campaign, payload={
        "period": key, "candidates": len(latest), "invited": invited})
    return run


def _primary_emails(customer_ids: list[int]) -> dict[int, tuple[str, str, str]]:
    rows = (Contact.objects.filter(customer_id__in=customer_ids, is_active=True)
            .order_by("customer_id", "-is_primary", "id").values_list("customer_id", "name", "phone", "email"))
    found: dict[int, tuple[str, str, str]] = {}
    for customer_id, name, phone, email in rows:
        found.setdefault(customer_id, (name, phone, email))
    return found


def campaigns_draw_due(*, today: datetime.date | None = None) -> int:
    """Draw every active sampled campaign's last ended period not drawn yet; returns the invitations made."""
    today = today or timezone.localdate()
    made = 0
    for campaign in Campaign.objects.filter(is_active=True).exclude(kind=CampaignKind.AFTER_SERVICE).order_by("id"):
        run = campaign_draw(campaign=campaign, today=today)
        made += run.invited if run else 0
    return made
