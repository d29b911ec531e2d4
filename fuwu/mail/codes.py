"""E-mail in both directions: audit action codes and error codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class MailAction(AuditAction):
    RECEIVED = "mail.received", _("E-mail received")
    OUTBOX_RETRIED = "mail.outbox_retried", _("Failed e-mail sent again")


class MailError(ErrorCode):
    UNREADABLE = "mail.unreadable", "The message is not an e-mail that can be read."
    NOT_FAILED = "mail.not_failed", "Only an undelivered e-mail can be sent again."
    NO_SERVICE_TYPE = "mail.no_service_type", "The service type for e-mail requests does not exist."
