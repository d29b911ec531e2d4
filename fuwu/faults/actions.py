"""Every change to a major fault report (R7.1, R7.2) and to its notice list: one transaction, one
permission check, one audit event each; the status moves only through `fuwu.faults.workflow`'s table.

Notices go through the outbox in the same transaction, each with a dedupe key, so a person is told
of a fault's opening (and each restoration and its closing) once, however often the action runs."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.locking import lock_row
from fuwu.core.outbox import Words, outbox_email, outbox_notify
from fuwu.faults import measures, workflow
from fuwu.faults.codes import FaultAction, FaultError
from fuwu.faults.models import (
    FaultMove,
    FaultReport,
    FaultStatus,
    FaultUpdate,
    NoticeRecipient,
    RecipientKind,
    Severity,
)
from fuwu.faults.selectors import customer_contact_emails, notice_list_users
from fuwu.org.policy import Perm, can
from fuwu.org.roles import Role

TEXT_LIMIT = 4000
EARLIEST_YEAR = 2000  # an older start is a typing error


def fault_url(fault: FaultReport) -> str:
    return f"/faults/{fault.pk}/"


def _require(actor, perm: Perm, code: FaultError) -> None:
    if not can(actor, perm):
        raise PermissionDenied(code=code)


def _lock(fault: FaultReport, expected_version: int | None) -> FaultReport:
    return lock_row(FaultReport.objects.all(), fault.pk, expected_version=expected_version, report=("status",))


def _save(locked: FaultReport, *fields: str) -> None:
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=[*fields, "version", "updated_at"])


def _ids(rows: Iterable) -> list[int]:
    return sorted(row.pk for row in rows)


def _check_facts(*, title: str, started_at, severity: str, place: str, symptoms: str, handling_plan: str) -> None:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the fault a short title.")]
    if started_at is None or timezone.is_naive(started_at) or started_at.year < EARLIEST_YEAR:
        errors["started_at"] = [_("Say when the fault began.")]
    elif started_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["started_at"] = [_("The fault cannot begin in the future.")]
    if severity not in Severity.values:
        errors["severity"] = [_("Choose a severity.")]
    if not place.strip():
        errors["place"] = [_("Say where the fault is.")]
    if not symptoms.strip():
        errors["symptoms"] = [_("Describe what is seen.")]
    if not handling_plan.strip():
        errors["handling_plan"] = [_("Write the handling plan.")]
    if errors:
        raise InvalidInput(errors=errors)


def _notice_body(fault: FaultReport) -> str:
    """Time, place, symptoms and handling plan (R7.1), in the words of the reader's language."""
    lines = [
        _("Began: %(at)s") % {"at": timezone.localtime(fault.started_at).strftime("%Y-%m-%d %H:%M")},
        _("Place: %(place)s") % {"place": " · ".join(p for p in (str(fault.region or ""), fault.place) if p)},
        _("Severity: %(severity)s") % {"severity": fault.get_severity_display()},
        _("Symptoms: %(text)s") % {"text": fault.symptoms},
        _("Handling plan: %(text)s") % {"text": fault.handling_plan},
    ]
    return "\n".join(lines)


def _tell_the_list(fault: FaultReport, *, event: str, subject: Words, occasion: str = "") -> None:
    """The notice list, the business owner and the responsible manager, in the app and by e-mail, once each
    per event (`occasion` tells apart events that may happen more than once, e.g. each restoration)."""
    recipients = [*notice_list_users(), fault.business_owner, fault.responsible_manager]
    outbox_notify(recipients=recipients, subject=subject, body=lambda: _notice_body(fault), url=fault_url(fault),
                  obj=fault,
                  dedupe_key=f"fault.{event}:{fault.pk}{occasion}", by_email=True)


def _tell_opened(fault: FaultReport) -> None:
    _tell_the_list(fault, event="opened", subject=lambda: _("Major fault %(number)s: %(title)s") % {
        "number": fault.number, "title": fault.title})


@transaction.atomic
def fault_open(*, actor, title: str, started_at, severity: str, place: str, symptoms: str, handling_plan: str,
               region=None, customers: Iterable = (), service_types: Iterable = (), business_owner=None,
               responsible_manager=None, request_key: str | None = None) -> FaultReport:
    """Report a major fault and tell the notice list at once (R7.1). A retried form (same `request_key`)
    returns the report it made, and nobody is told twice."""
    _require(actor, Perm.FAULT_REPORT, FaultError.FORBIDDEN_REPORT)
    if request_key and (existing := FaultReport.objects.filter(request_key=request_key).first()) is not None:
        return existing
    _check_facts(title=title, started_at=started_at, severity=severity, place=place, symptoms=symptoms,
                 handling_plan=handling_plan)
    now = timezone.now()
    try:
        with transaction.atomic():
            fault = FaultReport.objects.create(
                title=title.strip(), started_at=started_at, severity=severity, region=region, place=place.strip(),
                symptoms=symptoms.strip(), handling_plan=handling_plan.strip(), business_owner=business_owner,
                responsible_manager=responsible_manager, reported_by=actor, request_key=request_key or None,
                opened_at=now, updated_at=now)
    except IntegrityError:  # the same form, submitted twice at once: the other submit made it
        return FaultReport.objects.get(request_key=request_key)
    customers, service_types = list(customers), list(service_types)
    fault.customers.set(customers)
    fault.service_types.set(service_types)
    FaultUpdate.objects.create(fault=fault, at=now, author=actor, status=FaultStatus.OPEN, text="")
    audit_record(actor=actor, action=FaultAction.OPENED, obj=fault, payload={
        "title": fault.title, "severity": severity, "started_at": started_at.isoformat(),
        "region": getattr(region, "pk", None), "customers": _ids(customers), "service_types": _ids(service_types),
        "business_owner": getattr(business_owner, "pk", None),
        "responsible_manager": getattr(responsible_manager, "pk", None)})
    _tell_opened(fault)
    return fault


@transaction.atomic
def fault_update(*, actor, fault: FaultReport, expected_version: int | None, title: str, started_at, severity: str,
                 place: str, symptoms: str, handling_plan: str, region=None, customers: Iterable = (),
                 service_types: Iterable = (), business_owner=None, responsible_manager=None) -> FaultReport:
    """Correct the facts while the fault is open. Whoever is newly concerned (a business owner named
    now) is told once; those told already are not told again."""
    _require(actor, Perm.FAULT_REPORT, FaultError.FORBIDDEN_REPORT)
    locked = _lock(fault, expected_version)
    if not locked.is_open:
        raise InvalidInput(code=FaultError.CLOSED, errors={"title": [_("The fault report is closed.")]})
    _check_facts(title=title, started_at=started_at, severity=severity, place=place, symptoms=symptoms,
                 handling_plan=handling_plan)
    customers, service_types = list(customers), list(service_types)
    before = {"title": locked.title, "severity": locked.severity, "place": locked.place,
              "started_at": locked.started_at.isoformat(), "region": locked.region_id,
              "customers": _ids(locked.customers.all()), "service_types": _ids(locked.service_types.all()),
              "business_owner": locked.business_owner_id, "responsible_manager": locked.responsible_manager_id}
    locked.title, locked.started_at, locked.severity = title.strip(), started_at, severity
    locked.place, locked.symptoms, locked.handling_plan = place.strip(), symptoms.strip(), handling_plan.strip()
    locked.region, locked.business_owner, locked.responsible_manager = region, business_owner, responsible_manager
    _save(locked, "title", "started_at", "severity", "place", "symptoms", "handling_plan", "region",
          "business_owner", "responsible_manager")
    locked.customers.set(customers)
    locked.service_types.set(service_types)
    audit_record(actor=actor, action=FaultAction.UPDATED, obj=locked, payload={
        "title": locked.title, "severity": severity, "place": locked.place, "started_at": started_at.isoformat(),
        "region": getattr(region, "pk", None), "customers": _ids(customers), "service_types": _ids(service_types),
        "business_owner": getattr(business_owner, "pk", None),
        "responsible_manager": getattr(responsible_manager, "pk", None), "before": before})
    _tell_opened(locked)
    return locked


@transaction.atomic
def fault_move(*, actor, fault: FaultReport, expected_version: int | None, move: str, note: str = "") -> FaultReport:
    """Handling, restoration, a fault that comes back (not closing: `fault_close`). The step and its note
    join the timeline; restoration and recurrence are told to the notice list."""
    _require(actor, Perm.FAULT_REPORT, FaultError.FORBIDDEN_REPORT)
    if move == FaultMove.CLOSE:
        raise InvalidInput(code=FaultError.MOVE_NOT_ALLOWED, errors={"move": [_("Close the fault with its analysis.")]})
    locked = _lock(fault, expected_version)
    transition = workflow.transition_for(locked.status, move)
    if transition is None:
        raise InvalidInput(code=FaultError.MOVE_NOT_ALLOWED, errors={"move": [
            _("This step is not possible while the fault is “%(status)s”.") % {"status": locked.get_status_display()}]})
    if len(note) > TEXT_LIMIT:
        raise InvalidInput(errors={"note": [_("At most %(n)s characters.") % {"n": TEXT_LIMIT}]})
    before = locked.status
    now = timezone.now()
    locked.status = transition.target.value
    fields = ["status"]
    if transition.target == workflow.FaultStatus.RESTORED:
        locked.restored_at = now
        fields.append("restored_at")
    _save(locked, *fields)
    FaultUpdate.objects.create(fault=locked, at=now, author=actor, status=locked.status, text=note.strip())
    audit_record(actor=actor, action=FaultAction.MOVED, obj=locked, payload={
        "move": str(move), "from": before, "to": locked.status, "note": note.strip()})
    if transition.notify:
        restored = move == FaultMove.RESTORE
        _tell_the_list(locked, event=str(move), subject=lambda: (
            _("Fault %(number)s: service restored") if restored else _("Fault %(number)s is back")) % {
            "number": locked.number}, occasion=f".v{locked.version}")
    return locked


@transaction.atomic
def fault_add_progress(*, actor, fault: FaultReport, text: str) -> FaultUpdate:
    """A progress entry on the timeline (R7.2): appended, never edited."""
    _require(actor, Perm.FAULT_REPORT, FaultError.FORBIDDEN_REPORT)
    locked = _lock(fault, None)  # appending needs no version; the lock orders entries with the moves
    if not locked.is_open:
        raise InvalidInput(code=FaultError.CLOSED, errors={"text": [_("The fault report is closed.")]})
    text = text.strip()
    if not text:
        raise InvalidInput(errors={"text": [_("Write what happened.")]})
    if len(text) > TEXT_LIMIT:
        raise InvalidInput(errors={"text": [_("At most %(n)s characters.") % {"n": TEXT_LIMIT}]})
    entry = FaultUpdate.objects.create(fault=locked, at=timezone.now(), author=actor, text=text)
    audit_record(actor=actor, action=FaultAction.PROGRESS, obj=locked, payload={"entry": entry.pk,
                                                                                 "length": len(text)})
    return entry


ANALYSIS_FIELDS = ("impact", "handling_summary", "root_cause", "corrective_measures", "preventive_measures")


@transaction.atomic
def fault_record_analysis(*, actor, fault: FaultReport, expected_version: int | None, impact: str,
                          handling_summary: str, root_cause: str, corrective_measures: str = "",
                          preventive_measures: str = "") -> FaultReport:
    """The fault analysis (R7.2): impact, handling, root cause, and the measures summed up in words (the
    measures themselves are improvement actions opened for the fault, `fuwu.faults.measures`)."""
    _require(actor, Perm.FAULT_MANAGE, FaultError.FORBIDDEN_MANAGE)
    locked = _lock(fault, expected_version)
    if not locked.is_open:
        raise InvalidInput(code=FaultError.CLOSED, errors={"impact": [_("The fault report is closed.")]})
    values = {"impact": impact, "handling_summary": handling_summary, "root_cause": root_cause,
              "corrective_measures": corrective_measures, "preventive_measures": preventive_measures}
    errors: dict[str, list[str]] = {}
    for name in ("impact", "handling_summary", "root_cause"):
        if not values[name].strip():
            errors[name] = [_("This part of the analysis is needed.")]
    for name, value in values.items():
        if len(value) > TEXT_LIMIT:
            errors[name] = [_("At most %(n)s characters.") % {"n": TEXT_LIMIT}]
    if errors:
        raise InvalidInput(errors=errors)
    for name, value in values.items():
        setattr(locked, name, value.strip())
    locked.analysed_at = timezone.now()
    _save(locked, *ANALYSIS_FIELDS, "analysed_at")
    audit_record(actor=actor, action=FaultAction.ANALYSED, obj=locked,
                 payload={name: len(value.strip()) for name, value in values.items()})
    return locked


def close_refusal(viewer, fault: FaultReport) -> workflow.CloseRefusal | None:
    return workflow.closing_refusal(fault.status, has_analysis=fault.has_analysis,
                                    measures=measures.measure_count(viewer, fault))


def close_refusal_message(viewer, fault: FaultReport) -> str | None:
    refusal = close_refusal(viewer, fault)
    return {
        None: None,
        workflow.CloseRefusal.ALREADY_CLOSED: _("The fault report is closed."),
        workflow.CloseRefusal.NOT_RESTORED: _("The fault closes once the service is restored."),
        workflow.CloseRefusal.NO_ANALYSIS: _("Write the analysis first: impact, handling and root cause."),
        workflow.CloseRefusal.NO_MEASURES: measures.missing_message(),
    }[refusal]


def _mail_the_customers(fault: FaultReport) -> None:
    """The fault analysis report, as a PDF (attached when sent), to each affected customer's contacts, once (R7.2)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Fault analysis report %(number)s: %(title)s") % {"number": fault.number, "title": fault.title}
        body = _("Dear customer,\n\nattached is our analysis of the fault that affected your service "
                 "(%(title)s, from %(at)s): its impact, how it was handled, its root cause and what we do so "
                 "that it does not happen again. We apologise for the trouble.") % {
            "title": fault.title, "at": timezone.localtime(fault.started_at).strftime("%Y-%m-%d %H:%M")}
    outbox_email(addresses=customer_contact_emails(fault), subject=subject, body=body, obj=fault,
                 dedupe_key=f"fault.report:{fault.pk}")


@transaction.atomic
def fault_close(*, actor, fault: FaultReport, expected_version: int | None) -> FaultReport:
    """Close a restored fault whose analysis is written and which has a corrective or preventive
    improvement action that is not cancelled (R7.2, R17.1). The notice list hears of it and the
    affected customers get the analysis report."""
    _require(actor, Perm.FAULT_MANAGE, FaultError.FORBIDDEN_MANAGE)
    locked = _lock(fault, expected_version)
    if (message := close_refusal_message(actor, locked)) is not None:
        raise InvalidInput(code=FaultError.NOT_CLOSABLE, errors={"move": [message]})
    transition = workflow.transition_for(locked.status, FaultMove.CLOSE)
    now = timezone.now()
    locked.status, locked.closed_at, locked.closed_by = transition.target.value, now, actor
    _save(locked, "status", "closed_at", "closed_by")
    FaultUpdate.objects.create(fault=locked, at=now, author=actor, status=locked.status, text="")
    audit_record(actor=actor, action=FaultAction.CLOSED, obj=locked, payload={
        "measures": measures.measure_count(actor, locked), "customers": _ids(locked.customers.all())})
    _tell_the_list(locked, event="closed", subject=lambda: _("Fault %(number)s closed: the analysis report") % {
        "number": locked.number})
    _mail_the_customers(locked)
    return locked


# The notice list (R7.1), kept by the service manager.

@transaction.atomic
def notice_recipient_add(*, actor, kind: str, department=None, role: str = "", user=None) -> NoticeRecipient:
    _require(actor, Perm.FAULT_MANAGE, FaultError.FORBIDDEN_MANAGE)
    fields: dict = {"department": None, "role": "", "user": None}
    if kind == RecipientKind.DEPARTMENT and department is not None:
        fields["department"] = department
    elif kind == RecipientKind.ROLE and role in Role.values and role != Role.CUSTOMER:
        fields["role"] = role
    elif kind == RecipientKind.USER and user is not None and user.is_active:
        fields["user"] = user
    else:
        raise InvalidInput(errors={kind if kind in RecipientKind.values else "kind": [
            _("Choose whom to add to the notice list.")]})
    existing = NoticeRecipient.objects.filter(kind=kind, **{k: v for k, v in fields.items() if v}).first()
    if existing is not None:
        return existing
    recipient = NoticeRecipient.objects.create(kind=kind, added_by=actor, added_at=timezone.now(), **fields)
    audit_record(actor=actor, action=FaultAction.RECIPIENT_ADDED, obj=recipient, payload={
        "kind": kind, "department": getattr(department, "pk", None) if fields["department"] else None,
        "role": fields["role"], "user": getattr(user, "pk", None) if fields["user"] else None})
    return recipient


@transaction.atomic
def notice_recipient_remove(*, actor, recipient: NoticeRecipient) -> None:
    _require(actor, Perm.FAULT_MANAGE, FaultError.FORBIDDEN_MANAGE)
    payload = {"kind": recipient.kind, "department": recipient.department_id, "role": recipient.role,
               "user": recipient.user_id, "id": recipient.pk}
    audit_record(actor=actor, action=FaultAction.RECIPIENT_REMOVED, obj=recipient, payload=payload)
    NoticeRecipient.objects.filter(pk=recipient.pk).delete()
