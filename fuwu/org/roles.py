"""The roles a person can hold (R1.2). Codes are stable; labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MANAGER = "manager", _("Service manager")
    AGENT = "agent", _("Hotline agent")
    SUPPORT = "support", _("Support engineer")
    TECHNICIAN = "technician", _("Field technician")
    QUALITY_SUPERVISOR = "quality_supervisor", _("Quality supervisor")
    FINANCE = "finance", _("Finance")
    GENERAL_MANAGER = "general_manager", _("General manager")
    CUSTOMER = "customer", _("Customer")


STAFF_ROLES = frozenset(Role) - {Role.CUSTOMER}
