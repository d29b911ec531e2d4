"""`manage.py receive_mail < message.eml`: one message on stdin, for an MTA pipe (docs/operations.md, "E-mail").

Exit 0 once the message is stored (a second delivery of the same mail too); exit 1 with the reason on
stderr when it cannot be read, so the MTA bounces or keeps it.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from fuwu.core.errors import FuwuError
from fuwu.mail.actions import mail_receive


class Command(BaseCommand):
    help = "Receive one e-mail from standard input: open a request, add it to its request, or record it."

    def handle(self, *args, **options):
        raw = sys.stdin.buffer.read()
        try:
            inbound = mail_receive(raw=raw)
        except FuwuError as exc:
            detail = " ".join(str(m) for msgs in getattr(exc, "errors", {}).values() for m in msgs) or str(exc)
            raise CommandError(detail) from None
        ticket = inbound.ticket.number if inbound.ticket else "-"
        state = "duplicate" if inbound.duplicate else inbound.outcome
        self.stdout.write(f"{inbound.message_id} {state} {ticket}")
