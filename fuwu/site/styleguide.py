"""The living style guide (/styleguide/): each component of templates/includes/ with sample content.

The status, priority and time-limit badges come from the real mappings (tickets' presenters and
STATE_STYLE), so the page shows the scale the queues and the ticket page use.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.standards.models import Priority
from fuwu.tickets.lifecycle import Status
from fuwu.tickets.presenters import priority_css, status_css
from fuwu.tickets.selectors_sla import STATE_STYLE

TONES = ("neutral", "info", "brand", "success", "warning", "danger", "strong")


def _sla_labels() -> dict[str, str]:
    return {
        "running": _("On time"), "warning": _("Due soon"), "breached": _("Overdue"), "paused": _("Paused"),
        "met": _("Met"), "met_late": _("Met late"), "stopped": _("No longer applies"),
    }


def samples() -> dict:
    """The context of the style guide page: sample rows, facts and events, translated at render time."""
    now = timezone.localtime()
    home = reverse("home")
    sla = _sla_labels()
    return {
        "tones": TONES,
        "statuses": [(label, status_css(value)) for value, label in Status.choices],
        "priorities": [(label, priority_css(value)) for value, label in Priority.choices],
        "sla_states": [(sla[state], f"text-bg-{style}") for state, style in STATE_STYLE.items()],
        "facts": [
            {"label": _("Customer"), "value": "上海申江物业管理有限公司", "url": home},
            {"label": _("Contact"), "value": "陈建国 · 139 1234 5678"},
            {"label": _("Site address"), "value": "上海市浦东新区世纪大道1号"},
            {"label": _("Status"), "value": _("In progress"), "tone": "brand"},
            {"label": _("Received"), "value": now.strftime("%Y-%m-%d %H:%M")},
            {"label": _("Region"), "value": "", "muted": True},
        ],
        "rows": [
            {"number": "FW-2026-000656", "title": "配电柜跳闸", "status": _("New"), "css": status_css(Status.NEW),
             "owner": "毛洁", "due": _("On time"), "due_css": "text-bg-success"},
            {"number": "FW-2026-000655", "title": "空调不制冷，机房温度升高", "status": _("Pending customer"),
             "css": status_css(Status.PENDING_CUSTOMER), "owner": "熊莹", "due": _("Paused"),
             "due_css": "text-bg-secondary"},
            {"number": "FW-2026-000650", "title": "UPS 告警", "status": _("Reopened"),
             "css": status_css(Status.REOPENED), "owner": "李强", "due": _("Overdue"), "due_css": "text-bg-danger"},
        ],
        "actions": [
            {"label": _("Accept"), "url": home, "icon": "bi-check2", "primary": True},
            {"label": _("Add reply"), "url": home, "icon": "bi-reply"},
        ],
        "more_actions": [
            {"label": _("Hand over"), "url": home, "icon": "bi-arrow-left-right"},
            {"label": _("Cancel"), "url": home, "icon": "bi-x-circle", "danger": True},
        ],
        "events": [
            {"title": _("Registered"), "when": now - datetime.timedelta(hours=3), "who": "毛洁",
             "text": "客户来电：配电柜跳闸"},
            {"title": _("Accepted"), "when": now - datetime.timedelta(hours=2), "who": "熊莹", "tone": "success"},
            {"title": _("Due soon"), "when": now - datetime.timedelta(minutes=30), "tone": "warning"},
        ],
    }
