from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from fuwu.core.models import NotificationDelivery
from fuwu.core.request_context import client_ip
from fuwu.org.actions import login_locked_until


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form, saying until when a locked username (at this address) must wait."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed attempts. This account is locked until %(until)s."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        until = login_locked_until(username, client_ip(self.request)) if username else None
        if until:
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"until": formats.time_format(timezone.localtime(until), "H:i")},
            )
        return super().clean()  # the lockout backend counts a wrong password (fuwu.org.auth)


class NotificationPreferenceForm(forms.Form):
    """How notices reach a person beyond the app: at once, or one e-mail a day."""

    delivery = forms.ChoiceField(label=_("E-mail reminders"), choices=NotificationDelivery.choices,
                                 widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)
