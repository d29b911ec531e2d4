"""The ticket page's POST endpoints: each parses a form, calls one action and answers.

An HTMX request gets the ticket panel (header, action bar, timeline) back in place; a plain POST
is redirected to the ticket page. On an error the form comes back with the message beside the
field and everything typed kept; a stale edit (Conflict) shows the message and the current state.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fuwu.core.errors import Conflict, InvalidInput, NotFound
from fuwu.core.forms import add_action_errors
from fuwu.core.validation import parse_id
from fuwu.org.policy import Perm, require
from fuwu.tickets import actions
from fuwu.tickets.forms import (
    ArrivalForm,
    DeclineForm,
    EntryForm,
    HandOverForm,
    MajorForm,
    MoveForm,
    ReassignForm,
    ReclassifyForm,
    RepeatForm,
    RulingRecordForm,
    RulingRequestForm,
    TierForm,
)
from fuwu.tickets.models import Ticket
from fuwu.tickets.selectors import access_handover, access_ticket, entry_for_correction
from fuwu.tickets.views import ticket_context


def _place_errors(exc: InvalidInput | actions.MoveNotAllowed, form: forms.Form) -> None:
    """Messages for the form's fields beside them; the others, or the error itself, above the form."""
    if any(key in form.fields for key in exc.errors):
        add_action_errors(exc, ("", form))
    for key, messages_ in exc.errors.items():
        if key not in form.fields:
            for message in messages_:
                form.add_error(None, message)
    if not exc.errors:
        form.add_error(None, exc.message)


def _answer(
    request: HttpRequest,
    ticket: Ticket,
    form: forms.Form,
    call: Callable[[dict[str, Any]], Any],
    *,
    done: str,
    form_key: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Run `call` with the form's data; answer with the panel (HTMX) or a redirect, or the errors."""
    conflict = None
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except Conflict as exc:
            conflict = exc.message
        except (InvalidInput, actions.MoveNotAllowed) as exc:
            _place_errors(exc, form)
        else:
            if request.htmx:
                fresh = access_ticket(request.user, ticket.pk)
                return render(request, "tickets/ticket_detail.html#panel",
                              ticket_context(request, fresh, flash=done))
            messages.success(request, done)
            return redirect("tickets:detail", ticket.pk)
    fresh = access_ticket(request.user, ticket.pk)
    if conflict and "version" in form.fields:
        # Keep what was typed; the next save applies it over the current version, knowingly.
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = fresh.version
    overrides = {form_key: form, "open_form": form_key, "conflict": conflict, **(extra or {})}
    template = "tickets/ticket_detail.html#panel" if request.htmx else "tickets/ticket_detail.html"
    status = 200 if request.htmx else 409 if conflict else 400
    return render(request, template, ticket_context(request, fresh, **overrides), status=status)


@login_required
@require_POST
def move(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id, for_write=True)
    form = MoveForm(request.POST, prefix="move")

    def call(d):
        return actions.ticket_move(actor=request.user, ticket=ticket, expected_version=d["version"], move=d["move"],
                                   resolution=d["resolution"], reason=d["reason"])

    return _answer(request, ticket, form, call, done=_("Status changed."), form_key="move_form",
                   extra={"failed_move": request.POST.get("move-move", "")})


@login_required
@require_POST
def hand_over(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id, for_write=True)
    form = HandOverForm(request.POST, prefix="handover")

    def call(d):
        return actions.ticket_hand_over(actor=request.user, ticket=ticket, expected_version=d["version"],
                                        to_group=d["to_group"], to_user=d["to_user"], note=d["note"])

    return _answer(request, ticket, form, call, done=_("Hand-over registered; waiting for acceptance."),
                   form_key="handover_form")


@login_required
@require_POST
def handover_accept(request: HttpRequest, ticket_id: int, handover_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id, for_write=True)
    handover = access_handover(request.user, ticket, handover_id)
    form = DeclineForm(prefix="decline", data={"decline-reason": "-"})  # carries a non-field error if refused

    def call(d):
        return actions.handover_accept(actor=request.user, handover=handover)

    return _answer(request, ticket, form, call, done=_("You took the request on."), form_key="decline_form")


@login_required
@require_POST
def handover_decline(request: HttpRequest, ticket_id: int, handover_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id, for_write=True)
    handover = access_handover(request.user, ticket, handover_id)
    form = DeclineForm(request.POST, prefix="decline")

    def call(d):
        return actions.handover_decline(actor=request.user, handover=handover, reason=d["reason"])

    return _answer(request, ticket, form, call, done=_("Hand-over declined."), form_key="decline_form")


@login_required
@require_POST
def reassign(request: HttpRequest, ticket_id: int) -> HttpResponse:
    require(request.user, Perm.TICKET_MANAGE)
    ticket = access_ticket(request.user, ticket_id, for_write=True)
    form = ReassignForm(request.POST, prefix="reassign")

    def call(d):
        return actions.ticket_reassign(actor=request.user, ticket=ticket, expected_version=d["version"],
                                       to_group=d["to_group"], to_user=d["to_user"], note=d["note"])

    return _answer(request, ticket, form, call, done=_("Request reassigned."), form_key="reassign_form")


@login_required
@require_POST
def change_tier(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id, for_write=True)
    form = TierForm(request.POST, prefix="tier")

    def call(d):
        return actions.ticket_change_tier(actor=request.user, ticket=ticket, expected_version=d["version"],
                                          tier=d["tier"], reason=d["reason"],
                                          customer_authorised=d["customer_authorised"])

    return _answer(request, ticket, form, call, done=_("Service tier changed."), form_key="tier_form")


@login_required
@require_POST
def reclassify(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id, for_write=True)
    form = ReclassifyForm(request.POST, prefix="reclassify")

    def call(d):
        return actions.ticket_reclassify(actor=request.user, ticket=ticket, expected_version=d["version"],
                                         service_type=d["service_type"], priority=d["priority"], reason=d["reason"])

    return _answer(request, ticket, form, call, done=_("Type and priority changed; time limits re-evaluated."),
                   form_key="reclassify_form")


@login_required
@require_POST
def record_arrival(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id, for_write=True)
    form = ArrivalForm(request.POST, prefix="arrival")

    def call(d):
        return actions.ticket_record_arrival(actor=request.user, ticket=ticket, expected_version=d["version"],
                                             arrived_at=d["arrived_at"])

    return _answer(request, ticket, form, call, done=_("Arrival on site recorded."), form_key="arrival_form")


@login_required
@require_POST
def mark_major(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id, for_write=True)
    form = MajorForm(request.POST, prefix="major")

    def call(d):
        return actions.ticket_mark_major(actor=request.user, ticket=ticket, reason=d["reason"])

    return _answer(request, ticket, form, call, done=_("Marked as major; the general manager is told."),
                   form_key="major_form")


@login_required
@require_POST
def add_entry(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """A reply or note; from a timeline entry's "Correct" form, a correction superseding it (R4.9)."""
    ticket = access_ticket(request.user, ticket_id, for_write=True)
    prefix = "correct" if "correct-supersedes" in request.POST else "entry"
    form = EntryForm(request.POST, request.FILES, prefix=prefix)
    supersedes_id = request.POST.get(f"{prefix}-supersedes", "")
    supersedes_id = parse_id(supersedes_id)
    supersedes = entry_for_correction(request.user, ticket, supersedes_id) if supersedes_id else None

    def call(d):
        return actions.ticket_add_entry(actor=request.user, ticket=ticket, kind=d["kind"], body=d["body"],
                                        files=request.FILES.getlist(f"{prefix}-attachments"), supersedes=supersedes)

    done = _("Correction recorded.") if supersedes else _("Entry added.")
    key = "correct_form" if prefix == "correct" else "entry_form"
    extra = {"open_entry": supersedes.pk} if supersedes else None
    response = _answer(request, ticket, form, call, done=done, form_key=key, extra=extra)
    return response


@login_required
@require_POST
def link_repeat(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """The caller is asking again about this open matter: link and count it, no new request (R3.4)."""
    ticket = access_ticket(request.user, ticket_id, for_write=True)
    form = RepeatForm(request.POST, prefix="repeat")
    from_intake = request.POST.get("from") == "intake"
    if from_intake and form.is_valid():
        try:
            actions.ticket_link_repeat(actor=request.user, ticket=ticket, channel=form.cleaned_data["channel"],
                                       note=form.cleaned_data["note"])
        except InvalidInput as exc:
            error = exc.message if not exc.errors else " ".join(str(m) for v in exc.errors.values() for m in v)
            if request.htmx:
                return render(request, "tickets/intake.html#repeat_done", {"t": ticket, "error": error})
            messages.error(request, error)
            return redirect("tickets:intake")
        fresh = access_ticket(request.user, ticket.pk)
        if request.htmx:
            return render(request, "tickets/intake.html#repeat_done", {"t": fresh})
        messages.success(request, _("Linked to %(number)s as a repeat contact.") % {"number": fresh.number})
        return redirect("tickets:detail", fresh.pk)

    def call(d):
        return actions.ticket_link_repeat(actor=request.user, ticket=ticket, channel=d["channel"], note=d["note"])

    return _answer(request, ticket, form, call, done=_("Repeat contact recorded."), form_key="repeat_form")


@login_required
@require_POST
def request_ruling(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id, for_write=True)
    form = RulingRequestForm(request.POST, prefix="ruling")

    def call(d):
        return actions.ruling_request(actor=request.user, ticket=ticket, question=d["question"])

    return _answer(request, ticket, form, call, done=_("Sent to the office for a ruling."), form_key="ruling_form")


@login_required
@require_POST
def record_ruling(request: HttpRequest, ticket_id: int, ruling_id: int) -> HttpResponse:
    """The office's recorded ruling (R4.7); the office reads the ticket but does not work it."""
    require(request.user, Perm.TICKET_RULE)
    ticket = access_ticket(request.user, ticket_id)
    ruling = ticket.rulings.filter(pk=ruling_id).first()
    if ruling is None:
        raise NotFound()
    form = RulingRecordForm(request.POST, prefix="rulingrec")

    def call(d):
        return actions.ruling_record(actor=request.user, ruling=ruling, text=d["ruling"])

    return _answer(request, ticket, form, call, done=_("Ruling recorded."), form_key="ruling_record_form",
                   extra={"ruling_error_id": ruling.pk})
