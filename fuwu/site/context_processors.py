"""Navigation built from the permission policy, so a menu never offers what a role cannot open."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from fuwu.core.selectors import unread_notification_count
from fuwu.customers.selectors import PiiPolicy
from fuwu.org.policy import Perm, can, roles_of
from fuwu.org.roles import Role

# (url name, label, permission or None, icon, menu or None). Daily work stays one click away; the
# rest sits in a menu, so the bar fits on one line at 1280 px in both languages. A menu with one
# entry for this user shows as that entry.
_NAV = [
    ("home", _("Home"), None, "bi-house", None),
    ("tickets:workspace", _("Requests"), Perm.TICKET_VIEW, "bi-inbox", None),
    ("tickets:intake", _("New request"), Perm.TICKET_WORK, "bi-telephone-plus", None),
    ("fieldservice:today", _("My visits"), Perm.WORKORDER_WORK, "bi-geo-alt", None),
    ("customers:list", _("Customers"), Perm.CUSTOMER_ALL, "bi-people", None),
    ("followups:queue", _("Follow-up"), Perm.FOLLOWUP_WORK, "bi-telephone-outbound", None),
    ("fieldservice:board", _("Dispatch board"), Perm.WORKORDER_VIEW, "bi-truck", "field"),
    ("materials:list", _("Materials"), Perm.MATERIALS_VIEW, "bi-box-seam", "field"),
    # The Quality menu in sections, each under its heading (issue 15): figures, the customer's voice,
    # inspections, improvement.
    ("quality:catalogue", _("Indicators and targets"), Perm.QUALITY_VIEW, "bi-speedometer2", "quality.figures"),
    ("quality:alerts", _("Indicator alerts"), Perm.QUALITY_VIEW, "bi-bell", "quality.figures"),
    ("quality:merit_board", _("Rewards and penalties"), Perm.MERIT_VIEW, "bi-award", "quality.figures"),
    ("quality:merit_mine", _("My performance"), Perm.STAFF_VIEW, "bi-person-lines-fill", "quality.figures"),
    ("reports:list", _("Reports"), Perm.REPORT_VIEW, "bi-file-earmark-bar-graph", "quality.figures"),
    ("surveys:figures", _("Satisfaction surveys"), Perm.SURVEY_VIEW, "bi-emoji-smile", "quality.voice"),
    ("surveys:invitations", _("Surveys to enter"), Perm.SURVEY_ENTER, "bi-ui-checks", "quality.voice"),
    ("followups:rules", _("Follow-up rules"), Perm.FOLLOWUP_MANAGE, "bi-sliders", "quality.voice"),
    ("complaints:list", _("Complaints"), Perm.COMPLAINT_VIEW, "bi-megaphone", "quality.voice"),
    ("complaints:analysis", _("Complaint figures"), Perm.COMPLAINT_VIEW, "bi-bar-chart", "quality.voice"),
    ("complaints:mine", _("My accountability"), Perm.STAFF_VIEW, "bi-person-check", "quality.voice"),
    ("inspections:results", _("Inspections"), Perm.INSPECTION_VIEW, "bi-clipboard2-check", "quality.inspections"),
    ("inspections:mine", _("My inspection results"), Perm.STAFF_VIEW, "bi-person-badge", "quality.inspections"),
    # Every staff member owns actions or suggests improvements; the pages show each what they may see (R17).
    ("improvements:list", _("Improvement actions"), Perm.SUGGESTION_SUBMIT, "bi-arrow-repeat", "quality.improvement"),
    ("improvements:suggestions", _("Suggestions"), Perm.SUGGESTION_SUBMIT, "bi-lightbulb", "quality.improvement"),
    ("faults:list", _("Major faults"), Perm.FAULT_VIEW, "bi-exclamation-octagon", "quality.improvement"),
    ("org:staff", _("Staff"), Perm.STAFF_VIEW, "bi-diagram-3", "settings"),
    ("standards:catalogue", _("Standards"), Perm.STANDARDS_VIEW, "bi-patch-check", "settings"),
    ("standards:calendars", _("Calendars"), Perm.STANDARDS_VIEW, "bi-calendar3", "settings"),
    ("audit", _("Audit record"), Perm.AUDIT_VIEW, "bi-journal-check", "settings"),
    ("mail:outbox_failed", _("Undelivered e-mail"), Perm.STAFF_MANAGE, "bi-envelope-exclamation", "settings"),
    ("portal:home", _("Portal home"), Perm.PORTAL_USE, "bi-house", None),
    ("portal:requests", _("My requests"), Perm.PORTAL_USE, "bi-list-task", None),
    ("portal:request_new", _("File a request"), Perm.PORTAL_USE, "bi-plus-circle", None),
    ("standards:commitments_public", _("Our commitments"), Perm.PORTAL_USE, "bi-patch-check", None),
]
_MENUS = {
    "field": (_("Field service"), "bi-truck"),
    "quality": (_("Quality"), "bi-clipboard-check"),
    "settings": (_("Administration"), "bi-gear"),
}
# A menu's sections: "menu.section" in `_NAV`, shown as a heading above its entries when the menu has
# more than one section for this user.
_SECTIONS = {
    "quality.figures": _("Figures and reports"),
    "quality.voice": _("Customer voice"),
    "quality.inspections": _("Inspections"),
    "quality.improvement": _("Improvement"),
}


def _mark_headings(children: list[dict]) -> None:
    """Give the first entry of each section its heading (`heading`), when the entries fall in more than one
    section; a menu of one section needs none."""
    if len({child["section"] for child in children}) < 2:
        return
    previous = None
    for child in children:
        if child["section"] != previous:
            child["heading"] = child["section"]
            previous = child["section"]


def _nav_items(request, user) -> list[dict]:
    """Links and menus (`children`) for this user, in `_NAV` order; a menu appears where its first entry is."""
    current = request.resolver_match.view_name if request.resolver_match else None
    items: list[dict] = []
    menus: dict[str, dict] = {}
    portal = can(user, Perm.PORTAL_USE)  # a customer's login sees the portal's items only
    for name, label, perm, icon, place in _NAV:
        if not (can(user, perm) if perm is not None else not portal):
            continue
        link = {"url": reverse(name), "label": label, "icon": icon, "active": current == name,
                "section": _SECTIONS.get(place or "")}
        menu = place.split(".", 1)[0] if place else None
        if menu is None:
            items.append(link)
        elif menu in menus:
            menus[menu]["children"].append(link)
        else:
            menu_label, menu_icon = _MENUS[menu]
            menus[menu] = {"label": menu_label, "icon": menu_icon, "key": menu, "children": [link]}
            items.append(menus[menu])
    for menu in menus.values():
        menu["active"] = any(child["active"] for child in menu["children"])
        _mark_headings(menu["children"])
    return [item["children"][0] if len(item.get("children", ())) == 1 else item for item in items]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = _nav_items(request, user)
    roles = sorted(roles_of(user), key=lambda r: list(type(r)).index(r))
    return {
        "nav_items": items,
        "user_roles": roles,
        # Banners that name a command on the server (manage.py ...) are for administrators only.
        "is_administrator": Role.ADMIN in roles,
        "pii": PiiPolicy.for_user(user),
        # Counted only when a page shows the navbar (HTMX fragments do not): one indexed query.
        "unread_notifications": SimpleLazyObject(lambda: unread_notification_count(user)),
    }
