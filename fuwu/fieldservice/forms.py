"""Forms of the field-service pages: they parse; the actions decide (docs/architecture.md, rule 1)."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from fuwu.customers.models import DeliveredProduct
from fuwu.fieldservice.models import WorkOrderMove, WorkOrderStatus
from fuwu.fieldservice.selectors import field_technicians
from fuwu.materials.models import Item
from fuwu.org.models import Skill
from fuwu.tickets.forms import VersionedForm


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DeliveredProduct) -> str:
        parts = [obj.name, obj.model, obj.serial_number]
        ends = obj.warranty_ends_on.isoformat() if obj.warranty_ends_on else _("unknown")
        return " · ".join(p for p in parts if p) + " — " + str(_("warranty until %(day)s") % {"day": ends})


class TechnicianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


def _technicians():
    return get_user_model().objects.filter(profile__in=field_technicians()).order_by("profile__employee_no")


class OpenForm(VersionedForm):
    """Send the request on site: the request's version, what to repair, where, which product."""

    product = ProductChoiceField(label=_("Product"), queryset=DeliveredProduct.objects.none(), required=False,
                                 empty_label=_("No registered product"))
    skill = forms.ModelChoiceField(label=_("Skill needed"), queryset=Skill.objects.all(), required=False,
                                   empty_label=_("Any"))
    fault = forms.CharField(label=_("Fault to repair"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    site_address = forms.CharField(label=_("Site address"), max_length=200)
    contact_name = forms.CharField(label=_("Contact on site"), max_length=64, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    reason = forms.CharField(label=_("Why on site"), max_length=500, required=False,
                             help_text=_("Why the hotline and remote help cannot fix it."))

    def __init__(self, *args, products=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if products is not None:
            self.fields["product"].queryset = products


class ScheduleForm(VersionedForm):
    technician = TechnicianChoiceField(label=_("Technician"), queryset=_technicians(),
                                       empty_label=_("Choose a technician"))
    start = forms.DateTimeField(label=_("Appointment from"),
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    end = forms.DateTimeField(label=_("Appointment until"),
                              widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(label=_("Reason for the change"), max_length=500, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = _technicians()


class StepForm(VersionedForm):
    move = forms.ChoiceField(choices=WorkOrderMove.choices, widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    findings = forms.CharField(label=_("What you found"), max_length=4000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    work_done = forms.CharField(label=_("Work done"), max_length=4000, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=_("What happens next"), required=False, widget=forms.RadioSelect, choices=[
        (WorkOrderStatus.REVISIT_NEEDED, WorkOrderStatus.REVISIT_NEEDED.label),
        (WorkOrderStatus.WAITING_PARTS, WorkOrderStatus.WAITING_PARTS.label)])


class SignOffForm(VersionedForm):
    work_done = forms.CharField(label=_("Work done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    signer_name = forms.CharField(label=_("Customer's name"), max_length=64)
    satisfaction = forms.TypedChoiceField(label=_("How satisfied is the customer?"), coerce=int, required=False,
                                          empty_value=None, widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                                          choices=[(n, str(n)) for n in range(1, 6)])
    # The drawn signature as a PNG data URL, filled in by signature.js.
    signature = forms.CharField(widget=forms.HiddenInput, required=False, max_length=450_000)


class BookForm(VersionedForm):
    """One slot picked from the ranked technicians' free slots: "<technician id>|<start>|<end>"."""

    slot = forms.CharField(max_length=100, error_messages={"required": _("Choose a slot.")})
    reason = forms.CharField(label=_("Reason for the change"), max_length=500, required=False)

    def clean_slot(self) -> tuple[int, datetime.datetime, datetime.datetime]:
        try:
            technician, start, end = self.cleaned_data["slot"].split("|")
            return int(technician), datetime.datetime.fromisoformat(start), datetime.datetime.fromisoformat(end)
        except ValueError:
            raise forms.ValidationError(_("Choose a slot.")) from None


class DefectForm(forms.Form):
    description = forms.CharField(label=_("What is wrong with the product"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class PartForm(forms.Form):
    """A part used on the repair, from the technician's own stock (R5.2)."""

    item = forms.ModelChoiceField(label=_("Part"), queryset=Item.objects.none(), empty_label=_("Choose a part"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10_000, initial=1)

    def __init__(self, *args, holdings=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.filter(pk__in=[h.item_id for h in holdings])
        in_hand = {h.item_id: h.quantity for h in holdings}
        self.fields["item"].label_from_instance = lambda item: f"{item.name} {item.specification} · " + str(
            _("%(n)s %(unit)s in hand") % {"n": in_hand.get(item.pk, 0), "unit": item.unit})
