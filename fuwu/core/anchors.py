"""Anchors of the audit chain outside the database (R4.9).

The chain proves that no event was changed in place, but someone with write access to the
database could delete the newest events, or edit one and recompute every later hash, and the
chain would still verify. An anchor records the chain's head (the newest event's id and hash, and
how many events there were) in a file outside the database, signed with a key that is not in the
database either. `verify_audit` then checks the chain against every anchor: an anchored event
that is gone means the record was cut short; one whose hash differs means the chain was rewritten.

The file (`FUWU_AUDIT_ANCHOR_DIR`, default `var/audit-anchors/`) only grows: one JSON line per
anchor. Keep a copy elsewhere (backups, a write-once bucket): an anchor that only lives next to the
database protects less. With `FUWU_AUDIT_ANCHOR_EMAILS` set, each anchor line is also e-mailed
there, through the outbox, as it is written.
"""

import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from fuwu.core.models import AuditEvent
from fuwu.core.outbox import outbox_email

ANCHOR_FILE = "audit-anchors.jsonl"


@dataclass(frozen=True)
class Anchor:
    at: str  # when it was taken, ISO 8601
    event_id: int
    hash: str
    count: int  # events with an id up to event_id


@dataclass(frozen=True)
class AnchorProblem:
    line: int
    reason: str


def _directory() -> Path:
    return Path(settings.FUWU_AUDIT_ANCHOR_DIR)


def _signature(anchor: Anchor) -> str:
    message = json.dumps(asdict(anchor), sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(f"anchor:{settings.FUWU_AUDIT_KEY}".encode(), message, hashlib.sha256).hexdigest()


def anchor_write() -> Anchor | None:
    """Append the chain's current head to the anchor file; None while the record is empty."""
    head = AuditEvent.objects.order_by("-id").values("id", "hash").first()
    if head is None:
        return None
    anchor = Anchor(at=timezone.now().isoformat(), event_id=head["id"], hash=head["hash"],
                    count=AuditEvent.objects.filter(id__lte=head["id"]).count())
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    line = json.dumps({**asdict(anchor), "signature": _signature(anchor)}, sort_keys=True)
    with open(directory / ANCHOR_FILE, "a", encoding="utf-8") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())
    if settings.FUWU_AUDIT_ANCHOR_EMAILS:
        outbox_email(addresses=settings.FUWU_AUDIT_ANCHOR_EMAILS, body=line,
                     subject=f"Fuwu audit anchor: event #{anchor.event_id}, {anchor.count} events",
                     dedupe_key=f"audit-anchor:{anchor.event_id}:{anchor.hash[:16]}")
    return anchor


def anchors_read() -> Iterator[tuple[int, Anchor | AnchorProblem]]:
    """Each line of the anchor file, numbered from 1: an Anchor, or the problem with it."""
    path = _directory() / ANCHOR_FILE
    if not path.exists():
        return
    with open(path, encoding="utf-8") as file:
        for number, text in enumerate(file, start=1):
            try:
                fields = json.loads(text)
                signature = fields.pop("signature")
                anchor = Anchor(**fields)
            except (ValueError, TypeError, KeyError):
                yield number, AnchorProblem(number, "the line cannot be read as an anchor")
                continue
            if not hmac.compare_digest(signature, _signature(anchor)):
                yield number, AnchorProblem(number, "its signature does not match (the anchor was altered)")
                continue
            yield number, anchor


def anchors_check() -> tuple[int, list[AnchorProblem]]:
    """How many anchors agree with the database, and the problems found with the others."""
    agreed, problems = 0, []
    for number, found in anchors_read():
        if isinstance(found, AnchorProblem):
            problems.append(found)
            continue
        event = AuditEvent.objects.filter(pk=found.event_id).values("hash").first()
        if event is None:
            problems.append(AnchorProblem(number, f"event #{found.event_id}, anchored at {found.at}, is missing: "
                                                  "the record was cut short"))
        elif event["hash"] != found.hash:
            problems.append(AnchorProblem(number, f"event #{found.event_id} no longer has the hash anchored at "
                                                  f"{found.at}: the chain was rewritten"))
        elif AuditEvent.objects.filter(id__lte=found.event_id).count() != found.count:
            problems.append(AnchorProblem(number, f"the events up to #{found.event_id} are not the "
                                                  f"{found.count} anchored at {found.at}"))
        else:
            agreed += 1
    return agreed, problems
