"""A site served beyond this machine that writes its mail to files sends none: say so at start (manage.py check)."""

from django.conf import settings
from django.core.checks import Warning as CheckWarning


def mail_goes_somewhere(app_configs=None, **kwargs) -> list[CheckWarning]:
    backend = settings.MAILERS.get("default", {}).get("BACKEND", "")
    if settings.SERVED_BEYOND_THIS_MACHINE and backend.endswith(("filebased.EmailBackend", "console.EmailBackend")):
        return [CheckWarning("Outgoing e-mail is written to files or the console, not sent.",
                             hint="Set EMAIL_HOST (docs/operations.md, E-mail).", id="fuwu_mail.W001")]
    return []
