"""Satisfaction figures (R9.1): satisfaction rate, NPS and response rate for a period, by month,
staff member, group and service type."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from fuwu.core.errors import PermissionDenied
from fuwu.core.validation import parse_day
from fuwu.org.policy import Perm, can
from fuwu.surveys.figures import period_of_months, survey_figures

BREAKDOWN_LABELS = {"month": _("By month"), "staff": _("By staff member served"), "group": _("By group"),
                    "service_type": _("By service type")}


def _month(value: str | None):
    return parse_day(f"{value}-01") if value and len(value) == 7 else None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The navigation's one entry: the figures for those who read them, else the answers to enter."""
    if can(request.user, Perm.SURVEY_VIEW):
        return redirect("surveys:figures")
    if can(request.user, Perm.SURVEY_ENTER):
        return redirect("surveys:invitations")
    raise PermissionDenied()


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.SURVEY_VIEW):
        raise PermissionDenied()
    since, until = period_of_months(_month(request.GET.get("from")), _month(request.GET.get("to")))
    result = survey_figures(request.user, since=since, until=until)
    last = (until.date() - datetime.timedelta(days=1)).replace(day=1)
    return render(request, "surveys/figures.html", {
        "f": result, "from": f"{since:%Y-%m}", "to": f"{last:%Y-%m}",
        "tables": [(key, BREAKDOWN_LABELS[key], rows) for key, rows in result.by.items()],
        "can_enter": can(request.user, Perm.SURVEY_ENTER),
    })
