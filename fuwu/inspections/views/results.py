"""Scoring a checklist (on a phone, on site), one inspection's page, the results with averages, and
one's own results (R9.4, R9.5, R9.7)."""

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fuwu.core.errors import FuwuError, NotFound, PermissionDenied
from fuwu.core.forms import add_action_errors
from fuwu.core.validation import parse_id
from fuwu.improvements.actions import SourceKind, improvement_action_open
from fuwu.improvements.rules import may_manage as may_manage_improvements
from fuwu.improvements.selectors import improvement_actions_for_source
from fuwu.inspections import actions
from fuwu.inspections.forms import ImprovementForm, ResultsFilter, ScoreForm
from fuwu.inspections.selectors import (
    checklist_for,
    inspection_for,
    inspection_scores,
    inspection_summary,
    inspections_visible_to,
    item_scores,
    round_for,
    rounds_for_inspector,
)
from fuwu.inspections.views._common import flags, require_view
from fuwu.org.models import Group, Profile
from fuwu.org.policy import Perm, can, is_staff_member, permission_denied
from fuwu.tickets.models import Ticket


def _person(profile) -> str:
    name = profile.user.get_full_name() or profile.user.username
    return f"{name} · {profile.group.name}" if profile.group_id else name


def _choices(round_) -> tuple[list, list]:
    people = Profile.objects.filter(is_active=True, group__isnull=False).select_related("user", "group")
    groups = Group.objects.order_by("department__code", "code")
    if round_ is not None:
        group_ids = [g.pk for g in round_.target_groups.all()]
        staff_ids = [u.pk for u in round_.target_staff.all()]
        if group_ids or staff_ids:
            people = people.filter(group_id__in=group_ids) | people.filter(user_id__in=staff_ids)
        if group_ids:
            groups = groups.filter(pk__in=group_ids) | groups.filter(members__user_id__in=staff_ids)
    people = people.order_by("group__code", "user__first_name", "user__username").distinct()
    return [(p.user_id, _person(p)) for p in people[:500]], [(g.pk, g.name) for g in groups.distinct()]


@login_required
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, round_id: int | None = None, checklist_id: int | None = None) -> HttpResponse:
    """Fill a checklist for one target: on a round (its checklist version) or ad hoc (a published one)."""
    if not can(request.user, Perm.INSPECTION_PERFORM):
        raise permission_denied(Perm.INSPECTION_PERFORM)
    round_ = round_for(request.user, round_id) if round_id else None
    checklist = round_.checklist if round_ is not None else checklist_for(request.user, checklist_id)
    items = list(checklist.items.order_by("position", "id"))
    staff_choices, group_choices = _choices(round_)
    initial = {}
    if request.method == "GET":
        initial = {"staff": parse_id(request.GET.get("staff")), "group": parse_id(request.GET.get("group"))}
        ticket_id = parse_id(request.GET.get("ticket"))
        number = Ticket.objects.filter(pk=ticket_id).values_list("number", flat=True).first() if ticket_id else None
        initial["ticket"] = number or ""
    form = ScoreForm(request.POST or None, initial=initial, items=items, staff_choices=staff_choices,
                     group_choices=group_choices)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ticket = None
        if d["ticket"].strip():
            ticket = Ticket.objects.filter(number=d["ticket"].strip().upper()).first()
            if ticket is None:
                form.add_error("ticket", _("No request has this number."))
        if ticket is not None or not d["ticket"].strip():
            data = actions.ScoreInput(
                checklist_id=checklist.pk, scores={i.pk: d[f"item_{i.pk}"] for i in items},
                item_notes={i.pk: d[f"note_{i.pk}"] for i in items}, staff_id=d["staff"], group_id=d["group"],
                ticket_id=getattr(ticket, "pk", None), work_order_number=d["work_order_number"], notes=d["notes"])
            try:
                inspection = actions.inspection_record(actor=request.user, data=data, round_=round_)
            except FuwuError as exc:
                errors = dict(exc.errors)
                for old, new in (("staff_id", "staff"), ("group_id", "group"), ("ticket_id", "ticket")):
                    if old in errors:
                        errors[new] = errors.pop(old)
                exc.errors = errors
                add_action_errors(exc, ("", form))
            else:
                messages.success(request, _("Scored: %(score)s%%.") % {"score": inspection.score})
                return redirect("inspections:detail", inspection.pk)
    return render(request, "inspections/score.html", {"form": form, "checklist": checklist, "r": round_,
                                                      "tab": "rounds"},
                  status=400 if form.is_bound else 200)


def _owners(finding) -> list:
    """Who may own an improvement action: the responsible group's members, its leader first."""
    people = Profile.objects.filter(is_active=True, group=finding.group).select_related("user", "group")
    leader = finding.group.leader_id
    ordered = sorted(people, key=lambda p: (p.user_id != leader, p.user.get_full_name() or p.user.username))
    return [(p.user_id, _person(p)) for p in ordered]


def _detail(request: HttpRequest, inspection, improvement_form=None) -> dict:
    finding = inspection.finding if hasattr(inspection, "finding") else None
    context = {"i": inspection, "scores": item_scores(inspection), "finding": finding,
               "can_view": can(request.user, Perm.INSPECTION_VIEW), "improvements": [], "improvement_form": None}
    if finding is not None and can(request.user, Perm.INSPECTION_VIEW):
        context["improvements"] = list(improvement_actions_for_source(
            viewer=request.user, source_kind=SourceKind.INSPECTION, source_id=finding.pk))
        if may_manage_improvements(request.user):
            context["improvement_form"] = improvement_form or ImprovementForm(owners=_owners(finding), initial={
                "title": _("Improve: %(checklist)s") % {"checklist": inspection.checklist.title},
                "kind": "corrective", "owner": finding.group.leader_id,
                "due_on": timezone.localdate() + datetime.timedelta(days=30), "goal": finding.summary[:2000]})
    return context


@login_required
def inspection_detail(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = inspection_for(request.user, inspection_id)
    return render(request, "inspections/detail.html", _detail(request, inspection))


@login_required
@require_POST
def inspection_improve(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """Open an improvement action from this inspection's finding (R17.1); the improvements app's action
    checks and records it."""
    if not may_manage_improvements(request.user):
        raise PermissionDenied()
    inspection = inspection_for(request.user, inspection_id)
    finding = inspection.finding if hasattr(inspection, "finding") else None
    if finding is None:
        raise NotFound()
    form = ImprovementForm(request.POST, owners=_owners(finding))
    if form.is_valid():
        d = form.cleaned_data
        try:
            action = improvement_action_open(
                actor=request.user, kind=d["kind"], title=d["title"], goal=d["goal"], measures=d["measures"],
                owner=get_user_model().objects.filter(pk=d["owner"]).first(), due_on=d["due_on"],
                source_kind=SourceKind.INSPECTION, source_id=finding.pk)
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Improvement action %(number)s proposed.") % {"number": action.number})
            return redirect(f"{reverse('inspections:detail', args=[inspection.pk])}#improvements")
    return render(request, "inspections/detail.html", _detail(request, inspection, form), status=400)


def _period(form: ResultsFilter) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    data = form.cleaned_data if form.is_valid() else {}
    start = data.get("start") or today.replace(month=1, day=1)
    end = data.get("end") or today
    if end < start:
        start, end = end, start
    return start, end


@login_required
def results(request: HttpRequest) -> HttpResponse:
    """Average scores for a period by touchpoint, group, staff member, checklist, kind or month, and the
    latest inspections."""
    require_view(request)
    form = ResultsFilter(request.GET or None)
    start, end = _period(form)
    by = (form.cleaned_data.get("by") if form.is_valid() else "") or "touchpoint"
    kind = (form.cleaned_data.get("kind") if form.is_valid() else "") or ""
    rows = inspection_scores(viewer=request.user, start=start, end=end, by=by, kind=kind)
    if not form.is_bound:
        form = ResultsFilter(initial={"start": start, "end": end, "by": by})
    return render(request, "inspections/results.html", {
        "form": form, "rows": rows, "by": by, "start": start, "end": end,
        "summary": inspection_summary(viewer=request.user, start=start, end=end),
        "latest": inspections_visible_to(request.user)[:30],
        "my_rounds": rounds_for_inspector(request.user)[:20], "tab": "results", **flags(request)})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The inspection results about oneself (R9.5: feedback to the person inspected)."""
    if not is_staff_member(request.user):
        raise permission_denied(Perm.STAFF_VIEW)
    own = inspections_visible_to(request.user).filter(staff=request.user)
    today = timezone.localdate()
    start = today.replace(year=today.year - 1) + datetime.timedelta(days=1)
    # One's own averages, even for a viewer who may read everyone's (issue 15: a manager saw the service's).
    by_touchpoint = inspection_scores(viewer=request.user, start=start, end=today, by="touchpoint",
                                      staff_id=request.user.pk)
    return render(request, "inspections/mine.html", {"inspections": own[:100], "rows": by_touchpoint,
                                                     "start": start, "end": today})
