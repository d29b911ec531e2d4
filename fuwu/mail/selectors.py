"""Reads for e-mail: the sender's contact (R2.3), the request a reply belongs to, failed outgoing mail."""

from django.db.models import F, Q, QuerySet

from fuwu.core.models import OutboxMessage
from fuwu.customers.models import Contact
from fuwu.mail.models import InboundMail
from fuwu.mail.parser import ParsedMail
from fuwu.org.policy import Perm, can
from fuwu.tickets.models import Ticket

TICKET_LABEL = Ticket._meta.label_lower


def contact_for_address(address: str) -> Contact | None:
    """The active contact with this e-mail address, when all such contacts belong to one active customer."""
    contacts = list(Contact.objects.filter(email__iexact=address.strip(), is_active=True, customer__is_active=True)
                    .select_related("customer").order_by("id")[:20])
    if not contacts or len({c.customer_id for c in contacts}) > 1:
        return None  # unknown, or shared by several customers: an agent matches the request
    return contacts[0]


def ticket_for_mail(mail: ParsedMail) -> Ticket | None:
    """The request a mail answers: a Message-ID it refers to (ours or the customer's earlier mail), else the tag."""
    if mail.in_reply_to:
        found = InboundMail.objects.filter(message_id__in=mail.in_reply_to, ticket__isnull=False).values_list(
            "message_id", "ticket_id")
        by_id = dict(found)
        for row in OutboxMessage.objects.filter(message_id__in=mail.in_reply_to, object_type=TICKET_LABEL).values_list(
                "message_id", "object_id"):
            by_id.setdefault(row[0], int(row[1]))
        for message_id in mail.in_reply_to:  # the nearest first
            if message_id in by_id:
                return Ticket.objects.filter(pk=by_id[message_id]).first()
    if mail.tag:
        return Ticket.objects.filter(number=mail.tag).first()
    return None


def undelivered_mail_for(viewer) -> QuerySet[OutboxMessage]:
    """E-mails that failed at least once and are not delivered, dead ones first (administrators)."""
    if not can(viewer, Perm.STAFF_MANAGE):
        return OutboxMessage.objects.none()
    return (OutboxMessage.objects.exclude(email="").filter(delivered_at__isnull=True)
            .filter(Q(attempts__gt=0) | Q(dead_at__isnull=False))
            .order_by(F("dead_at").desc(nulls_last=True), "-id"))
