"""The conversation on a request: replies to the customer and internal notes (R4.8, R4.9).

Entries are never edited. A correction is a new entry that supersedes the old one, which stays
visible, struck through. HTML is sanitised; attachments are checked for size and type.
"""

import nh3
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.locking import lock_row
from fuwu.core.outbox import outbox_notify
from fuwu.core.uploads import sniff_content_type
from fuwu.standards.businesstime import to_us
from fuwu.tickets import rules
from fuwu.tickets.actions._common import _save, _store, _url
from fuwu.tickets.cases import load_case, new_case
from fuwu.tickets.codes import TicketAction, TicketError
from fuwu.tickets.events import ticket_entry_added
from fuwu.tickets.models import Attachment, Entry, Ticket
from fuwu.tickets.workflow import payloads
from fuwu.tickets.workflow.case import Refused

_ADDED = {Entry.Kind.REPLY: TicketAction.REPLY_ADDED, Entry.Kind.NOTE: TicketAction.NOTE_ADDED,
          Entry.Kind.FOLLOW_UP: TicketAction.FOLLOW_UP_ADDED, Entry.Kind.CUSTOMER: TicketAction.CUSTOMER_MESSAGE_ADDED}
ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "a", "blockquote", "code", "pre"}


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}}, link_rel="noopener noreferrer")


def check_attachments(files: list[UploadedFile]) -> list[str]:
    """Each file's media type, from its content (fuwu/core/uploads.py); refuses those too large or not accepted."""
    problems, types = [], []
    for f in files:
        found = sniff_content_type(f) if f.size <= settings.FUWU_ATTACHMENT_MAX_BYTES else None
        if f.size > settings.FUWU_ATTACHMENT_MAX_BYTES:
            problems.append(_("%(name)s is larger than %(mb)d MB.") % {
                "name": f.name, "mb": settings.FUWU_ATTACHMENT_MAX_BYTES // (1024 * 1024)})
        elif found not in settings.FUWU_ATTACHMENT_TYPES:
            problems.append(_("%(name)s is not an accepted file type (pictures, PDF, plain text, Word, Excel or "
                              "ZIP files).") % {"name": f.name})
        types.append(found)
    if problems:
        raise InvalidInput(errors={"attachments": problems})
    return types


@transaction.atomic
def ticket_add_entry(
    *, actor, ticket: Ticket, kind: str, body: str, files: list[UploadedFile] = (), supersedes: Entry | None = None
) -> Entry:
    """Add a reply, note, follow-up or (from the portal) a message from the customer; with
    `supersedes`, a correction of one's own earlier entry. Who may add which kind: `rules.may_add_entry`."""
    locked = lock_row(Ticket.objects.all(), ticket.pk, expected_version=None)
    if not rules.may_add_entry(actor, locked, kind):
        raise PermissionDenied(code=TicketError.FORBIDDEN_ENTRY)
    if kind not in Entry.Kind.values:
        raise InvalidInput(errors={"kind": [_("Choose reply, note or follow-up.")]})
    if kind == Entry.Kind.FOLLOW_UP:
        try:
            new_case(locked).check_follow_up()
        except Refused:
            raise InvalidInput(errors={"kind": [_("A follow-up is recorded after the request is resolved.")]}) from None
    clean = sanitise(body or "").strip()
    if not nh3.clean(clean, tags=set()).strip():
        raise InvalidInput(errors={"body": [_("Write something.")]})
    files = list(files)
    types = check_attachments(files)
    if supersedes is not None:
        if supersedes.ticket_id != locked.pk or supersedes.author_id != actor.pk:
            raise PermissionDenied(code=TicketError.FORBIDDEN_CORRECT_ENTRY)
        if Entry.objects.filter(supersedes=supersedes).exists():
            raise InvalidInput(code=TicketError.ALREADY_CORRECTED,
                               errors={"body": [_("This entry was already corrected.")]})
    now = timezone.now()
    entry = Entry.objects.create(ticket=locked, kind=kind, author=actor, body=clean, created_at=now,
                                 supersedes=supersedes)
    for f, content_type in zip(files, types, strict=True):
        Attachment.objects.create(entry=entry, file=f, name=f.name[:200], size=f.size, content_type=content_type)
    if kind == Entry.Kind.REPLY or (kind == Entry.Kind.FOLLOW_UP and supersedes is None):
        case = load_case(locked)
        if kind == Entry.Kind.REPLY:
            case.respond(to_us(now))
        else:
            case.follow_up(to_us(now))
        _store(locked, case, [], now)
    else:
        _save(locked, [], now)
    action = TicketAction.ENTRY_CORRECTED if supersedes else _ADDED[kind]
    audit_record(actor=actor, action=action, obj=locked, payload=payloads.entry_added(
        entry_id=entry.pk, supersedes=getattr(supersedes, "pk", None), files=[f.name for f in files]))
    ticket_entry_added(actor, locked, entry)
    if locked.owner_id and locked.owner_id != actor.pk:
        outbox_notify(recipients=[locked.owner], subject=lambda: _("New entry on %(t)s") % {"t": locked},
                      url=_url(locked), obj=locked)
    return entry
