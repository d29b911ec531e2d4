"""Looking customers up by phone number, for viewers who see numbers masked (R2.2, R2.3).

A number typed into a lookup or a search says whether it belongs to a customer, even to a viewer
who sees numbers masked (finance, the quality supervisor), so guessing numbers one by one would
recover them. For those viewers every lookup by number is recorded (who, when, the number masked)
and only `FUWU_MASKED_PHONE_LOOKUPS_PER_HOUR` are allowed per login and hour. Viewers who see
numbers in clear (those who take calls) learn nothing from a lookup that their customer list does
not already show them, so their lookups, the hotline's hot path, cost nothing extra. Call it
before the lookup.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fuwu.core.errors import RateLimited
from fuwu.customers.identifiers import mask_phone
from fuwu.customers.models import PhoneLookup
from fuwu.customers.selectors import PiiPolicy


def phone_lookup_record(*, actor, phone: str) -> PhoneLookup | None:
    """Record a lookup of `phone` (normalised) by a masked viewer, or raise `RateLimited` over the limit."""
    if PiiPolicy.for_user(actor).phone_clear:
        return None
    limit = settings.FUWU_MASKED_PHONE_LOOKUPS_PER_HOUR
    with transaction.atomic():
        now = timezone.now()
        recent = PhoneLookup.objects.filter(user=actor, occurred_at__gt=now - timedelta(hours=1))
        if recent[:limit].count() >= limit:
            raise RateLimited(data={"limit_per_hour": limit})
        return PhoneLookup.objects.create(user=actor, occurred_at=now, phone_masked=mask_phone(phone))
