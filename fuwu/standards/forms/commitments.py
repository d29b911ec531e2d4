"""Forms of the service standard pages (R10.1, R10.2): shapes only; the rules are `clean_standard`."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from fuwu.org.models import Department
from fuwu.standards.actions import commitments as actions
from fuwu.standards.models.commitments import Factor, Touchpoint


class StandardForm(forms.Form):
    statement = forms.CharField(label=gettext_lazy("Statement"), widget=forms.Textarea(attrs={"rows": 2}))
    statement_en = forms.CharField(label=gettext_lazy("Statement in English"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    touchpoint = forms.ChoiceField(label=gettext_lazy("Touchpoint in the service cycle"),
                                   choices=[("", "—"), *Touchpoint.choices])
    factor = forms.ChoiceField(label=gettext_lazy("Factor"), choices=[("", "—"), *Factor.choices],
                               help_text=gettext_lazy("Basic: expected by every customer; performance: the more "
                                                      "the better; delight: beyond what is expected."))
    indicator = forms.CharField(
        label=gettext_lazy("Indicator"), max_length=200,
        help_text=gettext_lazy("What is measured, e.g. share of calls answered within two rings."),
    )
    target = forms.CharField(label=gettext_lazy("Target"), max_length=200)
    measuring_method = forms.CharField(label=gettext_lazy("Measuring method"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=gettext_lazy("Responsible department"), queryset=Department.objects.all(),
                                   required=False, empty_label=gettext_lazy("Choose a department"))
    is_commitment = forms.BooleanField(label=gettext_lazy("Publish to customers as a commitment"), required=False)
    commitment_text = forms.CharField(label=gettext_lazy("Commitment as customers read it"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    commitment_text_en = forms.CharField(label=gettext_lazy("Commitment in English"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        for name, errors in actions.clean_standard(self._input(cleaned)).items():
            if name in self.fields and not self.has_error(name):
                for message in errors:
                    self.add_error(name, message)
        return cleaned

    def to_input(self) -> actions.StandardInput:
        return self._input(self.cleaned_data)

    @staticmethod
    def _input(d: dict[str, Any]) -> actions.StandardInput:
        return actions.StandardInput(**{name: d.get(name, "") for name in actions.FIELDS
                                        if name not in ("owner", "is_commitment")},
                                     owner=d.get("owner"), is_commitment=bool(d.get("is_commitment")))


class StandardNewForm(StandardForm):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=32,
                           help_text=gettext_lazy("Stays the same across versions, e.g. hotline-answer."))
    field_order = ["code"]


class StandardEditForm(StandardForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    revision_reason = forms.CharField(label=gettext_lazy("Reason for the revision"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(forms.Form):
    effective_from = forms.DateField(label=gettext_lazy("In force from"),
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for the revision"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RetireForm(forms.Form):
    retire_on = forms.DateField(label=gettext_lazy("No longer in force from"),
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)
