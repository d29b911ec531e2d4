"""The complaint panel's forms, one per step (R6.2–R6.4): the views pass their data to the actions."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from fuwu.complaints.models import Measure, RootCause, Severity
from fuwu.org.models import Department


def _staff():
    return (get_user_model().objects.filter(is_active=True, profile__is_active=True, profile__employee_no__isnull=False)
            .select_related("profile").order_by("username"))


class StaffField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class RootCauseField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj.label)


def _text(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UpdateForm(VersionForm):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    demand = forms.CharField(label=_("What the customer demands"), widget=_text(), required=False, max_length=2000)
    accused = StaffField(label=_("Employee complained about"), queryset=_staff(), required=False,
                         empty_label=_("Nobody named"))


class InvestigateForm(VersionForm):
    investigator = StaffField(label=_("Investigator"), queryset=_staff(), required=False,
                              empty_label=_("Myself"))


class NotesForm(VersionForm):
    notes = forms.CharField(label=_("Investigation notes"), widget=_text(4), max_length=8000)


class ConcludeForm(VersionForm):
    valid = forms.TypedChoiceField(label=_("Found valid (经查属实)"), coerce=lambda v: v == "yes",
                                   choices=[("yes", _("Yes, the complaint is valid")),
                                            ("no", _("No, not valid"))])
    root_cause = RootCauseField(label=_("Root cause"), queryset=RootCause.objects.filter(is_active=True))
    responsible_department = forms.ModelChoiceField(label=_("Responsible department"),
                                                    queryset=Department.objects.order_by("name"), required=False)
    responsible_person = StaffField(label=_("Responsible person"), queryset=_staff(), required=False,
                                    empty_label=_("No one person"))
    conclusion = forms.CharField(label=_("Conclusion"), widget=_text(3), max_length=4000)


class ProposeForm(VersionForm):
    solution = forms.CharField(label=_("Solution proposed to the customer"), widget=_text(3), max_length=4000)


class AnswerForm(VersionForm):
    agreed = forms.TypedChoiceField(label=_("The customer's answer"), coerce=lambda v: v == "yes",
                                    choices=[("yes", _("Agrees to the solution")), ("no", _("Refuses it"))])
    feedback = forms.CharField(label=_("What the customer said"), widget=_text(), required=False, max_length=4000)


class AttemptForm(forms.Form):
    note = forms.CharField(label=_("How you tried to reach the customer"), max_length=500)


class ApologyForm(VersionForm):
    apology_note = forms.CharField(label=_("Who apologised, and how"), max_length=500)


class CloseForm(VersionForm):
    pass


class CompensationForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (CNY)"), max_digits=12, decimal_places=2, min_value=0)
    reason = forms.CharField(label=_("Reason"), widget=_text(), max_length=2000)
    is_claim = forms.BooleanField(label=_("The customer's claim (索赔)"), required=False)


class DecideForm(VersionForm):
    approve = forms.TypedChoiceField(coerce=lambda v: v == "yes", choices=[("yes", _("Approve")), ("no", _("Refuse"))])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AccountabilityDecideForm(VersionForm):
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    note = forms.CharField(label=_("Decision, as the employee will read it"), widget=_text(), max_length=2000)


class AccountabilityAnswerForm(VersionForm):
    answer = forms.CharField(label=_("Your answer"), widget=_text(3), max_length=2000)


class RootCauseForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=64)
