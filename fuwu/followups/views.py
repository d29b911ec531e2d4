"""Follow-up pages (R8.1–R8.3): the queue with its tabs, one follow-up with the record-the-call form
(HTMX: the form opens beside the queue), and the rules. Views parse, call an action, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from fuwu.core.errors import Conflict, FuwuError, NotFound, PermissionDenied
from fuwu.core.forms import add_action_errors
from fuwu.core.validation import MAX_ID
from fuwu.customers.selectors import PiiPolicy
from fuwu.followups import actions
from fuwu.followups.codes import FollowUpError
from fuwu.followups.forms import CareMessageForm, FollowUpRuleForm, PlanRuleForm, RecordForm
from fuwu.followups.models import CareMessage, FollowUp, FollowUpKind, FollowUpPlanRule, FollowUpRule
from fuwu.followups.presenters import due_badge
from fuwu.followups.selectors import (
    TAB_LABELS,
    Tab,
    attempts_of,
    config_rows,
    follow_up_for,
    may_see,
    queue,
    tab_counts,
)
from fuwu.org.policy import Perm, can


def _id(value: int) -> int:
    """A path id within the database's range (a larger one is simply not found)."""
    if not 0 < value <= MAX_ID:
        raise NotFound()
    return value


def _require_view(request: HttpRequest) -> None:
    if not may_see(request.user):
        raise PermissionDenied(code=FollowUpError.FORBIDDEN_WORK)


@login_required
def queue_page(request: HttpRequest) -> HttpResponse:
    """Due, overdue, today's and the retries, the next call first; the deadline drawn like the request queues'."""
    _require_view(request)
    tab = request.GET.get("tab", Tab.TODAY)
    tab = Tab(tab) if tab in Tab.__members__.values() else Tab.TODAY
    kind = request.GET.get("kind", "")
    kind = kind if kind in FollowUpKind.values else ""
    now = timezone.now()
    rows = queue(request.user, tab, kind=kind, now=now)
    counts = tab_counts(request.user, kind=kind, now=now)
    pii = PiiPolicy.for_user(request.user)
    return render(request, "followups/queue.html", {
        "tab": tab, "kind": kind, "kinds": FollowUpKind.choices,
        "tabs": [(t, TAB_LABELS[t], counts.get(t)) for t in Tab],
        "rows": [{"f": f, "due": due_badge(f, now), "contact": _contact(f)[0], "phone": pii.phone(_contact(f)[1])}
                 for f in rows],
        "can_record": can(request.user, Perm.FOLLOWUP_WORK),
        "can_manage": can(request.user, Perm.FOLLOWUP_MANAGE),
    })


def _contact(follow_up: FollowUp) -> tuple[str, str]:
    """Whom to call: the request's contact, else the customer's primary contact (prefetched by `queue`)."""
    if follow_up.ticket_id:
        return follow_up.ticket.contact_name, follow_up.ticket.contact_phone
    contacts = getattr(follow_up.customer, "active_contacts", None) if follow_up.customer_id else None
    return (contacts[0].name, contacts[0].phone) if contacts else ("", "")


def _detail_context(request: HttpRequest, follow_up: FollowUp, form: RecordForm | None = None,
                    conflict: str | None = None) -> dict:
    survey = follow_up.kind == FollowUpKind.NEEDS_SURVEY
    can_record = can(request.user, Perm.FOLLOWUP_WORK) and follow_up.is_open
    contact = None
    if follow_up.customer_id:
        contact = follow_up.customer.contacts.filter(is_active=True).order_by("-is_primary", "id").first()
    pii = PiiPolicy.for_user(request.user)
    return {
        "f": follow_up,
        "due": due_badge(follow_up, timezone.now()),
        "attempts": attempts_of(follow_up),
        "contact": contact,
        "phone": pii.phone(follow_up.ticket.contact_phone if follow_up.ticket_id else contact.phone if contact else ""),
        "form": (form or RecordForm(prefix="rec", survey=survey, initial={"version": follow_up.version}))
        if can_record else None,
        "conflict": conflict,
    }


@login_required
def detail(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = follow_up_for(request.user, _id(follow_up_id))
    return render(request, "followups/detail.html", _detail_context(request, follow_up))


@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    """GET: the form (an HTMX fragment beside the queue, else the follow-up's page). POST: the call."""
    follow_up = follow_up_for(request.user, _id(follow_up_id))
    template = "followups/detail.html#record" if request.htmx else "followups/detail.html"
    if request.method == "GET":
        return render(request, template, _detail_context(request, follow_up))
    if not can(request.user, Perm.FOLLOWUP_WORK):
        raise PermissionDenied(code=FollowUpError.FORBIDDEN_WORK)
    survey = follow_up.kind == FollowUpKind.NEEDS_SURVEY
    form = RecordForm(request.POST, prefix="rec", survey=survey)
    conflict = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            done = actions.followup_record(
                actor=request.user, follow_up=follow_up, expected_version=d["version"], reached=d["reached"] == "yes",
                note=d["note"], opinion=d["opinion"], satisfaction=d["satisfaction"],
                next_step=d.get("next_step") or "")
        except Conflict as exc:
            conflict = exc.message
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _success(done))
            if request.htmx:
                return HttpResponseClientRedirect(request.headers.get("HX-Current-URL") or "/followups/")
            return redirect("followups:queue")
    fresh = follow_up_for(request.user, follow_up.pk)
    if conflict:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = fresh.version
    status = 200 if request.htmx else 409 if conflict else 400
    return render(request, template, _detail_context(request, fresh, form, conflict), status=status)


def _success(follow_up: FollowUp) -> str:
    if follow_up.complaint_id:
        return _("Recorded; complaint %(n)s opened.") % {"n": follow_up.complaint.number}
    if follow_up.next_step == "reopen":
        return _("Recorded; the request was reopened.")
    if follow_up.state == "retry":
        return _("Not reached; call again at %(t)s.") % {
            "t": timezone.localtime(follow_up.next_attempt_at).strftime("%m-%d %H:%M")}
    if follow_up.state == "unreachable":
        return _("Not reached; the follow-up is given up as unreachable.")
    return _("Follow-up recorded.")


# -- rules ------------------------------------------------------------------------------------------

_CONFIG: dict[str, tuple[type[models.Model], type]] = {
    "rule": (FollowUpRule, FollowUpRuleForm),
    "plan": (FollowUpPlanRule, PlanRuleForm),
    "care": (CareMessage, CareMessageForm),
}


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    found = config_rows(request.user)
    if found is None:
        raise PermissionDenied(code=FollowUpError.FORBIDDEN_MANAGE)
    return render(request, "followups/rules.html", found)


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, what: str, row_id: int | None = None) -> HttpResponse:
    if not can(request.user, Perm.FOLLOWUP_MANAGE):
        raise PermissionDenied(code=FollowUpError.FORBIDDEN_MANAGE)
    if what not in _CONFIG:
        raise NotFound()
    model, form_class = _CONFIG[what]
    instance = None
    if row_id is not None:
        instance = model.objects.filter(pk=_id(row_id)).first()
        if instance is None:
            raise NotFound()
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, instance=model.objects.get(pk=instance.pk) if instance else None)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form_class._meta.fields}
            try:
                actions.follow_up_config_save(actor=request.user, model=model, instance=instance,
                                              expected_version=form.cleaned_data.get("version"), values=values)
            except FuwuError as exc:
                status = 409 if isinstance(exc, Conflict) else 400
                add_action_errors(exc, ("", form))
            else:
                messages.success(request, _("Saved."))
                return redirect("followups:rules")
        else:
            status = 400
    else:
        form = form_class(instance=instance, initial={"version": instance.version} if instance else None)
    return render(request, "followups/rule_form.html", {"form": form, "what": what, "row": instance,
                                                        "title": model._meta.verbose_name}, status=status)
