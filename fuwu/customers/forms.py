"""Shapes of the customer pages' input. Business rules live in validation.py, used by the actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fuwu.customers.models import CustomerClass, CustomerKind
from fuwu.customers.validation import AddressInput, ContactInput, CustomerInput, ProductInput
from fuwu.org.models import Region


class CustomerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CustomerKind.choices, initial=CustomerKind.ORGANISATION)
    name = forms.CharField(label=_("Name"), max_length=120)
    customer_class = forms.ChoiceField(label=_("Class"), choices=CustomerClass.choices, initial=CustomerClass.ORDINARY)
    industry = forms.CharField(label=_("Industry"), max_length=64, required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    identity_number = forms.CharField(
        label=_("Identity number / credit code"),
        max_length=18,
        required=False,
        help_text=_("Resident ID for a person, unified social credit code for an organisation."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def to_input(self) -> CustomerInput:
        d = self.cleaned_data
        return CustomerInput(
            kind=d["kind"],
            name=d["name"],
            customer_class=d["customer_class"],
            industry=d["industry"],
            region_id=d["region"].pk if d["region"] else None,
            identity_number=d["identity_number"],
            notes=d["notes"],
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

    def to_input(self) -> ContactInput:
        return ContactInput(**self.cleaned_data)


class AddressForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=32, required=False)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    line = forms.CharField(label=_("Address"), max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), max_length=6, required=False)

    def to_input(self) -> AddressInput:
        d = self.cleaned_data
        return AddressInput(line=d["line"], label=d["label"], region_id=d["region"].pk if d["region"] else None,
                            postal_code=d["postal_code"])


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Product or project"), max_length=120)
    model = forms.CharField(label=_("Model"), max_length=64, required=False)
    serial_number = forms.CharField(label=_("Serial number"), max_length=64, required=False)
    delivered_on = forms.DateField(label=_("Delivered on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    warranty_ends_on = forms.DateField(label=_("Warranty ends on"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)

    def to_input(self) -> ProductInput:
        return ProductInput(**self.cleaned_data)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
