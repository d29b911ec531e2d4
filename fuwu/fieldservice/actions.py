"""Every change to a work order (R5.1, R4.4–R4.6, R5.5): one transaction, one permission check, one
audit event each, the status moved only through `fuwu.fieldservice.workflow`'s table."""

import base64
import binascii
import hashlib
from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.locking import bump_version, lock_row
from fuwu.core.outbox import outbox_email, outbox_notify
from fuwu.customers.models import DeliveredProduct, WarrantyStatus
from fuwu.fieldservice import rules
from fuwu.fieldservice.codes import WorkOrderAction, WorkOrderError
from fuwu.fieldservice.dispatch import is_double_booking
from fuwu.fieldservice.models import ProductDefect, Visit, VisitOutcome, WorkOrder, WorkOrderMove, WorkOrderStatus
from fuwu.fieldservice.workflow import AT_WORK, NEEDS_REASON, VISIT_ENDED_BY, Side, transition_for
from fuwu.materials.actions import stock_consume
from fuwu.materials.models import Item, Movement
from fuwu.org.models import Profile, Skill
from fuwu.org.policy import Perm, can
from fuwu.org.roles import Role
from fuwu.org.selectors import users_holding
from fuwu.tickets.actions import ticket_change_tier, ticket_record_arrival
from fuwu.tickets.lifecycle import Tier
from fuwu.tickets.models import Ticket

# Charged or not is decided by the warranty on the day the order is opened (R5.5); a product whose
# warranty is unknown is charged only once someone records that it has ended.
_FREE = frozenset({WarrantyStatus.IN_WARRANTY, WarrantyStatus.EXPIRING, WarrantyStatus.UNKNOWN})


def _url(work_order: WorkOrder) -> str:
    return f"/field/{work_order.pk}/"


@transaction.atomic
def work_order_open(*, actor, ticket: Ticket, expected_version: int | None, fault: str, site_address: str,
                    reason: str, product: DeliveredProduct | None = None, skill: Skill | None = None,
                    contact_name: str = "", contact_phone: str = "") -> WorkOrder:
    """Send a request on site (R4.3, R5.1): the request steps to the on-site tier under the reason
    (which starts its arrival clock) and a work order is opened, product and warranty named (R5.5)."""
    locked = lock_row(Ticket.objects.all(), ticket.pk, expected_version=expected_version, report=("status",))
    if not locked.is_open:
        raise InvalidInput(code=WorkOrderError.REQUEST_CLOSED, errors={"ticket": [_("The request is closed.")]})
    if not rules.may_open(actor, locked):
        raise PermissionDenied(code=WorkOrderError.FORBIDDEN_OPEN)
    if locked.work_orders.filter(status__in=rules.OPEN_VALUES).exists():
        raise InvalidInput(code=WorkOrderError.OPEN_WORK_ORDER,
                           errors={"ticket": [_("The request already has an open work order.")]})
    errors: dict[str, list[str]] = {}
    if not fault.strip():
        errors["fault"] = [_("Describe the fault to repair.")]
    if not site_address.strip():
        errors["site_address"] = [_("Give the address of the site.")]
    if locked.tier != Tier.ONSITE and not reason.strip():
        errors["reason"] = [_("Give a reason.")]
    if product is not None and product.customer_id != locked.customer_id:
        errors["product"] = [_("Choose a product of this request's customer.")]
    if errors:
        raise InvalidInput(errors=errors)
    if locked.tier != Tier.ONSITE:
        locked = ticket_change_tier(actor=actor, ticket=locked, expected_version=None, tier=Tier.ONSITE,
                                    reason=reason.strip())
    now = timezone.now()
    warranty = product.warranty_status(timezone.localdate()) if product else WarrantyStatus.UNKNOWN
    count = locked.work_orders.count()
    work_order = WorkOrder.objects.create(
        ticket=locked, number=f"{locked.number}-W{count + 1}", product=product, warranty_status=warranty,
        chargeable=warranty not in _FREE, fault=fault.strip(), skill=skill, site_address=site_address.strip(),
        region=locked.region, contact_name=(contact_name or locked.contact_name).strip(),
        contact_phone=(contact_phone or locked.contact_phone).strip(), opened_by=actor, opened_at=now,
    )
    audit_record(actor=actor, action=WorkOrderAction.OPENED, obj=work_order, payload={
        "ticket": locked.number, "product": product.pk if product else None, "warranty": str(warranty),
        "chargeable": work_order.chargeable})
    return work_order


def _technician(user) -> None:
    if user is None or not rules.is_field_technician(user):
        raise InvalidInput(code=WorkOrderError.NOT_A_TECHNICIAN,
                           errors={"technician": [_("Choose an active field technician.")]})


@transaction.atomic
def work_order_schedule(*, actor, work_order: WorkOrder, expected_version: int | None, technician,
                        start: datetime, end: datetime, reason: str = "") -> WorkOrder:
    """Book the visit with a technician for a time the customer agreed (R4.5). Booking again an
    agreed visit is a reschedule and needs a reason; the technician hears of either."""
    locked = lock_row(WorkOrder.objects.all(), work_order.pk, expected_version=expected_version,
                      report=("status",))
    _require_move(actor, locked, WorkOrderMove.SCHEDULE)
    _technician(technician)
    rebooking = locked.status in (WorkOrderStatus.SCHEDULED, WorkOrderStatus.DISPATCHED)
    errors: dict[str, list[str]] = {}
    if start is None or end is None or end <= start:
        errors["end"] = [_("The appointment must end after it starts.")]
    elif start < timezone.now() - timedelta(hours=1):
        errors["start"] = [_("The appointment cannot lie in the past.")]
    if rebooking and not reason.strip():
        errors["reason"] = [_("Give a reason for the new appointment.")]
    if errors:
        raise InvalidInput(errors=errors)
    # One booking at a time per technician: two dispatchers cannot give away the same hours.
    Profile.objects.select_for_update().filter(user=technician).first()
    if is_double_booking(technician.pk, start, end, except_work_order=locked.pk):
        raise InvalidInput(code=WorkOrderError.DOUBLE_BOOKING, errors={"start": [
            _("%(name)s is booked elsewhere at that time (travel time included).") % {
                "name": technician.get_full_name() or technician.get_username()}]})
    visit = _current_visit(locked)
    before = None
    if visit is None:
        visit = Visit(work_order=locked, seq=locked.visits.count() + 1)
    else:
        before = {"technician": visit.technician_id, "start": visit.window_start.isoformat()}
    visit.technician, visit.window_start, visit.window_end = technician, start, end
    visit.save()
    locked.status = WorkOrderStatus.SCHEDULED
    locked.technician, locked.appointment_start, locked.appointment_end = technician, start, end
    locked.accepted_at = None
    locked.last_reason = reason.strip()
    bump_version(locked, "status", "technician", "appointment_start", "appointment_end", "accepted_at",
                 "last_reason")
    payload = {"visit": visit.seq, "technician": technician.pk, "start": start.isoformat(), "end": end.isoformat()}
    if before:
        payload.update({"before": before, "reason": reason.strip()})
    audit_record(actor=actor, action=WorkOrderAction.RESCHEDULED if before else WorkOrderAction.SCHEDULED,
                 obj=locked, payload=payload)
    return locked


@transaction.atomic
def work_order_dispatch(*, actor, work_order: WorkOrder, expected_version: int | None) -> WorkOrder:
    """Send the booked visit to its technician (R4.6), who accepts or declines it."""
    locked = lock_row(WorkOrder.objects.all(), work_order.pk, expected_version=expected_version,
                      report=("status",))
    _require_move(actor, locked, WorkOrderMove.DISPATCH)
    locked.status = WorkOrderStatus.DISPATCHED
    bump_version(locked, "status")
    audit_record(actor=actor, action=WorkOrderAction.DISPATCHED, obj=locked,
                 payload={"technician": locked.technician_id})
    start = timezone.localtime(locked.appointment_start)
    outbox_notify(recipients=[locked.technician], obj=locked, url=_url(locked),
                  subject=lambda: _("New work order %(number)s on %(day)s at %(time)s") % {
                      "number": locked.number, "day": start.strftime("%Y-%m-%d"), "time": start.strftime("%H:%M")})
    return locked


@transaction.atomic
def work_order_accept(*, actor, work_order: WorkOrder, expected_version: int | None) -> WorkOrder:
    """The technician takes the dispatched work order on (R4.6)."""
    locked = lock_row(WorkOrder.objects.all(), work_order.pk, expected_version=expected_version,
                      report=("status",))
    if locked.status != WorkOrderStatus.DISPATCHED or not rules.is_assigned(actor, locked):
        raise PermissionDenied(code=WorkOrderError.FORBIDDEN_WORK)
    if locked.accepted_at is not None:
        raise InvalidInput(code=WorkOrderError.ALREADY_ACCEPTED,
                           errors={"__all__": [_("You have already accepted this work order.")]})
    locked.accepted_at = timezone.now()
    bump_version(locked, "accepted_at")
    audit_record(actor=actor, action=WorkOrderAction.ACCEPTED, obj=locked, payload={})
    return locked


@transaction.atomic
def work_order_move(*, actor, work_order: WorkOrder, expected_version: int | None, move: str,
                    reason: str = "", findings: str = "", work_done: str = "", outcome: str = "") -> WorkOrder:
    """One step of the technician's work or the dispatcher's cancel, through the transition table:
    decline, set off, check in (the request's arrival, R4.4), diagnose, repair, test, not fixed
    (revisit or parts, with the reason), report to the manager, cancel."""
    if move not in WorkOrderMove.values or move in (WorkOrderMove.SCHEDULE, WorkOrderMove.DISPATCH,
                                                     WorkOrderMove.COMPLETE):
        raise InvalidInput(code=WorkOrderError.MOVE_NOT_ALLOWED, errors={"move": [_("Unknown step.")]})
    locked = lock_row(WorkOrder.objects.all(), work_order.pk, expected_version=expected_version,
                      report=("status",))
    target = None
    if move == WorkOrderMove.NOT_FIXED:
        if outcome not in (WorkOrderStatus.REVISIT_NEEDED, WorkOrderStatus.WAITING_PARTS):
            raise InvalidInput(errors={"outcome": [_("Say whether a revisit is needed or parts are awaited.")]})
        target = outcome
    transition = _require_move(actor, locked, move, target)
    reason, findings, work_done = reason.strip(), findings.strip(), work_done.strip()
    if move in NEEDS_REASON and not reason:
        raise InvalidInput(errors={"reason": [_("Give a reason.")]})
    if move == WorkOrderMove.DIAGNOSE and not findings:
        raise InvalidInput(errors={"findings": [_("Describe what you found.")]})
    if move == WorkOrderMove.REPORT and not (work_done or locked.work_done):
        raise InvalidInput(errors={"work_done": [_("Describe the work done.")]})
    if move == WorkOrderMove.DECLINE and locked.accepted_at is not None:
        raise InvalidInput(code=WorkOrderError.ALREADY_ACCEPTED, errors={
            "reason": [_("You accepted this work order; ask the dispatcher to reschedule it.")]})
    now = timezone.now()
    fields = ["status"]
    if move == WorkOrderMove.CHECK_IN and not locked.ticket.onsite_arrived_at:
        ticket_record_arrival(actor=actor, ticket=locked.ticket, expected_version=None, arrived_at=now)
    _record_on_visit(locked, move, transition.target, reason, now)
    if findings:
        locked.findings = findings
        fields.append("findings")
    if work_done:
        locked.work_done = work_done
        fields.append("work_done")
    if move in NEEDS_REASON:
        locked.last_reason = reason
        fields.append("last_reason")
    if move == WorkOrderMove.DECLINE:
        locked.technician, locked.appointment_start, locked.appointment_end = None, None, None
        fields += ["technician", "appointment_start", "appointment_end"]
    if move == WorkOrderMove.REPORT:
        locked.reported_at = now
        fields.append("reported_at")
    before = locked.status
    locked.status = transition.target
    bump_version(locked, *fields)
    payload = {"move": str(move), "from": str(before), "to": str(transition.target)}
    if reason:
        payload["reason"] = reason
    action = {WorkOrderMove.DECLINE: WorkOrderAction.DECLINED,
              WorkOrderMove.CANCEL: WorkOrderAction.CANCELLED}.get(move, WorkOrderAction.MOVED)
    audit_record(actor=actor, action=action, obj=locked, payload=payload)
    if move in (WorkOrderMove.DECLINE, WorkOrderMove.NOT_FIXED):
        outbox_notify(recipients=[locked.opened_by], subject=lambda: _("%(number)s: %(status)s") % {
            "number": locked.number, "status": locked.get_status_display()}, body=reason, url=_url(locked), obj=locked)
    return locked


def _current_visit(work_order: WorkOrder) -> Visit | None:
    """The visit booked and not yet ended, if any."""
    return work_order.visits.filter(outcome="").order_by("-seq").first()


def _record_on_visit(work_order: WorkOrder, move: str, target: str, reason: str, now: datetime) -> None:
    """What a move writes on the current visit: setting off, arriving, or how it ended."""
    ends = move in (WorkOrderMove.DECLINE, WorkOrderMove.CANCEL) or target in VISIT_ENDED_BY
    if not (ends or move in (WorkOrderMove.DEPART, WorkOrderMove.CHECK_IN)):
        return
    visit = _current_visit(work_order)
    if visit is None:
        return
    if move == WorkOrderMove.DEPART:
        visit.departed_at = now
    elif move == WorkOrderMove.CHECK_IN:
        visit.arrived_at = now
    else:
        visit.ended_at = now
        visit.outcome = VISIT_ENDED_BY.get(target) or (
            VisitOutcome.DECLINED if move == WorkOrderMove.DECLINE else VisitOutcome.CANCELLED)
        visit.reason = reason
    visit.save()


def _require_move(actor, locked: WorkOrder, move: str, target: str | None = None):
    transition = transition_for(locked.status, move, target)
    if transition is None:
        raise rules.MoveNotAllowed(move, locked.status)
    if transition.side == Side.DISPATCHER and not can(actor, Perm.WORKORDER_DISPATCH):
        raise PermissionDenied(code=WorkOrderError.FORBIDDEN_DISPATCH)
    if transition.side == Side.TECHNICIAN and not rules.is_assigned(actor, locked):
        raise PermissionDenied(code=WorkOrderError.FORBIDDEN_WORK)
    return transition



SIGNATURE_MAX_BYTES = 300_000
_PNG = b"\x89PNG\r\n\x1a\n"


def _signature_file(data_url: str) -> ContentFile | None:
    """The customer's signature as drawn on the phone: a PNG data URL, checked by its bytes."""
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        return None
    try:
        raw = base64.b64decode(data_url[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        return None
    if not raw.startswith(_PNG) or len(raw) > SIGNATURE_MAX_BYTES:
        return None
    return ContentFile(raw, name="signature.png")


@transaction.atomic
def work_order_complete(*, actor, work_order: WorkOrder, expected_version: int | None, work_done: str,
                        signer_name: str, satisfaction: int | None, signature: str) -> WorkOrder:
    """The customer signs off the repair on the technician's phone (R5.1): name, a quick
    satisfaction mark (1-5) and the drawn signature, kept as an image with the work order."""
    locked = lock_row(WorkOrder.objects.all(), work_order.pk, expected_version=expected_version,
                      report=("status",))
    transition = _require_move(actor, locked, WorkOrderMove.COMPLETE)
    errors: dict[str, list[str]] = {}
    work_done, signer_name = work_done.strip(), signer_name.strip()
    if not work_done:
        errors["work_done"] = [_("Describe the work done.")]
    if not signer_name:
        errors["signer_name"] = [_("Who signs for the customer?")]
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        errors["satisfaction"] = [_("Choose from 1 to 5.")]
    image = _signature_file(signature)
    if image is None:
        errors["signature"] = [_("The customer's signature is missing.")]
    if errors:
        raise InvalidInput(errors=errors)
    digest = hashlib.sha256(image.read()).hexdigest()
    image.seek(0)
    now = timezone.now()
    _record_on_visit(locked, WorkOrderMove.COMPLETE, transition.target, "", now)
    locked.signature.save(f"{locked.number}.png", image, save=False)
    locked.status, locked.work_done, locked.signer_name = transition.target, work_done, signer_name
    locked.satisfaction, locked.completed_at = satisfaction, now
    bump_version(locked, "status", "work_done", "signer_name", "satisfaction", "completed_at", "signature")
    audit_record(actor=actor, action=WorkOrderAction.COMPLETED, obj=locked, payload={
        "signer": signer_name, "satisfaction": satisfaction,
        "signature_sha256": digest})
    return locked


def reminder_text(visit: Visit) -> str:
    """The SMS-ready reminder for the customer: short, plain, with the number to call back."""
    start = timezone.localtime(visit.window_start)
    return _("[Fuwu] Reminder: our technician %(name)s visits %(address)s on %(day)s between %(start)s and "
             "%(end)s for %(number)s.") % {
        "name": visit.technician.get_full_name() or visit.technician.get_username(),
        "address": visit.work_order.site_address, "day": start.strftime("%m-%d"), "start": start.strftime("%H:%M"),
        "end": timezone.localtime(visit.window_end).strftime("%H:%M"), "number": visit.work_order.number}


@transaction.atomic
def work_orders_remind(*, day: date) -> int:
    """The day before (R4.5): each booked visit on `day` reminds its technician (in the app) and the
    customer (by e-mail, with the SMS-ready text), once per visit and booked time, however often it runs."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    visits = Visit.objects.filter(
        outcome="", window_start__gte=start, window_start__lt=start + timedelta(days=1),
        work_order__status__in=(WorkOrderStatus.SCHEDULED, WorkOrderStatus.DISPATCHED),
    ).select_related("work_order", "work_order__ticket", "technician")
    sent = 0
    for visit in visits:
        key = f"work_order.reminder:{visit.pk}:{visit.window_start.isoformat()}"
        text = reminder_text(visit)  # the customer's copy, in the site's language
        queued = outbox_notify(recipients=[visit.technician], subject=lambda visit=visit: reminder_text(visit),
                               url=_url(visit.work_order),
                               obj=visit.work_order, dedupe_key=key)
        email = visit.work_order.ticket.contact_email
        if email:
            queued += outbox_email(addresses=[email], subject=_("Your appointment on %(day)s") % {
                "day": timezone.localtime(visit.window_start).strftime("%Y-%m-%d")}, body=text, dedupe_key=key)
        if queued:
            audit_record(actor=None, action=WorkOrderAction.REMINDED, obj=visit.work_order,
                         payload={"visit": visit.seq, "sms_text": text, "email": bool(email)})
            sent += 1
    return sent


@transaction.atomic
def product_defect_report(*, actor, work_order: WorkOrder, description: str) -> ProductDefect:
    """The technician feeds a product problem back to quality and R&D (R5.3); the quality
    supervisors hear of it at once."""
    if not rules.is_assigned(actor, work_order):
        raise PermissionDenied(code=WorkOrderError.FORBIDDEN_WORK)
    description = description.strip()
    if not description:
        raise InvalidInput(errors={"description": [_("Describe the defect.")]})
    defect = ProductDefect.objects.create(work_order=work_order, product=work_order.product, description=description,
                                          reported_by=actor, reported_at=timezone.now())
    audit_record(actor=actor, action=WorkOrderAction.DEFECT_REPORTED, obj=work_order,
                 payload={"defect": defect.pk, "product": work_order.product_id, "description": description})
    outbox_notify(recipients=users_holding(Role.QUALITY_SUPERVISOR), obj=defect, url="/field/defects/",
                  subject=lambda: _("Product defect reported on %(number)s (%(product)s)") % {
                      "number": work_order.number,
                      "product": work_order.product.name if work_order.product else _("no registered product")},
                  body=description)
    return defect


@transaction.atomic
def work_order_use_part(*, actor, work_order: WorkOrder, item: Item, quantity: int) -> Movement:
    """A part used on the repair comes out of the technician's own stock (R5.2): recorded on the work
    order as a consumption movement of the materials ledger, while the technician is at work."""
    locked = lock_row(WorkOrder.objects.all(), work_order.pk, expected_version=None, report=("status",))
    if not rules.is_assigned(actor, locked):
        raise PermissionDenied(code=WorkOrderError.FORBIDDEN_WORK)
    if locked.status not in AT_WORK:
        raise InvalidInput(code=WorkOrderError.NOT_AT_WORK,
                           errors={"item": [_("Parts are recorded while you are at work on site.")]})
    return stock_consume(actor=actor, item=item, quantity=quantity, work_order_id=locked.pk,
                         reference=locked.number)
