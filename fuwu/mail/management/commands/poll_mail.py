"""`manage.py poll_mail`: fetch unseen messages from FUWU_IMAP_URL once (docs/operations.md, "E-mail")."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fuwu.mail.imap import poll


class Command(BaseCommand):
    help = "Fetch the unseen messages of the IMAP mailbox in FUWU_IMAP_URL and receive each."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="", help="imap(s)://user:password@host/MAILBOX (default: FUWU_IMAP_URL)")

    def handle(self, *args, url="", **options):
        url = url or settings.FUWU_IMAP_URL
        if not url:
            raise CommandError("Set FUWU_IMAP_URL (or pass --url).")
        result = poll(url)
        self.stdout.write(f"received {result.received}, unreadable {result.unreadable}")
