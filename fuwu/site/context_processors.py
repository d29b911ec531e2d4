"""Navigation built from the permission policy, so a menu never offers what a role cannot open."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from fuwu.core.selectors import unread_notification_count
from fuwu.customers.selectors import PiiPolicy
from fuwu.org.policy import Perm, can, roles_of

_NAV = [
    ("home", _("Home"), None, "bi-house"),
    ("tickets:workspace", _("Requests"), Perm.TICKET_VIEW, "bi-inbox"),
    ("tickets:intake", _("New request"), Perm.TICKET_WORK, "bi-telephone-plus"),
    ("fieldservice:today", _("My visits"), Perm.WORKORDER_WORK, "bi-geo-alt"),
    ("fieldservice:board", _("Field service"), Perm.WORKORDER_VIEW, "bi-truck"),
    ("customers:list", _("Customers"), Perm.CUSTOMER_ALL, "bi-people"),
    ("org:staff", _("Staff"), Perm.STAFF_VIEW, "bi-diagram-3"),
    ("standards:catalogue", _("Standards"), Perm.STANDARDS_VIEW, "bi-patch-check"),
    ("standards:calendars", _("Calendars"), Perm.STANDARDS_VIEW, "bi-calendar3"),
    ("materials:list", _("Materials"), Perm.MATERIALS_VIEW, "bi-box-seam"),
    ("followups:queue", _("Follow-up"), Perm.FOLLOWUP_WORK, "bi-telephone-outbound"),
    ("followups:rules", _("Follow-up rules"), Perm.FOLLOWUP_MANAGE, "bi-sliders"),
    ("audit", _("Audit record"), Perm.AUDIT_VIEW, "bi-journal-check"),
    ("mail:outbox_failed", _("Undelivered e-mail"), Perm.STAFF_MANAGE, "bi-envelope-exclamation"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [
        {"url": reverse(name), "label": label, "icon": icon, "active": request.resolver_match
         and request.resolver_match.view_name == name}
        for name, label, perm, icon in _NAV
        if perm is None or can(user, perm)
    ]
    return {
        "nav_items": items,
        "user_roles": sorted(roles_of(user), key=lambda r: list(type(r)).index(r)),
        "pii": PiiPolicy.for_user(user),
        # Counted only when a page shows the navbar (HTMX fragments do not): one indexed query.
        "unread_notifications": SimpleLazyObject(lambda: unread_notification_count(user)),
    }
