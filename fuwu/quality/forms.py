"""The target form (R9.5): the view passes its data to `target_set`."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from fuwu.core.forms import PersonChoiceField
from fuwu.org.roles import Role
from fuwu.quality.indicators import INDICATORS, Dimension, Granularity

_ROLES = [Role.MANAGER, Role.QUALITY_SUPERVISOR, Role.GENERAL_MANAGER, Role.ADMIN]


def _managers():
    return (get_user_model().objects.filter(is_active=True, profile__is_active=True,
                                            profile__roles__code__in=_ROLES)
            .distinct().order_by("username"))


OwnerField = PersonChoiceField


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=[])
    granularity = forms.ChoiceField(label=_("Period"), choices=Granularity.choices, initial=Granularity.MONTH)
    dimension = forms.ChoiceField(label=_("Dimension"), choices=Dimension.choices, initial=Dimension.TOTAL)
    dimension_key = forms.CharField(label=_("Dimension value (id or code)"), required=False, max_length=32)
    target = forms.FloatField(label=_("Target"), min_value=-1e9, max_value=1e9)
    alert_level = forms.FloatField(label=_("Alert level"), min_value=-1e9, max_value=1e9)
    owner = OwnerField(label=_("Responsible manager"), queryset=_managers(), empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.code, i.label) for i in INDICATORS]
        self.fields["owner"].queryset = _managers()


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


def _staff():
    return (get_user_model().objects.filter(is_active=True, profile__is_active=True,
                                            profile__employee_no__isnull=False).order_by("username"))


class ImprovementForm(forms.Form):
    """An improvement action opened from an alert (R17.1): what the view passes to the action."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    goal = forms.CharField(label=_("What it is to achieve"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label=_("What will be done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    owner = OwnerField(label=_("Who carries it out"), queryset=_staff())
    due_on = forms.DateField(label=_("To be done by"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff()
