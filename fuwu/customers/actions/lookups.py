"""Looking customers up by phone number: rate-limited per login and recorded (R2.2, R2.3).

A number typed into a search says whether it belongs to a customer, even to a viewer who sees
numbers masked, so guessing numbers one by one would recover them. Every lookup by number is
recorded (who, when, the number masked), and each login may make only so many an hour:
`FUWU_PHONE_LOOKUPS_PER_HOUR` for those who take calls and see numbers in clear, the much lower
`FUWU_MASKED_PHONE_LOOKUPS_PER_HOUR` for everyone else. Call it before the lookup.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fuwu.core.errors import RateLimited
from fuwu.customers.identifiers import mask_phone
from fuwu.customers.models import PhoneLookup
from fuwu.customers.selectors import PiiPolicy


@transaction.atomic
def phone_lookup_record(*, actor, phone: str) -> PhoneLookup:
    """Record one lookup of `phone` (normalised) by `actor`, or raise `RateLimited` over the hourly limit."""
    limit = (settings.FUWU_PHONE_LOOKUPS_PER_HOUR if PiiPolicy.for_user(actor).phone_clear
             else settings.FUWU_MASKED_PHONE_LOOKUPS_PER_HOUR)
    now = timezone.now()
    recent = PhoneLookup.objects.filter(user=actor, occurred_at__gt=now - timedelta(hours=1))
    if recent[:limit].count() >= limit:
        raise RateLimited(data={"limit_per_hour": limit})
    return PhoneLookup.objects.create(user=actor, occurred_at=now, phone_masked=mask_phone(phone))
