"""The quality pages (R9.5, R10.1, R15.1): the indicator catalogue with its targets, the alerts.
Views parse, call, render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fuwu.core.errors import FuwuError
from fuwu.core.forms import add_action_errors
from fuwu.org.policy import Perm, can, require
from fuwu.quality import actions
from fuwu.quality.forms import ImprovementForm, TargetForm, VersionForm
from fuwu.quality.indicators import REGISTRY, Granularity, Period
from fuwu.quality.selectors import access_alert, access_target, alerts_visible_to, catalogue, format_value


def _catalogue_page(request: HttpRequest, form: TargetForm | None, status: int = 200) -> HttpResponse:
    can_manage = can(request.user, Perm.QUALITY_MANAGE)
    return render(request, "quality/catalogue.html", {
        "rows": catalogue(request.user), "form": form if can_manage else None, "can_manage": can_manage,
    }, status=status)


@login_required
def catalogue_page(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.QUALITY_VIEW)
    return _catalogue_page(request, TargetForm())


@login_required
@require_POST
def target_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.QUALITY_MANAGE)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            actions.target_set(actor=request.user, **form.cleaned_data)
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Target saved."))
            return redirect("quality:catalogue")
    return _catalogue_page(request, form, status=400)


@login_required
@require_POST
def target_retire(request: HttpRequest, target_id: int) -> HttpResponse:
    require(request.user, Perm.QUALITY_MANAGE)
    target = access_target(request.user, target_id)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            actions.target_retire(actor=request.user, target=target, version=form.cleaned_data["version"])
            messages.success(request, _("Target retired."))
        except FuwuError as exc:
            messages.error(request, exc.message)
    return redirect("quality:catalogue")


@login_required
def alerts_page(request: HttpRequest) -> HttpResponse:
    rows = []
    for alert in alerts_visible_to(request.user)[:200]:
        ind = REGISTRY.get(alert.target.indicator)
        period = Period(alert.target.granularity, alert.period_start)
        rows.append({"alert": alert, "indicator": ind, "period": period,
                     "display": format_value(ind, alert.value) if ind else alert.value,
                     "url": ind.drill(period) if ind and ind.drill else ""})
    return render(request, "quality/alerts.html", {
        "rows": rows, "can_manage": can(request.user, Perm.QUALITY_MANAGE), "granularities": dict(Granularity.choices)})


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    require(request.user, Perm.QUALITY_MANAGE)
    alert = access_alert(request.user, alert_id)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            actions.alert_acknowledge(actor=request.user, alert=alert, version=form.cleaned_data["version"])
            messages.success(request, _("Alert acknowledged."))
        except FuwuError as exc:
            messages.error(request, exc.message)
    return redirect("quality:alerts")


def _improve_page(request: HttpRequest, alert, form: ImprovementForm, status: int = 200) -> HttpResponse:
    ind = REGISTRY.get(alert.target.indicator)
    return render(request, "quality/improve.html", {
        "alert": alert, "indicator": ind,
        "value_display": format_value(ind, alert.value) if ind else alert.value,
        "period": Period(alert.target.granularity, alert.period_start), "form": form}, status=status)


@login_required
def alert_improve(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Open an improvement action from an alert (R9.5, R17.1): the form, and its answer."""
    require(request.user, Perm.QUALITY_MANAGE)
    alert = access_alert(request.user, alert_id)
    if alert.improvement_id is not None:
        return redirect("improvements:detail", alert.improvement_id)
    if request.method != "POST":
        ind = REGISTRY.get(alert.target.indicator)
        period = Period(alert.target.granularity, alert.period_start)
        title = _("Improve %(indicator)s (%(period)s)") % {"indicator": ind.label if ind else "",
                                                           "period": period.label}
        return _improve_page(request, alert, ImprovementForm(initial={
            "version": alert.version, "title": title, "owner": alert.target.owner_id,
            "due_on": timezone.localdate() + datetime.timedelta(days=30)}))
    form = ImprovementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            improvement = actions.alert_open_improvement(
                actor=request.user, alert=alert, version=data["version"], title=data["title"], goal=data["goal"],
                measures=data["measures"], owner=data["owner"], due_on=data["due_on"])
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Improvement action %(number)s opened.") % {"number": improvement.number})
            return redirect("quality:alerts")
    return _improve_page(request, alert, form, status=400)
