"""Forms of the follow-up pages: they check shapes; the actions decide (R8.1–R8.3)."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from fuwu.followups.models import CareMessage, FollowUpPlanRule, FollowUpRule, NextStep

REACHED_CHOICES = [("yes", _("Reached")), ("no", _("Not reached"))]
SATISFACTION_CHOICES = [(str(n), str(n)) for n in range(5, 0, -1)]


class RecordForm(forms.Form):
    """One call: reached or not; if reached, the opinion, satisfaction and, when unsatisfied, the next step."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reached = forms.ChoiceField(label=_("Call result"), choices=REACHED_CHOICES, widget=forms.RadioSelect)
    opinion = forms.CharField(label=_("Customer's opinion"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    satisfaction = forms.TypedChoiceField(label=_("Satisfaction (5 very satisfied, 1 very unsatisfied)"),
                                          choices=SATISFACTION_CHOICES, coerce=int, empty_value=None, required=False,
                                          widget=forms.RadioSelect)
    next_step = forms.ChoiceField(label=_("If unsatisfied (1–2)"), choices=NextStep.choices, required=False,
                                  widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note on the call"), required=False, max_length=500)

    def __init__(self, *args, survey: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if survey:
            self.fields["opinion"].label = _("Next year's needs")
            del self.fields["next_step"]


def _bounded(field: forms.Field, low: int, high: int) -> forms.Field:
    field.validators += [MinValueValidator(low), MaxValueValidator(high)]
    field.widget.attrs.update({"min": low, "max": high})
    return field


class FollowUpRuleForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FollowUpRule
        fields = ("service_kind", "service_type", "required", "working_days", "calendar", "retry_hours",
                  "max_attempts", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bounded(self.fields["working_days"], 1, 30)
        _bounded(self.fields["retry_hours"], 1, 72)
        _bounded(self.fields["max_attempts"], 1, 10)
        self.fields["service_kind"].choices = [("", _("Any")), *self.fields["service_kind"].choices[1:]]


class PlanRuleForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FollowUpPlanRule
        fields = ("category", "customer_class", "first_months", "first_every", "then_every", "needs_survey",
                  "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bounded(self.fields["first_months"], 0, 120)
        _bounded(self.fields["first_every"], 1, 24)
        _bounded(self.fields["then_every"], 1, 24)
        self.fields["customer_class"].choices = [("", _("Any")), *self.fields["customer_class"].choices[1:]]


class CareMessageForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CareMessage
        fields = ("kind", "subject", "body", "month", "day", "customer_class", "min_years", "is_active")
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bounded(self.fields["month"], 1, 12)
        _bounded(self.fields["day"], 1, 28)
        _bounded(self.fields["min_years"], 0, 50)
        self.fields["customer_class"].choices = [("", _("Any")), *self.fields["customer_class"].choices[1:]]
