"""Customer portal (R3.1, R1.2): audit action and error codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class PortalAction(AuditAction):
    LINK_SENT = "portal.link_sent", _("Sign-in link sent")
    LINK_USED = "portal.link_used", _("Signed in with a link")
    REQUEST_FILED = "portal.request_filed", _("Request filed in the portal")


class PortalError(ErrorCode):
    LINK_INVALID = "portal.link_invalid", "The sign-in link is unknown, already used or expired."
    NOT_A_PORTAL_LOGIN = "forbidden.portal", "Only a customer's portal login uses the portal."
    SERVICE_TYPE_CLOSED = "portal.service_type_closed", "This service type is not open to customers."
    PRODUCT_NOT_OWN = "portal.product_not_own", "The product is not one of the customer's own."
