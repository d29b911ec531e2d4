"""Customer care (R8.3): greetings, usage tips and benefits for long-standing customers, queued as
outbox e-mails to the active contacts with an e-mail address, once per message, period and customer.

A message with a month is sent once that year, from its day of that month on; one without, once a
month from its day on. The daily job (`fuwu.followups.tasks`) catches up a day it missed within the
period; the outbox's dedupe key (``care:<message>:<period>:<customer>``) makes a second run send nothing.
"""

import datetime

from django.db import transaction

from fuwu.core.audit import audit_record
from fuwu.core.models import OutboxMessage
from fuwu.core.outbox import outbox_email
from fuwu.customers.models import Contact
from fuwu.followups.codes import FollowUpAction
from fuwu.followups.models import CareMessage


def care_period(message: CareMessage, today: datetime.date) -> str | None:
    """The period the message is due in today ("2026" or "2026-12"), or None when it is not due."""
    if message.month and message.month != today.month:
        return None
    if today.day < message.day:
        return None
    return f"{today.year}" if message.month else f"{today:%Y-%m}"


def _fill(text: str, customer: str, contact: str) -> str:
    return text.replace("{customer}", customer).replace("{contact}", contact)


@transaction.atomic
def care_send_due(*, today: datetime.date) -> int:
    """Queue the care messages due today; returns how many e-mails were queued."""
    queued = 0
    for message in CareMessage.objects.filter(is_active=True).order_by("pk"):
        period = care_period(message, today)
        if period is None:
            continue
        prefix = f"care:{message.pk}:{period}:"
        sent = {key.split(":")[3] for key in OutboxMessage.objects.filter(
            dedupe_key__startswith=prefix).values_list("dedupe_key", flat=True)}
        contacts = Contact.objects.filter(is_active=True, customer__is_active=True).exclude(email="")
        if message.customer_class:
            contacts = contacts.filter(customer__customer_class=message.customer_class)
        if message.min_years:
            since = today.replace(year=today.year - message.min_years, day=min(today.day, 28))
            contacts = contacts.filter(customer__created_at__date__lte=since)
        count = 0
        for customer_id, customer, name, email in contacts.order_by("customer_id", "id").values_list(
                "customer_id", "customer__name", "name", "email"):
            if str(customer_id) in sent:
                continue
            count += len(outbox_email(addresses=[email], subject=_fill(message.subject, customer, name),
                                      body=_fill(message.body, customer, name), dedupe_key=f"{prefix}{customer_id}"))
        if count:
            audit_record(actor=None, action=FollowUpAction.CARE_SENT, obj=message,
                         payload={"period": period, "emails": count})
        queued += count
    return queued
