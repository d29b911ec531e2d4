"""What a queue row shows, worked out in Python once per row instead of in template tags.

A queue page renders 50 rows; with includes, `{% url %}`, `get_*_display` and `timesince` per row
the template cost about 1 ms a row, most of the page's time (issue 5, docs/performance.md). Here
each row becomes a plain dict of strings (`queue_rows`, the labels of the choices translated once
per page), and the rows become HTML with one `format_html` each (`queue_rows_html`), the way
Django's admin renders its change lists: a twentieth of the template's cost.
"""

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fuwu.core.templatetags.fuwu import hours_minutes
from fuwu.standards.models import Priority
from fuwu.tickets.lifecycle import Status, Tier
from fuwu.tickets.models import Ticket
from fuwu.tickets.selectors_sla import STATE_STYLE
from fuwu.tickets.workflow.states import SlaState

_STATUS_CSS = {
    Status.NEW: "text-bg-info",
    Status.ACCEPTED: "text-bg-primary",
    Status.IN_PROGRESS: "text-bg-primary",
    Status.PENDING_CUSTOMER: "text-bg-warning",
    Status.RESOLVED: "text-bg-success",
    Status.REOPENED: "text-bg-danger",
}
_PRIORITY_CSS = {
    Priority.URGENT: "text-bg-danger",
    Priority.HIGH: "text-bg-warning",
    Priority.LOW: "text-bg-light border",
}


def status_css(status: str) -> str:
    """The badge classes of a status (also the `status_css` template filter)."""
    return _STATUS_CSS.get(status, "text-bg-secondary")


def priority_css(priority: str) -> str:
    return _PRIORITY_CSS.get(priority, "text-bg-light border text-secondary")


_FOLLOW_UP_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _due(ticket: Ticket, now: datetime.datetime, left: datetime.timedelta | None) -> dict[str, str]:
    """The SLA badge of an open request: paused, overdue by, or working time left (R5), as on its page.
    A resolved or closed request still due is awaiting its follow-up (the follow-up clock, R8.1): the
    badge says so. Calendar time only when the clock behind the due instant is not found (`left` None)."""
    follow_up = ticket.status in _FOLLOW_UP_STATUSES and ticket.sla_due_at is not None
    if not (ticket.is_open or follow_up) or (ticket.sla_state != SlaState.PAUSED and ticket.sla_due_at is None):
        return {}
    if ticket.sla_state == SlaState.PAUSED:
        return {"label": _("Paused"), "css": f"text-bg-{STATE_STYLE[SlaState.PAUSED]}"}
    due = ticket.sla_due_at
    overdue = due < now
    if overdue:
        shown = SlaState.BREACHED
    elif ticket.sla_state in (SlaState.BREACHED, SlaState.WARNING):
        shown = SlaState(ticket.sla_state)
    else:
        shown = SlaState.RUNNING
    css = f"text-bg-{STATE_STYLE[shown]}"
    if left is not None and left < -datetime.timedelta(minutes=1):
        label = _("overdue by %(d)s of working time") % {"d": hours_minutes(left)}
    elif left is not None:  # due now, or overdue while no working time has passed since (a holiday)
        label = _("Overdue") if overdue else _("%(d)s of working time left") % {"d": hours_minutes(left)}
    else:
        label = _("%(d)s overdue") % {"d": timesince(due, now)} if overdue else _("in %(d)s") % {
            "d": timeuntil(due, now)}
    local = timezone.localtime(due)
    at_short = local.strftime("%m-%d %H:%M")
    if follow_up:
        label = _("Follow-up %(due)s") % {"due": label}
    return {"label": label, "css": css, "state": ticket.sla_state,
            "at": local.strftime("%Y-%m-%d %H:%M"), "at_short": at_short}


def queue_rows(tickets: list[Ticket], now: datetime.datetime,
               left: dict[int, datetime.timedelta] | None = None) -> list[dict[str, Any]]:
    """The rows of a queue page; the tickets come with their type, owner, group, customer and region;
    `left` is the working time left to each one's due instant (`selectors_sla.working_time_left`)."""
    statuses, priorities, tiers = _labels(Status.choices), _labels(Priority.choices), _labels(Tier.choices)
    detail = reverse("tickets:detail", args=[0])[:-2]  # ".../0/" without the id: one reverse per page
    rows = []
    for t in tickets:
        meta = [str(t.service_type), tiers.get(t.tier, t.tier)]
        if t.repeat_contacts:
            meta.append(ngettext("%(counter)s repeat contact", "%(counter)s repeat contacts", t.repeat_contacts)
                        % {"counter": t.repeat_contacts})
        owner = t.owner
        rows.append({
            "id": t.pk,
            "url": f"{detail}{t.pk}/",
            "number": t.number,
            "title": t.title,
            "is_major": t.is_major,
            "pending_handover": t.has_pending_handover,
            "meta": " · ".join(meta),
            "status": t.status,
            "status_label": statuses.get(t.status, t.status),
            "status_css": status_css(t.status),
            "priority_label": priorities.get(t.priority, t.priority),
            "priority_css": priority_css(t.priority),
            "customer": t.customer.name if t.customer_id else "",
            "contact": t.contact_name,
            "owner": (owner.get_full_name() or owner.username) if owner else "—",
            "group": t.group.name if t.group_id else "",
            "region": t.region.name if t.region_id else "—",
            "received_at": timezone.localtime(t.received_at).strftime("%Y-%m-%d %H:%M"),
            "due": _due(t, now, (left or {}).get(t.pk)),
        })
    return rows


_ROW = (
    '<tr><td class="text-nowrap d-none d-sm-table-cell"><a href="{url}">{number}</a></td>'
    '<td><a href="{url}" class="text-decoration-none text-body">{title}</a>{badges}'
    '<div class="small text-secondary"><span class="d-sm-none">{number} · </span>{meta}</div></td>'
    '<td><span class="badge status-{status} {status_css}">{status_label}</span></td>'
    '<td class="d-none d-md-table-cell"><span class="badge {priority_css}">{priority_label}</span></td>'
    '<td class="d-none d-lg-table-cell">{party}</td>'
    '<td class="d-none d-md-table-cell text-nowrap">{owner}<div class="small text-secondary">{group}</div></td>'
    '<td class="d-none d-xl-table-cell text-nowrap">{region}</td>'
    '<td class="d-none d-sm-table-cell text-nowrap small">{received_at}</td>'
    '<td class="text-nowrap small">{due}</td></tr>'
)


_NO_DUE = mark_safe('<span class="text-secondary">—</span>')


def _due_html(due: dict[str, str], due_word: str) -> SafeString:
    if not due:
        return _NO_DUE
    if "at" not in due:
        return format_html('<span class="badge sla-badge {}">{}</span>', due["css"], due["label"])
    return format_html('<span class="badge sla-badge sla-{} {}" title="{} {}">{}</span>'
                       '<div class="small text-secondary">{}</div>',
                       due["state"], due["css"], due_word, due["at"], due["label"], due["at_short"])


def queue_rows_html(rows: list[dict[str, Any]]) -> SafeString:
    """The table rows of a queue page (tickets/workspace.html), every value escaped by `format_html`."""
    major = format_html(' <span class="badge text-bg-danger">{}</span>', _("Major"))
    pending = format_html(' <span class="badge text-bg-warning">{}</span>', _("Hand-over pending"))
    due_word = _("Due")
    return format_html_join("\n", _ROW, (
        {
            "url": row["url"], "number": row["number"], "title": row["title"],
            "badges": format_html("{}{}", major if row["is_major"] else "", pending if row["pending_handover"] else ""),
            "meta": row["meta"], "status": row["status"], "status_css": row["status_css"],
            "status_label": row["status_label"], "priority_css": row["priority_css"],
            "priority_label": row["priority_label"],
            "party": row["customer"] or format_html('<span class="text-secondary">{}</span>', row["contact"]),
            "owner": row["owner"], "group": row["group"], "region": row["region"], "received_at": row["received_at"],
            "due": _due_html(row["due"], due_word),
        }
        for row in rows
    ))
