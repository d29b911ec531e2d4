"""Forms of the inspection pages: they parse input; the actions check the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuwu.improvements.models import ActionKind
from fuwu.inspections.models import ChecklistKind, RoundMove, Touchpoint
from fuwu.org.models import Group
from fuwu.org.policy import Perm, can
from fuwu.org.selectors import staff_visible_to
from fuwu.tickets.forms import VersionedForm

# A date field the browser's date picker fills: its value is always ISO, whatever the language.
DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChecklistForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("Shared by all versions, e.g. hotline-call."))
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=ChecklistKind.choices)
    touchpoint = forms.ChoiceField(label=_("Touchpoint"), choices=Touchpoint.choices)
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"), min_value=0, max_value=100, initial=80)
    intro = forms.CharField(label=_("Instructions for the inspector"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))


class HeadForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=ChecklistKind.choices)
    touchpoint = forms.ChoiceField(label=_("Touchpoint"), choices=Touchpoint.choices)
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"), min_value=0, max_value=100)
    intro = forms.CharField(label=_("Instructions for the inspector"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))


class ItemForm(VersionedForm):
    text = forms.CharField(label=_("Checklist item"), max_length=300)
    guidance = forms.CharField(label=_("What to look for"), max_length=500, required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)
    max_score = forms.IntegerField(label=_("Maximum score"), min_value=1, max_value=100, initial=5)
    critical = forms.BooleanField(label=_("Critical: failing it fails the checklist"), required=False)


class RemoveItemForm(VersionedForm):
    item = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    checklist = forms.TypedChoiceField(label=_("Checklist"), coerce=int)
    period_start = forms.DateField(label=_("Period starts"), widget=DAY)
    period_end = forms.DateField(label=_("Period ends"), widget=DAY)
    inspectors = forms.TypedMultipleChoiceField(label=_("Inspectors"), coerce=int,
                                                widget=forms.SelectMultiple(attrs={"size": 4}))
    groups = forms.TypedMultipleChoiceField(label=_("Groups inspected"), coerce=int, required=False,
                                            widget=forms.SelectMultiple(attrs={"size": 4}))
    staff = forms.TypedMultipleChoiceField(label=_("Staff inspected"), coerce=int, required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 6}))
    sample_size = forms.IntegerField(label=_("Requests to sample"), min_value=0, max_value=500, initial=0)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, viewer, checklists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].choices = [(c.pk, f"{c} · {c.get_touchpoint_display()}") for c in checklists]
        people = [p for p in staff_visible_to(viewer).filter(is_active=True, employee_no__isnull=False)
                  .select_related("user", "group").order_by("group__code", "user__first_name", "user__username")]
        self.fields["inspectors"].choices = [(p.user_id, _label(p)) for p in people
                                             if can(p.user, Perm.INSPECTION_PERFORM)]
        self.fields["staff"].choices = [(p.user_id, _label(p)) for p in people if p.group_id]
        self.fields["groups"].choices = [(g.pk, g.name) for g in Group.objects.order_by("department__code", "code")]
        today = timezone.localdate()
        self.fields["period_start"].initial = today
        self.fields["period_end"].initial = today.replace(day=28)


def _label(profile) -> str:
    name = profile.user.get_full_name() or profile.user.username
    return f"{name} · {profile.group.name}" if profile.group_id else name


class MoveForm(VersionedForm):
    move = forms.ChoiceField(choices=RoundMove.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ScoreForm(forms.Form):
    """One field per checklist item (score and note) and the target."""

    staff = forms.TypedChoiceField(label=_("Staff member inspected"), coerce=int, required=False, empty_value=None)
    group = forms.TypedChoiceField(label=_("Group inspected"), coerce=int, required=False, empty_value=None,
                                   help_text=_("Empty: the staff member's group."))
    ticket = forms.CharField(label=_("Request number (optional)"), max_length=20, required=False)
    work_order_number = forms.CharField(label=_("Work order number (optional)"), max_length=32, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items, staff_choices, group_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.fields["staff"].choices = [("", "—"), *staff_choices]
        self.fields["group"].choices = [("", "—"), *group_choices]
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=item.text, coerce=int, choices=[(n, str(n)) for n in range(item.max_score + 1)],
                widget=forms.RadioSelect, error_messages={"required": _("Give this item a score.")})
            self.fields[f"note_{item.pk}"] = forms.CharField(label=_("Note"), max_length=500, required=False)

    def rows(self):
        """(item, score field, note field) for the template."""
        return [(item, self[f"item_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]


class ImprovementForm(forms.Form):
    """An improvement action opened from a finding (R17.1): the improvements app's action checks it."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=[(ActionKind.CORRECTIVE.value, _("Corrective action")),
                                                       (ActionKind.PREVENTIVE.value, _("Preventive action"))])
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    due_on = forms.DateField(label=_("Action due on"), widget=DAY)
    goal = forms.CharField(label=_("What the action is to achieve"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label=_("Measures to take"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners


class ResultsFilter(forms.Form):
    start = forms.DateField(label=_("Observed from"), required=False, widget=DAY)
    end = forms.DateField(label=_("Observed until"), required=False, widget=DAY)
    by = forms.ChoiceField(label=_("By"), required=False, choices=[
        ("touchpoint", _("Touchpoint")), ("group", _("Group")), ("staff", _("Staff member")),
        ("checklist", _("Checklist")), ("kind", _("Kind")), ("month", _("Month"))])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *ChecklistKind.choices])
