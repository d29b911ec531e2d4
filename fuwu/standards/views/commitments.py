"""Pages of service standards and commitments (R10.1, R10.2): parse, call an action or selector, render.

Staff read the catalogue and each standard's version history; managers draft, edit, publish,
revise, retire and withdraw through the forms, which keep what was typed and show errors beside
the fields. The commitments page (服务承诺) is public: it needs no login (no `login_required`).
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fuwu.core.errors import Conflict, InvalidInput
from fuwu.core.forms import add_action_errors
from fuwu.org.models import Department
from fuwu.org.policy import Perm, can, require
from fuwu.standards.actions import commitments as actions
from fuwu.standards.forms.commitments import (
    PublishForm,
    RetireForm,
    ReviseForm,
    StandardEditForm,
    StandardNewForm,
    WithdrawForm,
)
from fuwu.standards.models import ServiceStandard
from fuwu.standards.models.commitments import Factor, Touchpoint
from fuwu.standards.selectors.commitments import (
    StandardFilters,
    access_standard,
    by_touchpoint,
    commitments_by_touchpoint,
    standard_catalogue,
    standard_history,
    standing,
    state_counts,
)

# --- Staff pages ----------------------------------------------------------------------------------


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The catalogue grouped by touchpoint (服务圈), filtered by touchpoint, factor and state (R10.1)."""
    require(request.user, Perm.STANDARDS_VIEW)
    filters = StandardFilters.from_params(request.GET)
    today = timezone.localdate()
    rows = standard_catalogue(request.user, filters)
    for row in rows:
        row.standing = standing(row, today)
    return render(request, "standards/standard_catalogue.html", {
        "groups": by_touchpoint(rows), "count": len(rows), "filters": filters, "counts": state_counts(request.user),
        "touchpoints": Touchpoint.choices, "factors": Factor.choices,
        "states": [("in_force", _("In force")), ("draft", _("Drafts")), ("retired", _("Retired")),
                   ("all", _("All versions"))],
        "can_manage": can(request.user, Perm.STANDARDS_MANAGE),
    })


def _detail_context(request: HttpRequest, code: str, **forms_: Any) -> dict[str, Any]:
    today = timezone.localdate()
    history = standard_history(request.user, code, today=today)
    current, draft = history.current, history.draft
    context: dict[str, Any] = {
        "history": history, "current": current, "draft": draft, "today": today,
        "can_manage": can(request.user, Perm.STANDARDS_MANAGE),
    }
    if context["can_manage"]:
        if draft is not None:
            context["publish_form"] = PublishForm(initial={"effective_from": today, "version": draft.version})
            context["withdraw_form"] = WithdrawForm(initial={"version": draft.version})
        else:
            context["revise_form"] = ReviseForm()
        if current.state == ServiceStandard.State.IN_FORCE:
            context["retire_form"] = RetireForm(initial={"retire_on": today, "version": current.version})
    context.update(forms_)
    return context


@login_required
def standard_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One standard: the version in force (or the latest) and every version as its history (R10.2)."""
    return render(request, "standards/standard_detail.html", _detail_context(request, code))


def _on_detail(request: HttpRequest, code: str, form: forms.Form, form_key: str,
               call: Callable[[dict[str, Any]], Any], done: Callable[[Any], str]) -> HttpResponse:
    """Run `call` with the form's data and go back to the standard's page; on an error show the page
    again with this form open, its errors beside the fields and everything typed kept."""
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except Conflict as exc:
            form.add_error(None, exc.message)
            if "version" in form.fields:  # the next try applies it to the current version, knowingly
                form.data = form.data.copy()
                form.data["version"] = exc.data.get("current_version", form.data.get("version"))
        except actions.StandardStateError as exc:
            form.add_error(None, exc.message)
        except InvalidInput as exc:
            add_action_errors(exc, ("", form))
            for key, errors in exc.errors.items():
                if key not in form.fields:
                    for message in errors:
                        form.add_error(None, message)
        else:
            messages.success(request, done(result))
            return redirect("standards:standard", result.code)
    context = _detail_context(request, code, **{form_key: form}, open_form=form_key)
    return render(request, "standards/standard_detail.html", context, status=400)


@login_required
def standard_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.STANDARDS_MANAGE)
    form = StandardNewForm(request.POST or None, initial={"owner": Department.objects.filter(code="service").first()})
    if request.method == "POST" and form.is_valid():
        try:
            standard = actions.standard_draft(actor=request.user, code=form.cleaned_data["code"], data=form.to_input())
        except InvalidInput as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Standard %(code)s drafted. Publish it when it is ready.")
                             % {"code": standard.code})
            return redirect("standards:standard", standard.code)
    return render(request, "standards/standard_form.html", {"form": form, "creating": True})


@login_required
def standard_edit(request: HttpRequest, code: str, edition: int) -> HttpResponse:
    standard = access_standard(request.user, code, edition, for_write=True)
    if standard.state != ServiceStandard.State.DRAFT:
        messages.error(request, _("Version %(v)d is published and can no longer be changed; revise it to make a "
                                  "new version.") % {"v": standard.edition})
        return redirect("standards:standard", code)
    initial = {name: getattr(standard, name) for name in actions.FIELDS}
    initial.update(version=standard.version, revision_reason=standard.revision_reason)
    form = StandardEditForm(request.POST or None, initial=initial)
    if standard.edition == 1:
        del form.fields["revision_reason"]
    else:
        form.fields["revision_reason"].required = True  # R10.2: a revision records its reason
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.standard_edit_draft(
                actor=request.user, standard=standard, expected_version=form.cleaned_data["version"],
                data=form.to_input(), revision_reason=form.cleaned_data.get("revision_reason"),
            )
        except Conflict as exc:
            # Keep what the user typed, show what is there now, and let them save over it knowingly.
            conflict = {"message": exc.message, "current": access_standard(request.user, code, edition)}
            form.data = form.data.copy()
            form.data["version"] = conflict["current"].version
        except (InvalidInput, actions.StandardStateError) as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Draft saved."))
            return redirect("standards:standard", code)
    return render(request, "standards/standard_form.html",
                  {"form": form, "standard": standard, "conflict": conflict, "creating": False})


@login_required
@require_POST
def standard_publish(request: HttpRequest, code: str, edition: int) -> HttpResponse:
    standard = access_standard(request.user, code, edition, for_write=True)
    return _on_detail(
        request, code, PublishForm(request.POST), "publish_form",
        lambda d: actions.standard_publish(actor=request.user, standard=standard,
                                           expected_version=d["version"], effective_from=d["effective_from"]),
        lambda s: _("Version %(v)d published, in force from %(d)s.") % {"v": s.edition, "d": s.effective_from},
    )


@login_required
@require_POST
def standard_revise(request: HttpRequest, code: str, edition: int) -> HttpResponse:
    standard = access_standard(request.user, code, edition, for_write=True)
    form = ReviseForm(request.POST)
    if form.is_valid():
        try:
            draft = actions.standard_revise(actor=request.user, standard=standard, reason=form.cleaned_data["reason"])
        except actions.StandardStateError as exc:
            form.add_error(None, exc.message)
        except InvalidInput as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Version %(v)d drafted from the version in force. Make the changes, then "
                                        "publish it.") % {"v": draft.edition})
            return redirect("standards:standard_edit", code, draft.edition)
    context = _detail_context(request, code, revise_form=form, open_form="revise_form")
    return render(request, "standards/standard_detail.html", context, status=400)


@login_required
@require_POST
def standard_retire(request: HttpRequest, code: str, edition: int) -> HttpResponse:
    standard = access_standard(request.user, code, edition, for_write=True)
    return _on_detail(
        request, code, RetireForm(request.POST), "retire_form",
        lambda d: actions.standard_retire(actor=request.user, standard=standard, expected_version=d["version"],
                                          reason=d["reason"], retire_on=d["retire_on"]),
        lambda s: _("Version %(v)d retired.") % {"v": s.edition},
    )


@login_required
@require_POST
def standard_withdraw(request: HttpRequest, code: str, edition: int) -> HttpResponse:
    standard = access_standard(request.user, code, edition, for_write=True)
    return _on_detail(
        request, code, WithdrawForm(request.POST), "withdraw_form",
        lambda d: actions.standard_withdraw_draft(actor=request.user, standard=standard,
                                                  expected_version=d["version"], reason=d["reason"]),
        lambda s: _("Draft version %(v)d withdrawn.") % {"v": s.edition},
    )


# --- The public page ------------------------------------------------------------------------------


def commitments_public(request: HttpRequest) -> HttpResponse:
    """Our service commitments (服务承诺, R10.1, R10.4): public, no login, readable on a phone.

    The contact box comes from optional settings, each left out when absent: FUWU_SERVICE_HOTLINE
    and FUWU_DUTY_LINE (phone numbers), FUWU_SERVICE_HOURS (the daily hours, e.g. "8:00–18:00",
    shown as "Every day, 8:00–18:00" in the viewer's language; R10.3).
    """
    today = timezone.localdate()
    return render(request, "standards/commitments_public.html", {
        "groups": commitments_by_touchpoint(today), "today": today,
        "hotline": getattr(settings, "FUWU_SERVICE_HOTLINE", ""),
        "duty_line": getattr(settings, "FUWU_DUTY_LINE", ""),
        "service_hours": getattr(settings, "FUWU_SERVICE_HOURS", ""),
    })


urlpatterns = [
    path("commitments/", commitments_public, name="commitments_public"),
    path("catalogue/", catalogue, name="catalogue"),
    path("catalogue/new/", standard_new, name="standard_new"),
    path("catalogue/<slug:code>/", standard_detail, name="standard"),
    path("catalogue/<slug:code>/v<int:edition>/edit/", standard_edit, name="standard_edit"),
    path("catalogue/<slug:code>/v<int:edition>/publish/", standard_publish, name="standard_publish"),
    path("catalogue/<slug:code>/v<int:edition>/revise/", standard_revise, name="standard_revise"),
    path("catalogue/<slug:code>/v<int:edition>/retire/", standard_retire, name="standard_retire"),
    path("catalogue/<slug:code>/v<int:edition>/withdraw/", standard_withdraw, name="standard_withdraw"),
]
