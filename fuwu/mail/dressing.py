"""Outgoing mail about a request carries its number in the subject ([FW-2026-000123]), for threading replies."""

from fuwu.core.models import OutboxMessage
from fuwu.mail.parser import TAG
from fuwu.tickets.models import Ticket

TICKET_LABEL = Ticket._meta.label_lower


def tag_request_mail(message: OutboxMessage, subject: str, headers: dict) -> str:
    if message.object_type != TICKET_LABEL or not message.object_id.isdigit() or TAG.search(subject):
        return subject
    number = Ticket.objects.filter(pk=int(message.object_id)).values_list("number", flat=True).first()
    return f"[{number}] {subject}" if number else subject
