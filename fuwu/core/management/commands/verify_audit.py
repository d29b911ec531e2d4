"""Recompute the audit chain and name the first broken link (R4.9). Exits non-zero on a break."""

import sys

from django.core.management.base import BaseCommand, CommandError

from fuwu.core.audit import ChainBreak, verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit record; exit 1 and name the first broken event."

    def handle(self, *args, **options):
        checked = 0
        for step in verify_chain():
            if isinstance(step, ChainBreak):
                raise CommandError(
                    f"Audit chain broken at event #{step.event_id}: {step.reason} "
                    f"({checked} events before it are intact).",
                    returncode=1,
                )
            checked = step
            if sys.stderr.isatty():
                self.stderr.write(f"\r{checked} events checked", ending="")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} events verified."))
