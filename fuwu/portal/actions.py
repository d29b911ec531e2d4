"""Every change the customer portal makes (R3.1, R1.2, R4.1).

Signing in with a one-time link; filing a request (through `ticket_register`, on the web channel,
the customer and contact taken from the login); the customer's messages, confirmation and
reopening (through `ticket_add_entry` and `ticket_move`, whose rules let a portal login act on its
own customer's requests only: `fuwu.tickets.rules.is_portal_customer`).
"""

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput
from fuwu.core.outbox import Words, outbox_email, outbox_notify
from fuwu.core.validation import MAX_ID, Errors, storable
from fuwu.customers.models import Contact, DeliveredProduct
from fuwu.org import actions as org_actions
from fuwu.org.policy import Perm, can, permission_denied
from fuwu.org.roles import Role
from fuwu.portal.codes import PortalAction, PortalError
from fuwu.portal.models import LoginLink, PortalRequest
from fuwu.portal.selectors import portal_contact, portal_service_types
from fuwu.standards.models import Channel
from fuwu.tickets.actions import ticket_add_entry, ticket_move, ticket_register
from fuwu.tickets.actions.conversation import check_attachments
from fuwu.tickets.lifecycle import Move
from fuwu.tickets.models import Entry, Ticket
from fuwu.tickets.validation import TicketInput

TOKEN_BYTES = 32  # 256 random bits: guessing one is hopeless, and every wrong guess counts as a failed login


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _require_portal(actor) -> Contact:
    """The actor's own contact, or 403: only a customer's portal login uses the portal (R1.2)."""
    contact = portal_contact(actor)
    if contact is None:
        raise permission_denied(Perm.PORTAL_USE)
    return contact


# --- Signing in with a link --------------------------------------------------------------------


@transaction.atomic
def login_link_send(*, email: str, build_url: Callable[[str], str]) -> int:
    """Queue a single-use sign-in link to every active portal login whose contact has this address.

    The link is valid for FUWU_PORTAL_LINK_MINUTES; only its hash is stored. At most
    FUWU_PORTAL_LINKS_PER_HOUR links per login and hour: further asks are ignored, so nobody floods a
    customer's mailbox through us. Returns how many links were queued, for tests and logs only:
    the page answers the same whatever the address (no account enumeration).
    """
    email = (email or "").strip()
    if not email or "@" not in email or len(email) > 254 or not storable(email):
        return 0
    now = timezone.now()
    sent = 0
    contacts = (Contact.objects.filter(email__iexact=email, is_active=True, user__isnull=False, user__is_active=True)
                .select_related("user").order_by("id"))
    for contact in contacts:
        user = contact.user
        if not can(user, Perm.PORTAL_USE):
            continue
        recent = LoginLink.objects.filter(user=user, created_at__gte=now - timedelta(hours=1)).count()
        if recent >= settings.FUWU_PORTAL_LINKS_PER_HOUR:
            continue
        token = secrets.token_urlsafe(TOKEN_BYTES)
        minutes = settings.FUWU_PORTAL_LINK_MINUTES
        link = LoginLink.objects.create(user=user, token_hash=_hash(token), created_at=now,
                                        expires_at=now + timedelta(minutes=minutes))
        body = _("Hello %(name)s,\n\nopen this link to sign in to our customer portal. It works once, for "
                 "%(minutes)d minutes:\n\n%(url)s\n\nIf you did not ask to sign in, ignore this e-mail: nothing "
                 "happens without the link.") % {"name": contact.name, "minutes": minutes, "url": build_url(token)}
        outbox_email(addresses=[contact.email], subject=_("Your sign-in link"), body=body,
                     dedupe_key=f"portal-link:{link.pk}")
        audit_record(actor=None, action=PortalAction.LINK_SENT, obj=link,
                     payload={"user_id": user.pk, "contact_id": contact.pk, "expires_at": link.expires_at})
        sent += 1
    return sent


def login_link_redeem(*, token: str, ip_address: str | None):
    """The login a valid link signs in; the link is used up. Anything else is `LINK_INVALID`.

    An unknown token counts as a failed login at the address, so guessing is locked out as password
    guessing is (`fuwu.org.auth`); an address already locked out is refused before the lookup.
    """
    invalid = InvalidInput(_("This sign-in link is not valid any more. Ask for a new one."),
                           code=PortalError.LINK_INVALID)
    if org_actions.address_locked_until(ip_address):
        raise invalid
    token = (token or "").strip()
    known = (0 < len(token) <= 100 and storable(token)
             and LoginLink.objects.filter(token_hash=_hash(token)).exists())
    if not known:
        org_actions.login_failure_record(username="", ip_address=ip_address)
        raise invalid
    with transaction.atomic():
        link = LoginLink.objects.select_for_update().select_related("user").get(token_hash=_hash(token))
        now = timezone.now()
        usable = link.used_at is None and link.expires_at > now and link.user.is_active
        if usable:
            link.used_at = now
            link.save(update_fields=["used_at"])
            user = get_user_model().objects.get(pk=link.user_id)
            usable = portal_contact(user) is not None  # still an active contact's portal login
        if usable:
            audit_record(actor=user, action=PortalAction.LINK_USED, obj=link, payload={"ip": ip_address})
            return user
    raise invalid


# --- Filing a request --------------------------------------------------------------------------


def portal_actor():
    """The login that takes requests from the portal (FUWU_PORTAL_ACTOR): an agent with no password, made once.

    It is the first-responsible person (R3.3) of a request filed in the portal, as the mail login is
    of a request from e-mail; the request itself waits unassigned in its group's queue until a
    person accepts it. It cannot log in.
    """
    User = get_user_model()
    user = User.objects.filter(username=settings.FUWU_PORTAL_ACTOR).first()
    if user is None:
        try:
            with transaction.atomic():  # two first requests at once: one makes the login, the other uses it
                profile = org_actions.staff_create(actor=None, username=settings.FUWU_PORTAL_ACTOR, password=None,
                                                   full_name=_("Customer portal"), roles=[Role.AGENT])
        except (IntegrityError, InvalidInput):
            return User.objects.get(username=settings.FUWU_PORTAL_ACTOR)
        user = User.objects.get(pk=profile.user_id)
    return user


@dataclass
class RequestInput:
    """What the customer types; who they are comes from the login."""

    service_type_id: int | None
    title: str
    description: str = ""
    product_id: int | None = None
    site_address: str = ""
    occurred_since: str = ""


def _valid_id(value) -> bool:
    return isinstance(value, int) and 0 < value <= MAX_ID


@transaction.atomic
def portal_request_file(*, actor, data: RequestInput, files: Iterable[UploadedFile] = ()) -> Ticket:
    """File a request on the web channel (R3.1) for the login's own customer and contact.

    The service type must be open to customers (FUWU_PORTAL_SERVICE_KINDS), the product one of the
    customer's own. The files become the customer's first message on the request.
    """
    contact = _require_portal(actor)
    customer = contact.customer
    errors = Errors()
    open_types = {t.pk: t for t in portal_service_types()}
    if data.service_type_id not in open_types:
        errors.add("service_type_id", _("Choose a service type."))
    if not (data.title or "").strip():
        errors.add("title", _("Say in a few words what the request is about."))
    product = None
    if data.product_id:
        if _valid_id(data.product_id):
            product = DeliveredProduct.objects.filter(pk=data.product_id, customer_id=customer.pk,
                                                      is_active=True).first()
        if product is None:
            errors.add("product_id", _("Choose one of your products."))
    files = list(files)
    try:
        check_attachments(files)
    except InvalidInput as exc:
        for message in exc.errors.get("attachments", []):
            errors.add("attachments", message)
    errors.raise_if_any()
    address = customer.addresses.filter(is_active=True).select_related("region").first()
    region_id = (address.region_id if address and address.region_id else None) or customer.region_id
    ticket = ticket_register(actor=portal_actor(), unassigned=True, data=TicketInput(
        service_type_id=data.service_type_id, title=data.title, description=data.description,
        channel=Channel.WEB, customer_id=customer.pk, contact_name=contact.name,
        contact_phone=contact.phone or contact.phone_alt, contact_email=contact.email,
        site_address=data.site_address, region_id=region_id, occurred_since=data.occurred_since,
    ))
    PortalRequest.objects.create(ticket=ticket, contact=contact, product=product, filed_at=ticket.registered_at)
    if files:
        ticket_add_entry(actor=actor, ticket=ticket, kind=Entry.Kind.CUSTOMER,
                         body=escape(_("Files sent with the request.")), files=files)
    audit_record(actor=actor, action=PortalAction.REQUEST_FILED, obj=ticket, payload={
        "number": ticket.number, "contact_id": contact.pk, "product_id": product.pk if product else None,
        "files": [f.name for f in files]})
    ticket.refresh_from_db()
    return ticket


# --- The customer on its request ---------------------------------------------------------------


def _plain_to_html(text: str) -> str:
    """What the customer typed, as the conversation keeps it: escaped, in paragraphs."""
    return linebreaks(escape((text or "").strip()))


@transaction.atomic
def portal_request_reply(*, actor, ticket: Ticket, body: str, files: Iterable[UploadedFile] = ()) -> Entry:
    """A message from the customer on its own request (Entry.Kind.CUSTOMER); the owner is told
    (`ticket_add_entry`). Files alone come with a line saying so."""
    _require_portal(actor)
    files = list(files)
    if not (body or "").strip() and files:
        body = _("Files added.")
    return ticket_add_entry(actor=actor, ticket=ticket, kind=Entry.Kind.CUSTOMER, body=_plain_to_html(body),
                            files=files)


def _tell_owner(actor, ticket: Ticket, subject: Words, body: str = "") -> None:
    """The owner hears of the customer's move at once; the first-responsible person hears from `ticket_move`."""
    if ticket.owner_id and ticket.owner_id != ticket.first_responsible_id:
        outbox_notify(recipients=[ticket.owner], subject=subject, body=body,
                      url=reverse("tickets:detail", args=[ticket.pk]), obj=ticket)


@transaction.atomic
def portal_request_confirm(*, actor, ticket: Ticket, expected_version: int | None) -> Ticket:
    """The customer confirms the resolution: the request is closed (Move.CLOSE by the customer, R4.1)."""
    _require_portal(actor)
    moved = ticket_move(actor=actor, ticket=ticket, expected_version=expected_version, move=Move.CLOSE)
    _tell_owner(actor, moved, lambda: _("The customer confirmed the resolution of %(t)s") % {"t": moved})
    return moved


@transaction.atomic
def portal_request_reopen(*, actor, ticket: Ticket, expected_version: int | None, reason: str) -> Ticket:
    """The customer reopens a resolved request within the reopen window, saying why (Move.REOPEN, R4.1)."""
    _require_portal(actor)
    moved = ticket_move(actor=actor, ticket=ticket, expected_version=expected_version, move=Move.REOPEN,
                        reason=reason)
    _tell_owner(actor, moved, lambda: _("The customer reopened %(t)s") % {"t": moved}, reason.strip())
    return moved
