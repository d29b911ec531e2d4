"""Shapes of the materials pages' input (R13.2). The rules live in validation.py, used by the actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fuwu.core.validation import Errors
from fuwu.materials.validation import MAX_QUANTITY, ItemInput, clean_item


class ItemForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=120)
    specification = forms.CharField(label=_("Specification"), max_length=200, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=16, help_text=_("个, 套, 米 …"))
    unit_cost = forms.DecimalField(label=_("Unit cost (yuan)"), min_value=0, max_digits=12, decimal_places=2,
                                   initial=0)
    reorder_level = forms.IntegerField(label=_("Reorder level"), min_value=0, max_value=MAX_QUANTITY, initial=0,
                                       help_text=_("Managers are told when the store falls to this many or fewer."))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean(self):
        cleaned = super().clean()
        errors = Errors()
        clean_item(self._input(cleaned), errors)
        for name, messages in errors.fields.items():
            if name in self.fields and not self.has_error(name):
                for message in messages:
                    self.add_error(name, message)
        return cleaned

    def to_input(self) -> ItemInput:
        return self._input(self.cleaned_data)

    @staticmethod
    def _input(d) -> ItemInput:
        return ItemInput(
            code=d.get("code", ""), name=d.get("name", ""), specification=d.get("specification", ""),
            unit=d.get("unit", ""), unit_cost=d.get("unit_cost") if d.get("unit_cost") is not None else 0,
            reorder_level=d.get("reorder_level") if d.get("reorder_level") is not None else 0,
            is_active=bool(d.get("is_active")),
        )


class ItemEditForm(ItemForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


def _quantity(label=None, min_value=1):
    return forms.IntegerField(label=label or _("Quantity"), min_value=min_value, max_value=MAX_QUANTITY)


class _TechnicianChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class ReceiptForm(forms.Form):
    quantity = _quantity()
    unit_cost = forms.DecimalField(label=_("Unit cost (yuan)"), min_value=0, max_digits=12, decimal_places=2,
                                   required=False, help_text=_("Leave empty for the item's unit cost."))
    reference = forms.CharField(label=_("Delivery note or order number"), max_length=64, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RequisitionForm(forms.Form):
    technician = _TechnicianChoice(label=_("Technician"), queryset=None, empty_label=_("Choose a technician"))
    quantity = _quantity()
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, technicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians


class ReturnForm(RequisitionForm):
    """A manager names the technician; a technician returns their own parts (the field is dropped)."""

    def __init__(self, *args, technicians, own: bool, **kwargs):
        super().__init__(*args, technicians=technicians, **kwargs)
        if own:
            del self.fields["technician"]


class AdjustmentForm(forms.Form):
    technician = _TechnicianChoice(label=_("Holder"), queryset=None, required=False,
                                   empty_label=_("Central store"))
    counted = _quantity(_("Quantity counted"), min_value=0)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, technicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians
