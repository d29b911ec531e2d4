"""Forms of the improvement pages (R17): the views pass their data to the actions."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from fuwu.core.forms import PersonChoiceField
from fuwu.improvements.models import ActionKind, ImprovementAction


def staff_choices():
    return (get_user_model().objects.filter(is_active=True, profile__is_active=True, profile__employee_no__isnull=False)
            .select_related("profile").order_by("username"))


StaffField = PersonChoiceField


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ActionFieldsForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    goal = forms.CharField(label=_("Goal"), widget=_text(2), max_length=2000,
                           help_text=_("What the action is to achieve, measurably."))
    measures = forms.CharField(label=_("Measures"), widget=_text(4), max_length=4000)
    owner = StaffField(label=_("Action owner"), queryset=staff_choices(), empty_label=_("Choose the owner"))
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))


class ActionForm(ActionFieldsForm):
    """A new action; the source comes from the page it was opened on (or none)."""

    source_kind = forms.ChoiceField(choices=ImprovementAction.SourceKind.choices, widget=forms.HiddenInput,
                                    initial=ImprovementAction.SourceKind.MANUAL)
    source_id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**53)


class EditForm(VersionForm, ActionFieldsForm):
    pass


class MoveForm(VersionForm):
    note = forms.CharField(label=_("Note"), widget=_text(2), max_length=2000, required=False)


class CompleteForm(VersionForm):
    note = forms.CharField(label=_("What was done"), widget=_text(3), max_length=2000)


class VerifyForm(VersionForm):
    effective = forms.TypedChoiceField(label=_("Effect"), coerce=lambda v: v == "yes",
                                       choices=[("yes", _("Effective: close the action")),
                                                ("no", _("Not effective: back to work"))])
    note = forms.CharField(label=_("How the effect was checked"), widget=_text(3), max_length=2000)


class CancelForm(VersionForm):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=500)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Progress note"), widget=_text(2), max_length=4000)


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=_text(5), max_length=4000,
                                  help_text=_("What to improve, why, and how you would do it."))


class AcceptForm(VersionForm, ActionFieldsForm):
    pass


class DeclineForm(VersionForm):
    reason = forms.CharField(label=_("Reason, as the submitter will read it"), widget=_text(2), max_length=1000)
