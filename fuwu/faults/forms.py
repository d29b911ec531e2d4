"""The fault pages' forms (R7): the views pass their data to the actions."""

import re
import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from fuwu.core.forms import PersonChoiceField
from fuwu.customers.models import Customer
from fuwu.faults.models import FaultMove, RecipientKind, Severity
from fuwu.improvements.models import ActionKind
from fuwu.org.models import Department, Region
from fuwu.org.roles import STAFF_ROLES, Role
from fuwu.standards.models import ServiceType

_SEPARATORS = re.compile(r"[\n\r;；,，、]+")


def _staff():
    return (get_user_model().objects.filter(is_active=True, profile__is_active=True, profile__employee_no__isnull=False)
            .select_related("profile").order_by("username"))


StaffField = PersonChoiceField


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FaultForm(VersionForm):
    request_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    title = forms.CharField(label=_("Title"), max_length=200)
    started_at = forms.DateTimeField(label=_("Began at"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    severity = forms.ChoiceField(label=_("Fault severity"), choices=Severity.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("code"), required=False,
                                    empty_label=_("Not named"))
    place = forms.CharField(label=_("Place"), max_length=200)
    symptoms = forms.CharField(label=_("Symptoms"), widget=_text(), max_length=4000)
    handling_plan = forms.CharField(label=_("Handling plan"), widget=_text(), max_length=4000)
    service_types = forms.ModelMultipleChoiceField(
        label=_("Affected services"), required=False,
        queryset=ServiceType.objects.filter(is_active=True).order_by("sort_order", "name"),
        widget=forms.CheckboxSelectMultiple)
    customers = forms.CharField(label=_("Affected customers"), widget=_text(2), required=False, max_length=4000,
                                help_text=_("Customer names as in the archive, one per line or separated by “、”."))
    business_owner = StaffField(label=_("Business owner"), queryset=_staff(), required=False,
                                empty_label=_("Not named"))
    responsible_manager = StaffField(label=_("Responsible manager"), queryset=_staff(), required=False,
                                     empty_label=_("Not named"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("request_key"):
            self.initial["request_key"] = uuid.uuid4().hex

    def clean_customers(self) -> list:
        names = [n.strip() for n in _SEPARATORS.split(self.cleaned_data.get("customers") or "") if n.strip()]
        names = list(dict.fromkeys(names))
        found: dict[str, list] = {}
        for customer in Customer.objects.filter(name__in=names, is_active=True):
            found.setdefault(customer.name, []).append(customer)
        errors = []
        for name in names:
            if name not in found:
                errors.append(_("No customer is named “%(name)s”.") % {"name": name})
            elif len(found[name]) > 1:
                errors.append(_("Several customers are named “%(name)s”; ask the archive keeper.") % {"name": name})
        if errors:
            raise forms.ValidationError(errors)
        return [found[name][0] for name in names]


class MoveForm(VersionForm):
    move = forms.ChoiceField(choices=[(m.value, m.label) for m in FaultMove if m != FaultMove.CLOSE])
    note = forms.CharField(label=_("Note"), widget=_text(2), required=False, max_length=4000)


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), widget=_text(2), max_length=4000)


class AnalysisForm(VersionForm):
    impact = forms.CharField(label=_("Impact"), widget=_text(), max_length=4000)
    handling_summary = forms.CharField(label=_("Handling"), widget=_text(), max_length=4000)
    root_cause = forms.CharField(label=_("Root cause"), widget=_text(), max_length=4000)
    corrective_measures = forms.CharField(label=_("Corrective measures"), widget=_text(2), max_length=4000,
                                          required=False)
    preventive_measures = forms.CharField(label=_("Preventive measures"), widget=_text(2), max_length=4000,
                                          required=False)


class CloseForm(VersionForm):
    pass


class ImprovementForm(forms.Form):
    """A corrective or preventive improvement action opened from the fault's page (R7.2, R17.1)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    goal = forms.CharField(label=_("What the action is to achieve"), widget=_text(2), max_length=2000)
    measures = forms.CharField(label=_("What will be done"), widget=_text(2), max_length=4000)
    owner = StaffField(label=_("Owner"), queryset=_staff())
    due_on = forms.DateField(label=_("To be done by"),
                             widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class RecipientForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RecipientKind.choices)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.order_by("code"),
                                        required=False, empty_label="—")
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", "—")] + [(r.value, r.label) for r in Role if r in STAFF_ROLES])
    user = StaffField(label=_("Person"), queryset=_staff(), required=False, empty_label="—")
