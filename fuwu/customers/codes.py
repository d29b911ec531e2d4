"""The customer archive (R2): audit action codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction, ErrorCode


class CustomerAction(AuditAction):
    CREATED = "customer.created", _("Customer registered")
    UPDATED = "customer.updated", _("Customer details changed")
    ARCHIVED = "customer.archived", _("Customer archived")
    RESTORED = "customer.restored", _("Customer restored")
    CONTACT_ADDED = "customer.contact_added", _("Contact added")
    CONTACT_DEACTIVATED = "customer.contact_deactivated", _("Contact retired")
    ADDRESS_ADDED = "customer.address_added", _("Address added")
    PRODUCT_ADDED = "customer.product_added", _("Delivered product added")
    PII_REVEALED = "customer.pii_revealed", _("Masked value revealed")
    IMPORTED = "customer.imported", _("Customers imported")
    EXPORTED = "customer.exported", _("Customers exported")
    PORTAL_LOGIN_LINKED = "customer.portal_login_linked", _("Portal login linked")


class CustomerError(ErrorCode):
    DUPLICATE_SUSPECTED = "duplicate_suspected", "A customer with the same name or phone may exist; confirm to go on."
    NOT_REVEALABLE = "invalid_field", "Only identity numbers and contact phones can be revealed."
    INVALID_ROWS = "invalid_rows", "Some imported rows are not valid; nothing was imported."
    UNREADABLE_FILE = "unreadable_file", "The upload is not a readable Excel workbook."
    CONTACT_HAS_LOGIN = "contact_has_login", "The contact already has a portal login."
    CONTACT_INACTIVE = "contact_inactive", "The contact is retired."
    LOGIN_IN_USE = "login_in_use", "The login belongs to another contact."
