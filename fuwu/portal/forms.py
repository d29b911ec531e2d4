"""The portal's forms: shape only; the actions decide (docs/architecture.md, rule 8)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fuwu.tickets.forms import MultipleFileField


class LinkForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))


class RequestForm(forms.Form):
    service_type = forms.TypedChoiceField(label=_("What do you need?"), coerce=int, choices=())
    title = forms.CharField(label=_("Subject"), max_length=200,
                            help_text=_("In a few words, e.g. “The air conditioner in room 3 does not cool”."))
    description = forms.CharField(label=_("Details"), required=False, max_length=10_000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    product = forms.TypedChoiceField(label=_("Product"), coerce=int, required=False, empty_value=None, choices=())
    site_address = forms.CharField(label=_("Where"), max_length=200, required=False,
                                   help_text=_("The address where the service is needed."))
    occurred_since = forms.CharField(label=_("Since when"), max_length=64, required=False)
    attachments = MultipleFileField(label=_("Pictures or documents"), required=False)

    def __init__(self, *args, service_types=(), products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].choices = [("", _("Choose…")), *((t.pk, str(t)) for t in service_types)]
        self.fields["product"].choices = [("", _("No particular product")), *(
            (p.pk, " · ".join(x for x in (p.name, p.model, p.serial_number) if x)) for p in products)]


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your message"), required=False, max_length=10_000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("Add files"), required=False)


class ConfirmForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("What is still wrong?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
