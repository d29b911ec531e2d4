"""Who the mailbox speaks for (pure apart from the settings)."""

from django.conf import settings


def is_mail_login(user) -> bool:
    """The login that takes requests from e-mail (FUWU_MAIL_ACTOR): what it threads onto a request are the
    customer's own words, so `tickets.rules` lets it add them as the customer's message."""
    return getattr(user, "username", None) == settings.FUWU_MAIL_ACTOR
