"""Recompute the audit chain, check it against its anchors and name what is wrong (R4.9).

Exits 1 on a broken link or on an anchor the database no longer agrees with (fuwu/core/anchors.py).
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from fuwu.core.anchors import anchors_check
from fuwu.core.audit import ChainBreak, verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit record and its anchors; exit 1 and say what is wrong."

    def handle(self, *args, **options):
        checked = 0
        for step in verify_chain():
            if isinstance(step, ChainBreak):
                raise CommandError(
                    f"Audit chain broken at event #{step.event_id}: {step.reason} "
                    f"({step.intact} events before it are intact).",
                    returncode=1,
                )
            checked = step
            if sys.stderr.isatty():
                self.stderr.write(f"\r{checked} events checked", ending="")
        agreed, problems = anchors_check()
        if problems:
            lines = "\n".join(f"  anchor line {p.line}: {p.reason}" for p in problems)
            raise CommandError(
                f"The chain of {checked} events verifies, but {len(problems)} anchor(s) disagree:\n{lines}",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(
            f"Audit chain intact: {checked} events verified, {agreed} anchor(s) agree."))
