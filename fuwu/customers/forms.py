"""Shapes of the customer pages' input. Business rules live in validation.py, used by the actions.

Each form also runs those rules on what it holds, so a page shows every error at once (a blank
name and a bad phone together), not the shape errors first and the business errors on the next try.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from fuwu.customers.models import CustomerClass, CustomerKind
from fuwu.customers.validation import (
    AddressInput,
    ContactInput,
    CustomerInput,
    Errors,
    ProductInput,
    clean_address,
    clean_contact,
    clean_customer,
    clean_product,
)
from fuwu.org.models import Region


def _apply_rules(form: forms.Form, rule, data) -> None:
    """Add the business rule's errors to fields that have no shape error already."""
    errors = Errors()
    rule(data, errors)
    for name, messages in errors.fields.items():
        if name in form.fields and not form.has_error(name):
            for message in messages:
                form.add_error(name, message)


class CustomerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CustomerKind.choices, initial=CustomerKind.ORGANISATION)
    name = forms.CharField(label=_("Name"), max_length=120)
    customer_class = forms.ChoiceField(label=_("Class"), choices=CustomerClass.choices, initial=CustomerClass.ORDINARY)
    industry = forms.CharField(label=_("Industry"), max_length=64, required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label=_("Choose a region")
    )
    identity_number = forms.CharField(
        label=_("Identity number / credit code"),
        max_length=18,
        required=False,
        help_text=_("Resident ID for a person, unified social credit code for an organisation."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        cleaned = super().clean()
        _apply_rules(self, clean_customer, self._input(cleaned))
        return cleaned

    def to_input(self) -> CustomerInput:
        return self._input(self.cleaned_data)

    @staticmethod
    def _input(d) -> CustomerInput:
        return CustomerInput(
            kind=d.get("kind", ""),
            name=d.get("name", ""),
            customer_class=d.get("customer_class", ""),
            industry=d.get("industry", ""),
            region_id=d["region"].pk if d.get("region") else None,
            identity_number=d.get("identity_number", ""),
            notes=d.get("notes", ""),
        )


class CustomerEditForm(CustomerForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Contact name"), max_length=64)
    title = forms.CharField(label=_("Position"), max_length=64, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=24, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    phone_alt = forms.CharField(label=_("Other phone"), max_length=24, required=False,
                                widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False,
                            widget=forms.TextInput(attrs={"type": "email", "inputmode": "email"}))

    def clean(self):
        cleaned = super().clean()
        _apply_rules(self, clean_contact, ContactInput(**{"name": "", **cleaned}))
        return cleaned

    def to_input(self) -> ContactInput:
        return ContactInput(**self.cleaned_data)


class AddressForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=32, required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label=_("Choose a region")
    )
    line = forms.CharField(label=_("Address"), max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), max_length=6, required=False)

    def clean(self):
        cleaned = super().clean()
        _apply_rules(self, clean_address, self._input(cleaned))
        return cleaned

    def to_input(self) -> AddressInput:
        return self._input(self.cleaned_data)

    @staticmethod
    def _input(d) -> AddressInput:
        return AddressInput(line=d.get("line", ""), label=d.get("label", ""),
                            region_id=d["region"].pk if d.get("region") else None, postal_code=d.get("postal_code", ""))


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Product or project"), max_length=120)
    model = forms.CharField(label=_("Model"), max_length=64, required=False)
    serial_number = forms.CharField(label=_("Serial number"), max_length=64, required=False)
    delivered_on = forms.DateField(label=_("Delivered on"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    warranty_ends_on = forms.DateField(label=_("Warranty ends on"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        _apply_rules(self, clean_product, ProductInput(**{"name": "", **cleaned}))
        return cleaned

    def to_input(self) -> ProductInput:
        return ProductInput(**self.cleaned_data)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
