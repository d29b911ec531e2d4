"""E-mail actions (docs/architecture.md, rule 1): receiving one message, mailing a reply, sending a dead one again."""

import hashlib
import html
import logging
from datetime import timedelta

import nh3
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import FuwuError, InvalidInput, PermissionDenied
from fuwu.core.locking import lock_row
from fuwu.core.models import OutboxMessage
from fuwu.core.outbox import mail_domain, outbox_email, outbox_wake
from fuwu.core.templatetags.fuwu import join_list
from fuwu.core.uploads import sniff_content_type
from fuwu.mail import parser
from fuwu.mail.codes import MailAction, MailError
from fuwu.mail.models import InboundMail, Outcome
from fuwu.mail.selectors import contact_for_address, ticket_for_mail
from fuwu.org import actions as org_actions
from fuwu.org.policy import Perm, require, roles_of
from fuwu.org.roles import Role
from fuwu.standards.models import Channel, ServiceType
from fuwu.tickets.actions import ticket_add_entry, ticket_link_repeat, ticket_register
from fuwu.tickets.models import Entry, Ticket
from fuwu.tickets.validation import TicketInput

logger = logging.getLogger(__name__)
# At most this many acknowledgements to one address an hour: a robot that answers without saying
# so (no Auto-Submitted) and without In-Reply-To cannot start an endless exchange with us.
ACKS_PER_SENDER_PER_HOUR = 5


def mail_actor():
    """The login that takes requests from e-mail (FUWU_MAIL_ACTOR): an agent with no password, made once.

    It is the first-responsible person of a request opened from mail until an agent takes it over,
    as the auto-close job is the system; it cannot log in.
    """
    User = get_user_model()
    user = User.objects.filter(username=settings.FUWU_MAIL_ACTOR).first()
    if user is None:
        try:
            with transaction.atomic():  # two first mails at once: one makes the login, the other uses it
                profile = org_actions.staff_create(actor=None, username=settings.FUWU_MAIL_ACTOR, password=None,
                                                   full_name=_("E-mail intake"), roles=[Role.AGENT])
        except (IntegrityError, InvalidInput):
            return User.objects.get(username=settings.FUWU_MAIL_ACTOR)
        user = User.objects.get(pk=profile.user_id)
    return user


def _body_html(mail: parser.ParsedMail) -> str:
    """The body as the conversation keeps it: plain text escaped into paragraphs, or HTML sanitised."""
    if mail.text:
        return linebreaks(html.escape(mail.text))
    return mail.html


def _body_text(mail: parser.ParsedMail) -> str:
    if mail.text:
        return mail.text
    return html.unescape(nh3.clean(mail.html.replace("<br", "\n<br").replace("</p>", "</p>\n"), tags=set())).strip()


def _files(mail: parser.ParsedMail) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The attachments the tickets accept (typed from content), and the names of those refused."""
    kept, refused = [], []
    for item in mail.attachments:
        upload = SimpleUploadedFile(item.name, item.content)
        if len(item.content) <= settings.FUWU_ATTACHMENT_MAX_BYTES and \
                sniff_content_type(upload) in settings.FUWU_ATTACHMENT_TYPES:
            kept.append(upload)
        else:
            refused.append(item.name)
    return kept, refused


def mail_receive(*, actor=None, raw: bytes) -> InboundMail:
    """Take one received message (R3.1): record it once, then open a request, thread it, or leave it.

    An auto-reply or bulk mail and our own mail come back are recorded and never answered. A reply
    (In-Reply-To / References naming a mail of a request, or the [FW-2026-000123] tag in the
    subject) is added to its request. Anything else opens a request on the e-mail channel, with the
    customer found by the sender's address (R2.3) or none for an agent to match, and the sender gets
    an acknowledgement with the request's number. The same Message-ID a second time returns the
    first row and does nothing (`duplicate` is set on it).
    """
    try:
        mail = parser.parse(raw)
    except parser.Unreadable as exc:
        raise InvalidInput(code=MailError.UNREADABLE, errors={"raw": [_("This is not an e-mail that can be read: "
                                                                        "%(why)s.") % {"why": exc}]}) from None
    return _receive(actor, mail, raw)


@transaction.atomic
def _receive(actor, mail: parser.ParsedMail, raw: bytes) -> InboundMail:
    """The action's one transaction (reading the bytes needs no database)."""
    existing = InboundMail.objects.filter(message_id=mail.message_id).first()
    if existing is not None:
        existing.duplicate = True
        return existing
    actor = actor or mail_actor()
    require(actor, Perm.TICKET_WORK)
    inbound = InboundMail(message_id=mail.message_id, from_address=mail.from_address, from_name=mail.from_name,
                          subject=mail.subject, received_at=timezone.now(), size=len(raw),
                          sha256=hashlib.sha256(raw).hexdigest(), in_reply_to=(mail.in_reply_to or [""])[0][:250])
    ticket = ticket_for_mail(mail)
    if parser.is_loop(mail, our_domain=mail_domain()):
        inbound.outcome = Outcome.LOOP
    elif parser.is_automatic(mail):
        inbound.outcome = Outcome.AUTO_REPLY
    elif ticket is not None:
        inbound.outcome = Outcome.THREADED
    else:
        inbound.outcome = Outcome.OPENED
    try:
        with transaction.atomic():  # a concurrent delivery of the same mail: the first one wins
            inbound.ticket = ticket if inbound.outcome != Outcome.OPENED else None
            inbound.save(force_insert=True)
    except IntegrityError:
        existing = InboundMail.objects.get(message_id=mail.message_id)
        existing.duplicate = True
        return existing
    if inbound.outcome == Outcome.THREADED:
        _thread(actor, ticket, mail)
    elif inbound.outcome == Outcome.OPENED:
        inbound.ticket = _open(actor, mail)
        inbound.save(update_fields=["ticket"])
    audit_record(actor=actor, action=MailAction.RECEIVED, obj=inbound, payload={
        "message_id": inbound.message_id, "from": inbound.from_address, "outcome": inbound.outcome,
        "ticket": inbound.ticket.number if inbound.ticket else None})
    inbound.duplicate = False
    return inbound


def _open(actor, mail: parser.ParsedMail) -> Ticket:
    service_type = ServiceType.objects.filter(code=settings.FUWU_MAIL_SERVICE_TYPE, is_active=True).first()
    if service_type is None:
        raise InvalidInput(code=MailError.NO_SERVICE_TYPE, errors={"service_type_id": [
            _("The service type for e-mail requests (%(code)s) does not exist.") % {
                "code": settings.FUWU_MAIL_SERVICE_TYPE}]})
    contact = contact_for_address(mail.from_address)
    text = _body_text(mail)
    contact_name = (contact.name if contact else "") or mail.from_name or mail.from_address
    ticket = ticket_register(actor=actor, data=TicketInput(
        service_type_id=service_type.pk,
        title=parser.TAG.sub("", mail.subject).strip()[:200] or _("E-mail without subject"),
        contact_name=contact_name[:100], contact_email=mail.from_address, channel=Channel.EMAIL,
        description=text, customer_id=contact.customer_id if contact else None,
        region_id=contact.customer.region_id if contact else None))
    files, refused = _files(mail)
    if files or refused:
        note = _("Attachments of the e-mail from %(from)s.") % {"from": mail.from_address}
        if refused:
            note += " " + _("Not kept (type or size not accepted): %(names)s.") % {"names": join_list(refused)}
        ticket_add_entry(actor=actor, ticket=ticket, kind=Entry.Kind.NOTE, body=html.escape(note), files=files)
    recent = InboundMail.objects.filter(from_address=mail.from_address, outcome=Outcome.OPENED,
                                        received_at__gte=timezone.now() - timedelta(hours=1)).count()
    if recent > ACKS_PER_SENDER_PER_HOUR:
        logger.warning("No acknowledgement to %s: %s requests opened by mail in the last hour", mail.from_address,
                       recent)
        return ticket
    body = _("We have received your message and registered it as request %(number)s. Please keep the number "
             "in the subject when you reply.") % {"number": ticket.number}
    outbox_email(addresses=[mail.from_address], subject=_("Received: %(subject)s") % {"subject": ticket.title},
                 body=body, dedupe_key=f"mail-ack:{ticket.pk}", obj=ticket,
                 headers={"In-Reply-To": mail.message_id, "References": mail.message_id,
                          "Auto-Submitted": "auto-replied"})
    return ticket


def _thread(actor, ticket: Ticket, mail: parser.ParsedMail) -> None:
    """The customer's mail as their message on the request (shown in the portal too, and its owner is
    told); a repeat contact when the request no longer takes messages."""
    files, refused = _files(mail)
    header = _("E-mail from %(from)s: %(subject)s") % {"from": mail.from_address, "subject": mail.subject}
    body = f"<p>{html.escape(header)}</p>{_body_html(mail)}"
    if refused:
        body += "<p>" + html.escape(_("Not kept (type or size not accepted): %(names)s.") % {
            "names": join_list(refused)}) + "</p>"
    try:
        with transaction.atomic():
            ticket_add_entry(actor=actor, ticket=ticket, kind=Entry.Kind.CUSTOMER, body=body, files=files)
    except (PermissionDenied, InvalidInput):
        # Recorded as the customer contacting us again (R3.4) where that is still possible.
        try:
            with transaction.atomic():
                ticket_link_repeat(actor=actor, ticket=ticket, channel=Channel.EMAIL,
                                   note=f"{header}\n\n{_body_text(mail)}"[:4000])
        except FuwuError:
            logger.warning("Mail %s could not be added to %s", mail.message_id, ticket.number)


@transaction.atomic
def outbox_retry(*, actor, message: OutboxMessage) -> OutboxMessage:
    """Send a failed or dead e-mail again at once, with a fresh count of attempts (administrators)."""
    require(actor, Perm.STAFF_MANAGE)
    locked = lock_row(OutboxMessage.objects.all(), message.pk, expected_version=None)
    if locked.delivered_at is not None or not locked.email:
        raise InvalidInput(code=MailError.NOT_FAILED, errors={"message": [
            _("Only an undelivered e-mail can be sent again.")]})
    before = {"attempts": locked.attempts, "dead": locked.dead_at is not None, "last_error": locked.last_error}
    locked.attempts, locked.dead_at, locked.next_attempt_at = 0, None, None
    locked.save(update_fields=["attempts", "dead_at", "next_attempt_at"])
    audit_record(actor=actor, action=MailAction.OUTBOX_RETRIED, obj=locked,
                 payload={"to": locked.email, "subject": locked.subject, "before": before})
    outbox_wake()
    return locked


def _plain_text(body_html: str) -> str:
    """A reply's sanitised HTML as the text of an e-mail: paragraphs and line breaks kept, tags dropped."""
    text = body_html.replace("<br>", "\n").replace("</p>", "\n\n").replace("</li>", "\n")
    return html.unescape(nh3.clean(text, tags=set())).strip()


def ticket_reply_mail(actor, ticket: Ticket, entry: Entry) -> None:
    """Mail a staff member's reply to the request's contact, threaded with the customer's last mail (R3.1).

    A listener of `fuwu.tickets.events`: it runs inside `ticket_add_entry`'s transaction, so the
    mail is queued if and only if the reply is stored. Notes and the customer's own entries are not
    mailed; the subject carries the request's number, so the answer threads back (`ticket_for_mail`).
    """
    if entry.kind != Entry.Kind.REPLY or not ticket.contact_email or not settings.FUWU_MAIL_REPLIES:
        return
    if actor is None or Role.CUSTOMER in roles_of(actor):
        return
    last = InboundMail.objects.filter(ticket=ticket).exclude(message_id="").order_by("-id").values_list(
        "message_id", flat=True).first()
    headers = {"Auto-Submitted": "no"}  # a person wrote it: the customer's mail program may answer it
    if last:
        headers |= {"In-Reply-To": last, "References": last}
    footer = _("To add to request %(number)s, reply to this e-mail and keep the number in the subject.") % {
        "number": ticket.number}
    outbox_email(addresses=[ticket.contact_email], subject=_("Re: %(title)s") % {"title": ticket.title},
                 body=f"{_plain_text(entry.body)}\n\n--\n{footer}", dedupe_key=f"mail-reply:{entry.pk}",
                 obj=ticket, headers=headers)
