"""The customer archive (R2): audit action codes, typed (fuwu.core.codes)."""

from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import AuditAction


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
