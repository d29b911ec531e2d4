"""The forms of the result pages (R9.5, R11.5): the views pass their data to the actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fuwu.quality.indicators import INDICATORS, Dimension, Granularity
from fuwu.quality.models import MeritRule


class RuleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    indicator = forms.ChoiceField(label=_("Indicator"), choices=[])
    granularity = forms.ChoiceField(label=_("Period"), initial=Granularity.MONTH, choices=[
        (Granularity.MONTH, Granularity.MONTH.label), (Granularity.QUARTER, Granularity.QUARTER.label)])
    comparison = forms.ChoiceField(label=_("Comparison"), choices=MeritRule.Comparison.choices)
    threshold = forms.FloatField(label=_("Threshold"), min_value=-1e9, max_value=1e9,
                                 help_text=_("In the indicator's unit: percent for a rate, a number for a count."))
    min_volume = forms.IntegerField(label=_("Minimum volume"), min_value=0, max_value=1_000_000, initial=0,
                                    help_text=_("Fewer settled clocks, answers or requests behind the figure: "
                                                "no outcome."))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=MeritRule.Outcome.choices)
    points = forms.IntegerField(label=_("Points"), min_value=-1000, max_value=1000, initial=0)
    description = forms.CharField(label=_("Description"), max_length=200,
                                  help_text=_("As the staff member will read it, e.g. 'Commendation'."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.code, i.label) for i in INDICATORS if Dimension.STAFF in i.dimensions]


class DecideForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("waive", _("Waive"))])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ProposeForm(forms.Form):
    granularity = forms.ChoiceField(choices=[(Granularity.MONTH, Granularity.MONTH.label),
                                             (Granularity.QUARTER, Granularity.QUARTER.label)])
    start = forms.DateField()
