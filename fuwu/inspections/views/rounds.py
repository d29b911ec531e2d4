"""Inspection rounds (R9.7): the list, planning one, its page with its targets and inspections, and
its steps (start, complete, cancel)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fuwu.core.errors import Conflict, FuwuError
from fuwu.core.forms import add_action_errors
from fuwu.inspections import actions, workflow
from fuwu.inspections.forms import MoveForm, RoundForm
from fuwu.inspections.models import Checklist, RoundMove, RoundStatus
from fuwu.inspections.selectors import (
    inspection_targets,
    inspections_visible_to,
    published_checklists,
    round_for,
    rounds_visible_to,
)
from fuwu.inspections.views._common import flags, require_manage, require_view
from fuwu.org.models import Group


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    require_view(request)
    status = request.GET.get("status", "")
    status = status if status in (*RoundStatus.values, "open") else ""
    return render(request, "inspections/round_list.html", {
        "rounds": rounds_visible_to(request.user, status=status).order_by("-period_start", "-id")[:200],
        "status": status, "statuses": RoundStatus.choices, "tab": "rounds", **flags(request)})


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    require_manage(request)
    form = RoundForm(request.POST or None, viewer=request.user, checklists=published_checklists(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        User = get_user_model()
        try:
            round_ = actions.round_plan(
                actor=request.user, title=d["title"], checklist=Checklist.objects.filter(pk=d["checklist"]).first(),
                period_start=d["period_start"], period_end=d["period_end"],
                inspectors=User.objects.filter(pk__in=d["inspectors"]), groups=Group.objects.filter(pk__in=d["groups"]),
                staff=User.objects.filter(pk__in=d["staff"]), sample_size=d["sample_size"], note=d["note"])
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Round planned."))
            return redirect("inspections:round", round_.pk)
    return render(request, "inspections/round_new.html", {"form": form, "tab": "rounds"},
                  status=400 if form.is_bound else 200)


def _detail(request: HttpRequest, round_, **overrides) -> dict:
    manage = flags(request)["can_manage"]
    moves = [(m, RoundMove(m).label) for m in workflow.moves_from(round_.status)] if manage else []
    return {
        "r": round_, "targets": inspection_targets(round_), "moves": moves,
        "inspections": inspections_visible_to(request.user).filter(round=round_)[:300],
        "is_inspector": round_.inspectors.filter(pk=request.user.pk).exists(),
        "scoring": round_.status in workflow.SCORING, "move_form": None, "conflict": None, "tab": "rounds",
        **flags(request), **overrides,
    }


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = round_for(request.user, round_id)
    return render(request, "inspections/round_detail.html", _detail(request, round_))


@login_required
@require_POST
def round_step(request: HttpRequest, round_id: int) -> HttpResponse:
    require_manage(request)
    round_ = round_for(request.user, round_id)
    form = MoveForm(request.POST)
    conflict = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.round_move(actor=request.user, round_=round_, expected_version=d["version"], move=d["move"],
                               reason=d["reason"])
        except Conflict as exc:
            conflict = exc.message
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Done."))
            return redirect("inspections:round", round_.pk)
    fresh = round_for(request.user, round_.pk)
    return render(request, "inspections/round_detail.html", _detail(request, fresh, move_form=form, conflict=conflict),
                  status=409 if conflict else 400)
