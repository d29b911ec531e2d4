"""The result pages (R9.5, R11.5): the period's outcomes per group for managers, decided in place; the
result rules; a staff member's own results (我的绩效). Views parse, call, render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fuwu.core.errors import Conflict, FuwuError
from fuwu.core.forms import add_action_errors
from fuwu.org.policy import Perm, can, require
from fuwu.quality.indicators import Granularity, Period
from fuwu.quality.merit import actions
from fuwu.quality.merit.forms import DecideForm, ProposeForm, RuleForm
from fuwu.quality.merit.selectors import (
    access_result,
    access_rule,
    last_closed,
    my_results,
    period_board,
    period_counts,
    result_row,
    rules_visible_to,
)
from fuwu.quality.models import MeritResult, MeritRule


def _period(request: HttpRequest) -> Period:
    granularity = request.GET.get("g", Granularity.MONTH)
    if granularity not in (Granularity.MONTH, Granularity.QUARTER):
        granularity = Granularity.MONTH
    try:
        start = datetime.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        return last_closed(granularity)
    if not datetime.date(2000, 1, 1) <= start <= datetime.date(2199, 12, 31):
        return last_closed(granularity)
    return Period.containing(granularity, start)


def _board_url(period: Period, state: str = "") -> str:
    url = f"{reverse('quality:merit_board')}?g={period.granularity}&start={period.start.isoformat()}"
    return f"{url}&state={state}" if state else url


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The period's proposed and decided outcomes per group, the figure behind each linked to its requests."""
    require(request.user, Perm.MERIT_VIEW)
    period = _period(request)
    state = request.GET.get("state", "")
    today = timezone.localdate()
    groups = period_board(request.user, period, state=state)
    return render(request, "quality/merit/board.html", {
        "period": period, "groups": groups, "counts": period_counts(request.user, period), "state": state,
        "can_manage": can(request.user, Perm.MERIT_MANAGE), "closed": period.end <= today,
        "previous_url": _board_url(period.previous(), state), "next_url": _board_url(period.next(), state)
        if period.next().end <= today else "", "month_url": _board_url(last_closed(Granularity.MONTH)),
        "quarter_url": _board_url(last_closed(Granularity.QUARTER)), "this_url": _board_url(period),
        "proposed_url": _board_url(period, MeritResult.State.PROPOSED)})


@login_required
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MERIT_MANAGE)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a period."))
        return redirect("quality:merit_board")
    period = Period.containing(form.cleaned_data["granularity"], form.cleaned_data["start"])
    try:
        added = actions.merit_results_propose(actor=request.user, granularity=period.granularity,
                                              period_start=period.start)
    except FuwuError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(period)s judged: %(n)d new results.") % {"period": period.label, "n": added})
    return redirect(_board_url(period))


def _row_response(request: HttpRequest, result: MeritResult, error: str = "") -> HttpResponse:
    return render(request, "quality/merit/_result.html", {
        "r": result_row(result), "can_manage": True, "error": error, "user": request.user})


@login_required
@require_POST
def decide(request: HttpRequest, result_id: int) -> HttpResponse:
    """Confirm or waive one proposed outcome; from the board, the row is redrawn in place (HTMX)."""
    require(request.user, Perm.MERIT_MANAGE)
    result = access_result(request.user, result_id)
    form = DecideForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose to confirm or waive.")
    else:
        data = form.cleaned_data
        try:
            result = actions.merit_result_decide(actor=request.user, result=result, version=data["version"],
                                                 confirm=data["decision"] == "confirm", note=data["note"])
        except Conflict:
            result = access_result(request.user, result_id)
            error = _("Someone decided on this result meanwhile; here is what is stored now.")
        except FuwuError as exc:
            error = (exc.errors and next(iter(exc.errors.values()))[0]) or exc.message
    if request.htmx:
        return _row_response(request, result, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect(_board_url(Period(result.granularity, result.period_start)) + f"#result-{result.pk}")


def _rules_page(request: HttpRequest, form: RuleForm | None, *, revising: MeritRule | None = None,
                status: int = 200) -> HttpResponse:
    can_manage = can(request.user, Perm.MERIT_MANAGE)
    return render(request, "quality/merit/rules.html", {
        "rules": rules_visible_to(request.user), "can_manage": can_manage, "form": form if can_manage else None,
        "revising": revising,
        "retired": rules_visible_to(request.user, retired=True).filter(is_active=False)[:50]}, status=status)


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.MERIT_VIEW)
    return _rules_page(request, RuleForm())


@login_required
def rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    """A new rule, or a new revision of one (the form filled with the rule as it stands)."""
    require(request.user, Perm.MERIT_MANAGE)
    rule = access_rule(request.user, rule_id) if rule_id else None
    if request.method != "POST":
        if rule is None:
            return redirect("quality:merit_rules")
        initial = {f: getattr(rule, f) for f in actions.RULE_FIELDS}
        return _rules_page(request, RuleForm(initial={**initial, "version": rule.version}),
                           revising=rule)
    form = RuleForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            actions.merit_rule_save(actor=request.user, rule=rule, version=version, **data)
        except Conflict as exc:
            form.add_error(None, exc.message)
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Rule saved."))
            return redirect("quality:merit_rules")
    return _rules_page(request, form, revising=rule, status=400)


@login_required
@require_POST
def rule_retire(request: HttpRequest, rule_id: int) -> HttpResponse:
    require(request.user, Perm.MERIT_MANAGE)
    rule = access_rule(request.user, rule_id)
    try:
        actions.merit_rule_retire(actor=request.user, rule=rule, version=int(request.POST.get("version", "0")))
        messages.success(request, _("Rule retired."))
    except (FuwuError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", _("Reload the page and try again.")))
    return redirect("quality:merit_rules")


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """My performance (我的绩效): my figures against the rules and the outcomes decided."""
    require(request.user, Perm.STAFF_VIEW)
    return render(request, "quality/merit/mine.html", my_results(request.user))
