"""Every change to a complaint, its compensations and accountability records (R6.1–R6.4): one
transaction, one permission check, one audit event each; the status moves only through
`fuwu.complaints.workflow`'s table."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.complaints import rules, workflow
from fuwu.complaints.codes import ComplaintAction, ComplaintError
from fuwu.complaints.models import (
    Accountability,
    AccountabilityStatus,
    Compensation,
    CompensationStatus,
    Complaint,
    ComplaintMove,
    ComplaintStatus,
    ContactAttempt,
    Measure,
    RootCause,
    Severity,
)
from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.locking import lock_row
from fuwu.core.outbox import outbox_notify
from fuwu.org.models import Department
from fuwu.org.policy import Perm, can
from fuwu.org.roles import Role
from fuwu.org.selectors import users_holding
from fuwu.standards.models import ServiceKind
from fuwu.tickets.actions import ticket_put_on_major_footing
from fuwu.tickets.models import Ticket


def _url(complaint: Complaint) -> str:
    return f"/tickets/{complaint.ticket_id}/#complaint-panel"


def _require_work(actor) -> None:
    if not rules.may_work(actor):
        raise PermissionDenied(code=ComplaintError.FORBIDDEN_WORK)


def _lock(complaint: Complaint, expected_version: int | None) -> Complaint:
    return lock_row(Complaint.objects.select_related("ticket"), complaint.pk, expected_version=expected_version,
                    report=("status",))


def _move(locked: Complaint, move: str) -> None:
    transition = workflow.transition_for(locked.status, move)
    if transition is None:
        raise InvalidInput(code=ComplaintError.MOVE_NOT_ALLOWED, errors={"move": [
            _("This step is not possible while the complaint is “%(status)s”.") % {
                "status": locked.get_status_display()}]})
    locked.status = transition.target.value


def _save(locked: Complaint, *fields: str) -> None:
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=[*fields, "version", "updated_at"])


def _major_complaint(actor, complaint: Complaint) -> None:
    """A major complaint reaches the manager and the general manager at once, once, and runs on the clocks
    of a major matter (R6.3)."""
    ticket_put_on_major_footing(actor=actor, ticket=complaint.ticket, reason=_("Major complaint."))
    outbox_notify(
        recipients=users_holding(Role.MANAGER, Role.GENERAL_MANAGER),
        subject=lambda: _("Major complaint %(number)s: %(title)s") % {"number": complaint.ticket.number,
                                                               "title": complaint.ticket.title},
        body=complaint.demand or complaint.ticket.description,
        url=_url(complaint), obj=complaint, dedupe_key=f"complaint.major:{complaint.pk}",
    )


@transaction.atomic
def complaint_open(*, actor, ticket: Ticket, severity: str = Severity.GENERAL, demand: str = "",
                   accused=None) -> Complaint:
    """The complaint record of a complaint-kind request: made when the request is registered (the
    tickets registration listener) or when first opened. Returns the existing record if there is one."""
    existing = Complaint.objects.filter(ticket=ticket).select_related("ticket").first()
    if existing is not None:
        return existing
    if not (can(actor, Perm.TICKET_WORK) or rules.may_work(actor)):
        raise PermissionDenied(code=ComplaintError.FORBIDDEN_WORK)
    if ticket.kind != ServiceKind.COMPLAINT:
        raise InvalidInput(code=ComplaintError.NOT_A_COMPLAINT,
                           errors={"ticket": [_("Only a complaint-kind request has a complaint record.")]})
    if severity not in Severity.values:
        raise InvalidInput(errors={"severity": [_("Choose a severity.")]})
    if ticket.is_major:
        severity = Severity.MAJOR
    now = timezone.now()
    complaint = Complaint.objects.create(
        ticket=ticket, severity=severity, demand=demand.strip(), accused=accused, received_at=ticket.received_at,
        opened_at=now, updated_at=now)
    audit_record(actor=actor, action=ComplaintAction.OPENED, obj=complaint, payload={
        "ticket": ticket.number, "severity": severity, "accused": getattr(accused, "pk", None)})
    if severity == Severity.MAJOR:
        _major_complaint(actor, complaint)
    return complaint


@transaction.atomic
def complaint_update(*, actor, complaint: Complaint, expected_version: int | None, severity: str, demand: str,
                     accused=None) -> Complaint:
    """Record the severity, what the customer demands and whom they complain about (R6.2, R6.3)."""
    _require_work(actor)
    locked = _lock(complaint, expected_version)
    if not locked.is_open:
        raise InvalidInput(code=ComplaintError.MOVE_NOT_ALLOWED, errors={"severity": [_("The complaint is closed.")]})
    if severity not in Severity.values:
        raise InvalidInput(errors={"severity": [_("Choose a severity.")]})
    if accused is not None and accused.pk == locked.investigator_id:
        raise InvalidInput(code=ComplaintError.OWN_COMPLAINT, errors={"accused": [
            _("The investigator cannot be the employee complained about; start the investigation with someone else.")]})
    before = {"severity": locked.severity, "accused": locked.accused_id}
    locked.severity, locked.demand, locked.accused = severity, demand.strip(), accused
    _save(locked, "severity", "demand", "accused")
    audit_record(actor=actor, action=ComplaintAction.UPDATED, obj=locked, payload={
        "severity": severity, "accused": getattr(accused, "pk", None), "before": before})
    if severity == Severity.MAJOR:
        _major_complaint(actor, locked)
    return locked


@transaction.atomic
def complaint_start_investigation(*, actor, complaint: Complaint, expected_version: int | None,
                                  investigator=None) -> Complaint:
    """Send the complaint to its investigator (the actor unless a manager names someone), who may not be
    the employee complained about (R1.2)."""
    _require_work(actor)
    locked = _lock(complaint, expected_version)
    investigator = investigator or actor
    if investigator.pk != actor.pk and not rules.may_approve(actor):
        raise PermissionDenied(code=ComplaintError.FORBIDDEN_APPROVE)
    if not rules.may_work(investigator):
        raise InvalidInput(errors={"investigator": [_("Choose someone who handles complaints.")]})
    if rules.is_concerned(investigator, locked):
        raise InvalidInput(code=ComplaintError.OWN_COMPLAINT, errors={"investigator": [
            _("Nobody investigates a complaint against themselves.")]})
    _move(locked, ComplaintMove.INVESTIGATE)
    locked.investigator = investigator
    locked.investigation_started_at = timezone.now()
    _save(locked, "status", "investigator", "investigation_started_at")
    audit_record(actor=actor, action=ComplaintAction.INVESTIGATION_STARTED, obj=locked,
                 payload={"investigator": investigator.pk})
    if investigator.pk != actor.pk:
        outbox_notify(recipients=[investigator], subject=lambda: _("Complaint %(number)s is yours to investigate") % {
            "number": locked.ticket.number}, url=_url(locked), obj=locked)
    return locked


def _require_investigator(actor, locked: Complaint) -> None:
    if rules.is_concerned(actor, locked):
        raise PermissionDenied(code=ComplaintError.OWN_COMPLAINT)
    if not rules.may_investigate(actor, locked):
        raise PermissionDenied(code=ComplaintError.FORBIDDEN_WORK)


@transaction.atomic
def complaint_record_notes(*, actor, complaint: Complaint, expected_version: int | None, notes: str) -> Complaint:
    locked = _lock(complaint, expected_version)
    _require_investigator(actor, locked)
    if locked.status != ComplaintStatus.INVESTIGATING:
        raise InvalidInput(code=ComplaintError.MOVE_NOT_ALLOWED, errors={"notes": [
            _("Notes are recorded while the complaint is investigated.")]})
    locked.investigation_notes = notes.strip()
    _save(locked, "investigation_notes")
    audit_record(actor=actor, action=ComplaintAction.NOTES_RECORDED, obj=locked, payload={"length": len(notes)})
    return locked


@transaction.atomic
def complaint_conclude(*, actor, complaint: Complaint, expected_version: int | None, valid: bool | None,
                       root_cause: RootCause | None, responsible_department: Department | None,
                       responsible_person=None, conclusion: str, notes: str | None = None) -> Complaint:
    """The investigation's conclusion (R6.2): found valid or not (经查属实), the root cause, the
    responsible department and person. A valid complaint against an employee opens an accountability
    record for the manager (R6.4)."""
    locked = _lock(complaint, expected_version)
    _require_investigator(actor, locked)
    errors: dict[str, list[str]] = {}
    if valid is None:
        errors["valid"] = [_("Say whether the complaint was found valid.")]
    if root_cause is None or not root_cause.is_active:
        errors["root_cause"] = [_("Choose the root cause.")]
    if not conclusion.strip():
        errors["conclusion"] = [_("Write the conclusion of the investigation.")]
    if valid and responsible_department is None:
        errors["responsible_department"] = [_("Name the responsible department.")]
    if responsible_person is not None and responsible_person.pk in (actor.pk, locked.investigator_id):
        errors["responsible_person"] = [_("The investigator cannot find themselves responsible; "
                                          "a manager takes the investigation over.")]
    if errors:
        raise InvalidInput(errors=errors)
    _move(locked, ComplaintMove.CONCLUDE)
    locked.valid, locked.root_cause = valid, root_cause
    locked.responsible_department, locked.responsible_person = responsible_department, responsible_person
    locked.conclusion = conclusion.strip()
    if notes is not None:
        locked.investigation_notes = notes.strip()
    locked.concluded_at = timezone.now()
    _save(locked, "status", "valid", "root_cause", "responsible_department", "responsible_person", "conclusion",
          "investigation_notes", "concluded_at")
    audit_record(actor=actor, action=ComplaintAction.CONCLUDED, obj=locked, payload={
        "valid": valid, "root_cause": root_cause.code, "department": getattr(responsible_department, "pk", None),
        "person": getattr(responsible_person, "pk", None)})
    if valid and responsible_person is not None:
        _open_accountability(actor, locked, responsible_person)
    return locked


def _open_accountability(actor, complaint: Complaint, employee) -> Accountability:
    record, created = Accountability.objects.get_or_create(
        complaint=complaint, employee=employee, defaults={"created_at": timezone.now()})
    if created:
        audit_record(actor=actor, action=ComplaintAction.ACCOUNTABILITY_OPENED, obj=record,
                     payload={"complaint": complaint.ticket.number, "employee": employee.pk})
        outbox_notify(recipients=[u for u in users_holding(Role.MANAGER) if u.pk != employee.pk],
                      subject=lambda: _("Complaint %(number)s found valid: decide the accountability") % {
                          "number": complaint.ticket.number},
                      url="/complaints/accountability/", obj=record, dedupe_key=f"accountability:{record.pk}")
    return record


@transaction.atomic
def complaint_propose_solution(*, actor, complaint: Complaint, expected_version: int | None,
                               solution: str) -> Complaint:
    """The solution put to the customer (R6.2); after a refusal a new one may be proposed."""
    _require_work(actor)
    locked = _lock(complaint, expected_version)
    if rules.is_concerned(actor, locked):
        raise PermissionDenied(code=ComplaintError.OWN_COMPLAINT)
    if not solution.strip():
        raise InvalidInput(errors={"solution": [_("Describe the solution proposed to the customer.")]})
    _move(locked, ComplaintMove.PROPOSE)
    locked.solution = solution.strip()
    locked.proposed_at = timezone.now()
    _save(locked, "status", "solution", "proposed_at")
    audit_record(actor=actor, action=ComplaintAction.SOLUTION_PROPOSED, obj=locked,
                 payload={"solution": locked.solution[:500]})
    return locked


@transaction.atomic
def complaint_record_answer(*, actor, complaint: Complaint, expected_version: int | None, agreed: bool,
                            feedback: str) -> Complaint:
    """The customer's agreement to the solution, or refusal (R6.2)."""
    _require_work(actor)
    locked = _lock(complaint, expected_version)
    if not agreed and not feedback.strip():
        raise InvalidInput(errors={"feedback": [_("Record what the customer said when refusing.")]})
    _move(locked, ComplaintMove.AGREE if agreed else ComplaintMove.REFUSE)
    locked.customer_agreed = agreed
    locked.customer_feedback = feedback.strip()
    locked.answered_at = timezone.now()
    _save(locked, "status", "customer_agreed", "customer_feedback", "answered_at")
    audit_record(actor=actor, action=ComplaintAction.ANSWERED, obj=locked,
                 payload={"agreed": agreed, "feedback": locked.customer_feedback[:500]})
    return locked


@transaction.atomic
def complaint_record_contact_attempt(*, actor, complaint: Complaint, note: str) -> ContactAttempt:
    """An attempt to reach the customer that did not get their answer: documented, so a complaint
    whose customer cannot be reached may still close (after `MIN_CONTACT_ATTEMPTS`)."""
    _require_work(actor)
    locked = _lock(complaint, None)
    if not locked.is_open:
        raise InvalidInput(code=ComplaintError.MOVE_NOT_ALLOWED, errors={"note": [_("The complaint is closed.")]})
    if not note.strip():
        raise InvalidInput(errors={"note": [_("Say how you tried to reach the customer.")]})
    attempt = ContactAttempt.objects.create(complaint=locked, made_by=actor, made_at=timezone.now(),
                                            note=note.strip()[:500])
    _save(locked)
    audit_record(actor=actor, action=ComplaintAction.CONTACT_ATTEMPTED, obj=locked, payload={"note": attempt.note})
    return attempt


@transaction.atomic
def complaint_record_apology(*, actor, complaint: Complaint, expected_version: int | None, note: str) -> Complaint:
    """The apology made to the customer: by whom, how (R6.4)."""
    _require_work(actor)
    locked = _lock(complaint, expected_version)
    if not note.strip():
        raise InvalidInput(errors={"apology_note": [_("Say who apologised and how.")]})
    locked.apology_recorded, locked.apology_note, locked.apology_at = True, note.strip()[:500], timezone.now()
    _save(locked, "apology_recorded", "apology_note", "apology_at")
    audit_record(actor=actor, action=ComplaintAction.APOLOGISED, obj=locked, payload={"note": locked.apology_note})
    return locked


def close_refusal_message(complaint: Complaint | None) -> str | None:
    """Why the complaint may not close now (for the complaint and for its request), or None."""
    if complaint is None:
        return str(_("Open the complaint record and conclude its investigation before the request ends."))
    refusal = workflow.closing_refusal(complaint.status, has_conclusion=bool(complaint.conclusion),
                                       contact_attempts=complaint.contact_attempts.count())
    if refusal is None or refusal == workflow.CloseRefusal.ALREADY_CLOSED:
        return None
    if refusal == workflow.CloseRefusal.NOT_CONCLUDED:
        return str(_("The complaint's investigation has no conclusion yet."))
    return str(_("Record the customer's answer to the solution, or at least %(n)d attempts to reach them.")
               % {"n": workflow.MIN_CONTACT_ATTEMPTS})


@transaction.atomic
def complaint_close(*, actor, complaint: Complaint, expected_version: int | None) -> Complaint:
    """Close the complaint: only with a conclusion and the customer's answer or documented attempts."""
    _require_work(actor)
    locked = _lock(complaint, expected_version)
    if locked.status == ComplaintStatus.CLOSED:
        raise InvalidInput(code=ComplaintError.MOVE_NOT_ALLOWED, errors={"move": [_("The complaint is closed.")]})
    refusal = close_refusal_message(locked)
    if refusal:
        raise InvalidInput(code=ComplaintError.NOT_CLOSABLE, errors={"move": [refusal]})
    _move(locked, ComplaintMove.CLOSE)
    locked.closed_at, locked.closed_by = timezone.now(), actor
    _save(locked, "status", "closed_at", "closed_by")
    audit_record(actor=actor, action=ComplaintAction.CLOSED, obj=locked, payload={
        "agreed": locked.customer_agreed, "attempts": locked.contact_attempts.count()})
    return locked


def _amount(raw) -> Decimal:
    try:
        amount = Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        amount = Decimal(0)
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e10"):
        raise InvalidInput(errors={"amount": [_("Give an amount in yuan greater than zero.")]})
    return amount


@transaction.atomic
def compensation_propose(*, actor, complaint: Complaint, amount, reason: str, is_claim: bool = False) -> Compensation:
    """Compensation on a complaint, or the customer's claim (索赔), put up for approval (R6.3): the
    service manager approves, above `FUWU_COMPENSATION_GM_THRESHOLD` the general manager. A claim
    reaches the manager and the general manager at once."""
    _require_work(actor)
    locked = _lock(complaint, None)
    if not locked.is_open:
        raise InvalidInput(code=ComplaintError.MOVE_NOT_ALLOWED, errors={"amount": [_("The complaint is closed.")]})
    value = _amount(amount)
    if not reason.strip():
        raise InvalidInput(errors={"reason": [_("Give the reason for the compensation.")]})
    large = workflow.needs_general_manager(int(value * 100), settings.FUWU_COMPENSATION_GM_THRESHOLD * 100)
    compensation = Compensation.objects.create(
        complaint=locked, is_claim=is_claim, amount=value, reason=reason.strip(), needs_general_manager=large,
        proposed_by=actor, proposed_at=timezone.now())
    _save(locked)
    audit_record(actor=actor, action=ComplaintAction.COMPENSATION_PROPOSED, obj=compensation, payload={
        "complaint": locked.ticket.number, "amount": str(value), "claim": is_claim, "general_manager": large})
    if is_claim:  # a claim runs on the clocks of a major matter
        ticket_put_on_major_footing(actor=actor, ticket=locked.ticket, reason=_("Claim of %(amount)s yuan.") % {
            "amount": value})
    roles = (Role.MANAGER, Role.GENERAL_MANAGER) if (is_claim or large) else (Role.MANAGER,)
    outbox_notify(recipients=[u for u in users_holding(*roles) if u.pk != actor.pk],
                  subject=lambda: (
                      _("Claim of %(amount)s yuan on complaint %(number)s awaits approval") if is_claim
                      else _("Compensation of %(amount)s yuan on complaint %(number)s awaits approval")
                  ) % {"amount": value, "number": locked.ticket.number}, body=compensation.reason,
                  url="/complaints/compensations/", obj=compensation, dedupe_key=f"compensation:{compensation.pk}")
    return compensation


@transaction.atomic
def compensation_decide(*, actor, compensation: Compensation, expected_version: int | None, approve: bool,
                        note: str = "") -> Compensation:
    """Approve or refuse a compensation: never by its proposer; above the threshold only by the general
    manager (R6.3, R1.2)."""
    locked = lock_row(Compensation.objects.select_related("complaint__ticket"), compensation.pk,
                      expected_version=expected_version, report=("status",))
    if locked.proposed_by_id == actor.pk:
        raise PermissionDenied(code=ComplaintError.OWN_PROPOSAL)
    if locked.needs_general_manager and not can(actor, Perm.COMPLAINT_APPROVE_LARGE):
        raise PermissionDenied(code=ComplaintError.GM_APPROVAL)
    if not rules.may_decide_compensation(actor, locked):
        raise PermissionDenied(code=ComplaintError.FORBIDDEN_APPROVE)
    if locked.status != CompensationStatus.PROPOSED:
        raise InvalidInput(code=ComplaintError.ALREADY_DECIDED,
                           errors={"approve": [_("This has been decided already.")]})
    if not approve and not note.strip():
        raise InvalidInput(errors={"note": [_("Give a reason for refusing.")]})
    locked.status = CompensationStatus.APPROVED if approve else CompensationStatus.REFUSED
    locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note.strip()[:500]
    locked.version += 1
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "version"])
    audit_record(actor=actor, action=ComplaintAction.COMPENSATION_APPROVED if approve
                 else ComplaintAction.COMPENSATION_REFUSED, obj=locked,
                 payload={"amount": str(locked.amount), "note": locked.decision_note})
    outbox_notify(recipients=[locked.proposed_by], subject=lambda: (
        _("Compensation on %(number)s approved") if approve else _("Compensation on %(number)s refused")) % {
        "number": locked.complaint.ticket.number}, url=_url(locked.complaint), obj=locked)
    return locked


@transaction.atomic
def accountability_decide(*, actor, record: Accountability, expected_version: int | None, measure: str,
                          note: str) -> Accountability:
    """The manager decides what follows for the employee: coaching, a penalty or an apology (R6.4)."""
    locked = lock_row(Accountability.objects.select_related("complaint__ticket"), record.pk,
                      expected_version=expected_version, report=("status",))
    if not rules.may_decide_accountability(actor, locked):
        raise PermissionDenied(code=ComplaintError.FORBIDDEN_APPROVE)
    if locked.status != AccountabilityStatus.PENDING:
        raise InvalidInput(code=ComplaintError.ALREADY_DECIDED,
                           errors={"measure": [_("This has been decided already.")]})
    errors: dict[str, list[str]] = {}
    if measure not in Measure.values:
        errors["measure"] = [_("Choose coaching, a penalty or an apology.")]
    if not note.strip():
        errors["note"] = [_("Explain the decision to the employee.")]
    if errors:
        raise InvalidInput(errors=errors)
    locked.status, locked.measure, locked.decision_note = AccountabilityStatus.DECIDED, measure, note.strip()
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "measure", "decision_note", "decided_by", "decided_at", "version"])
    audit_record(actor=actor, action=ComplaintAction.ACCOUNTABILITY_DECIDED, obj=locked,
                 payload={"measure": measure, "employee": locked.employee_id})
    outbox_notify(recipients=[locked.employee], subject=lambda: _(
        "Accountability on complaint %(number)s: please read") % {
        "number": locked.complaint.ticket.number}, url="/complaints/mine/", obj=locked,
        dedupe_key=f"accountability.decided:{locked.pk}")
    return locked


@transaction.atomic
def accountability_answer(*, actor, record: Accountability, expected_version: int | None,
                          answer: str) -> Accountability:
    """The employee's answer to the decision, once; it is not edited afterwards (R6.4)."""
    locked = lock_row(Accountability.objects.all(), record.pk, expected_version=expected_version,
                      report=("status",))
    if locked.employee_id != actor.pk:
        raise PermissionDenied(code=ComplaintError.NOT_YOURS)
    if locked.status == AccountabilityStatus.ANSWERED:
        raise InvalidInput(code=ComplaintError.ALREADY_ANSWERED, errors={"answer": [
            _("Your answer is recorded and cannot be changed.")]})
    if locked.status != AccountabilityStatus.DECIDED:
        raise InvalidInput(code=ComplaintError.MOVE_NOT_ALLOWED, errors={"answer": [
            _("The manager has not decided yet.")]})
    if not answer.strip():
        raise InvalidInput(errors={"answer": [_("Write your answer.")]})
    locked.status, locked.answer, locked.answered_at = AccountabilityStatus.ANSWERED, answer.strip(), timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "answer", "answered_at", "version"])
    audit_record(actor=actor, action=ComplaintAction.ACCOUNTABILITY_ANSWERED, obj=locked,
                 payload={"length": len(locked.answer)})
    return locked


@transaction.atomic
def root_cause_add(*, actor, code: str, name: str) -> RootCause:
    """A manager extends the taxonomy of root causes (R6.5)."""
    if not rules.may_approve(actor):
        raise PermissionDenied(code=ComplaintError.FORBIDDEN_APPROVE)
    errors: dict[str, list[str]] = {}
    code = code.strip().lower()
    if not code or not code.replace("_", "").replace("-", "").isalnum() or not code.isascii():
        errors["code"] = [_("Use letters, digits, - and _ for the code.")]
    elif RootCause.objects.filter(code=code).exists():
        errors["code"] = [_("This code is taken.")]
    if not name.strip():
        errors["name"] = [_("Give the name.")]
    if errors:
        raise InvalidInput(errors=errors)
    cause = RootCause.objects.create(code=code, name=name.strip()[:64],
                                     position=(RootCause.objects.count() + 1) * 10)
    audit_record(actor=actor, action=ComplaintAction.ROOT_CAUSE_ADDED, obj=cause, payload={"code": code})
    return cause


def on_ticket_registered(actor, ticket: Ticket) -> bool:
    """The tickets registration listener: a complaint-kind request gets its complaint record at once; a
    major one moves its request onto the major clocks (True)."""
    if ticket.kind != ServiceKind.COMPLAINT:
        return False
    return complaint_open(actor=actor, ticket=ticket).severity == Severity.MAJOR


def ticket_close_guard(ticket: Ticket, move: str) -> str | None:
    """The tickets close guard: a complaint-kind request resolves only once its complaint could close."""
    if ticket.kind != ServiceKind.COMPLAINT:
        return None
    return close_refusal_message(Complaint.objects.filter(ticket=ticket).first())
