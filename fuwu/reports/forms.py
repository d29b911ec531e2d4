from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuwu.core.forms import PeopleChoiceField
from fuwu.reports.models import ReportKind


class IssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    period_start = forms.DateField(label=_("A day in the period"), widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text=_("The week (Monday to Sunday) or the calendar month that contains it."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"kind": ReportKind.MONTHLY, "period_start": timezone.localdate()})
        super().__init__(*args, **kwargs)


class DistributionForm(forms.Form):
    kind = forms.ChoiceField(choices=ReportKind.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)
    users = PeopleChoiceField(
        label=_("Staff"), required=False, widget=forms.SelectMultiple(attrs={"size": 6}),
        queryset=get_user_model().objects.filter(is_active=True).exclude(email="").order_by("first_name", "username"))
    emails = forms.CharField(label=_("Other addresses"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One per line."))
