from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from fuwu.org.actions import login_failure_record, login_locked_until


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request else None


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing a username locked after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed attempts. This account is locked until %(until)s."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        until = login_locked_until(username) if username else None
        if until:
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"until": formats.time_format(timezone.localtime(until), "H:i")},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            if username and self.cleaned_data.get("password"):
                login_failure_record(username=username, ip_address=client_ip(self.request))
            raise
