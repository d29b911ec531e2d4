"""Accessibility and browser checks (issue 15): every main page per role, in both languages and at
both widths, passes axe-core with no serious or critical violation, logs no console error, weighs
less than 150 KB of HTML, does not scroll sideways (and keeps its navigation bar on one line at
1280 px), and leaves a screenshot in artifacts/screens/ for people to look at.

The matrix is bounded: each role visits its pages twice, once in Chinese and once in English, and
the two visits use different widths (1280 and 390 px), the pairing alternating between roles, so
every page is seen in both languages and at both widths across the run. A new app adds its main
pages to `_pages` (docs/design.md).
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from fuwu.customers.models import Contact
from fuwu.faults.models import FaultReport
from fuwu.fieldservice.models import WorkOrder
from fuwu.followups.models import FollowUp
from fuwu.improvements.models import ImprovementAction, Suggestion
from fuwu.inspections.models import Checklist, ChecklistKind, ChecklistStatus, Inspection, InspectionRound
from fuwu.materials.models import Item
from fuwu.org.demo import DEMO_PASSWORD
from fuwu.quality.models import Alert
from fuwu.reports.models import Report
from fuwu.standards.models import ServiceCalendar, ServiceStandard
from fuwu.surveys.models import Invitation, Questionnaire, Response
from fuwu.tickets.models import Ticket
from tests.e2e.conftest import MAX_HTML_BYTES, BrowserErrors, axe_violations
from tests.e2e.pages import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESK, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}

# Each role's two visits: (language, viewport). Technicians work on a phone first.
VISITS = {
    "agent": [("zh-hans", DESK), ("en", PHONE)],
    "manager": [("zh-hans", PHONE), ("en", DESK)],
    "general_manager": [("zh-hans", DESK), ("en", PHONE)],
    "technician": [("zh-hans", PHONE), ("en", DESK)],
    "customer": [("zh-hans", DESK), ("en", PHONE)],
    # Quality supervisors score checklists on site, on a phone (R9.4).
    "quality": [("zh-hans", PHONE), ("en", DESK)],
}
USERNAMES = {"general_manager": "gm"}  # the demo logins are named after their roles, but for this one


def _first(path: str, queryset) -> list[str]:
    """The page of the first row of `queryset` (by id), or none when the demo has no such row."""
    return [path.format(pk) for pk in queryset.order_by("id").values_list("id", flat=True)[:1]]


def _pages(role: str) -> list[str]:
    """The main pages of a role, on the demo data (ids looked up, never guessed)."""
    User = get_user_model()
    ticket = Ticket.objects.order_by("-id").first()
    customer_id = Contact.objects.filter(is_active=True).order_by("customer_id").first().customer_id
    if role == "agent":
        follow_up = FollowUp.objects.order_by("id").first()
        invitation = Invitation.objects.filter(answered_at__isnull=True).order_by("id").first()
        return ["/", "/tickets/", "/tickets/new/", f"/tickets/{ticket.pk}/", "/customers/",
                f"/customers/{customer_id}/", "/customers/new/", "/notifications/", "/notifications/settings/",
                "/org/me/", "/standards/catalogue/", "/complaints/", "/complaints/figures/", "/followups/",
                *([f"/followups/{follow_up.pk}/"] if follow_up else []), "/surveys/invitations/",
                *([f"/surveys/invitations/{invitation.pk}/enter/"] if invitation else []),
                "/faults/", "/faults/new/",
                # Supervision seen from the front line (issue 15): suggestions, own results, the commitments.
                "/improvements/", "/improvements/suggestions/", "/improvements/suggestions/new/", "/inspections/mine/",
                "/standards/commitments/"]
    if role == "manager":
        work_order = WorkOrder.objects.order_by("id").first()
        standard = ServiceStandard.objects.order_by("code").first()
        calendar = ServiceCalendar.objects.order_by("id").first()
        item = Item.objects.order_by("id").first()
        return ["/", "/tickets/", f"/tickets/{ticket.pk}/", "/field/", f"/field/{work_order.pk}/",
                "/field/timeliness/", "/field/defects/", "/materials/", f"/materials/{item.pk}/", "/org/staff/",
                f"/standards/catalogue/{standard.code}/", "/standards/calendars/",
                f"/standards/calendars/{calendar.pk}/", "/audit/", "/notifications/", f"/customers/{customer_id}/",
                "/mail/failed/", "/styleguide/",
                "/complaints/compensations/", "/complaints/accountability/", "/complaints/root-causes/",
                "/surveys/", "/surveys/questionnaires/", "/surveys/new/", "/surveys/campaigns/new/",
                "/surveys/responses/",
                *[f"/surveys/q/{q}/" for q in Questionnaire.objects.order_by("id").values_list("id", flat=True)[:1]],
                *[f"/surveys/responses/{r}/" for r in Response.objects.order_by("id").values_list("id", flat=True)[:1]],
                "/followups/", "/followups/rules/", "/followups/rules/rule/new/", "/materials/new/",
                f"/materials/{item.pk}/receive/", "/customers/import/", "/quality/", "/quality/alerts/",
                *[f"/tickets/{c}/" for c in Ticket.objects.filter(kind="complaint").values_list("id", flat=True)[:1]],
                "/improvements/", "/improvements/new/", "/improvements/suggestions/",
                *[f"/improvements/{a}/" for a in ImprovementAction.objects.values_list("id", flat=True)[:1]],
                "/faults/", "/faults/notice-list/",
                *[f"/faults/{f.pk}/" for f in (FaultReport.objects.filter(status="closed").first(),
                                                FaultReport.objects.exclude(status="closed").first()) if f],
                "/inspections/", "/inspections/rounds/", "/inspections/checklists/", "/reports/",
                # The rest of supervision (issue 15): a report, a suggestion, an alert's improvement form, an
                # inspection, the staff list and one's account; rewards and penalties (R9.5).
                *_first("/reports/{}/", Report.objects.all()),
                *_first("/improvements/suggestions/{}/", Suggestion.objects.all()),
                *_first("/quality/alerts/{}/improve/", Alert.objects.filter(improvement_id__isnull=True)),
                *_first("/inspections/{}/", Inspection.objects.all()),
                "/org/me/", "/standards/catalogue/", "/standards/catalogue/new/",
                "/quality/merit/", "/quality/merit/rules/"]
    if role == "general_manager":  # service health on the home page (issue 14), the catalogue, the alerts
        report = Report.objects.order_by("-id").first()
        return ["/", "/quality/", "/quality/alerts/", "/complaints/compensations/", "/reports/",
                *([f"/reports/{report.pk}/"] if report else []),
                "/improvements/", "/faults/", "/inspections/", "/audit/", "/quality/merit/"]
    if role == "technician":
        technician = User.objects.get(username="technician")
        work_order = WorkOrder.objects.filter(technician=technician).order_by("id").first()
        return ["/", "/field/today/", "/field/week/", f"/field/{work_order.pk}/",
                f"/tickets/{work_order.ticket_id}/", "/materials/mine/", "/tickets/", "/complaints/mine/",
                "/improvements/suggestions/new/",
                "/inspections/mine/", "/quality/merit/mine/"]
    if role == "quality":
        running = InspectionRound.objects.filter(status="in_progress").order_by("id").first()
        inspection = Inspection.objects.order_by("passed", "id").first()  # a failed one, with its finding
        return ["/", "/inspections/", "/inspections/rounds/", f"/inspections/rounds/{running.pk}/",
                f"/inspections/rounds/{running.pk}/score/", "/inspections/rounds/new/", "/inspections/checklists/",
                f"/inspections/checklists/{running.checklist_id}/", f"/inspections/{inspection.pk}/",
                # The mystery shopper's form, scored on the spot without a round (R9.4), and supervision's other
                # pages (issue 15): indicators and targets, alerts, reports, improvement, faults.
                *_first("/inspections/checklists/{}/score/", Checklist.objects.filter(
                    kind=ChecklistKind.MYSTERY_SHOPPER, status=ChecklistStatus.PUBLISHED)),
                "/quality/", "/quality/alerts/", "/reports/", "/improvements/", "/improvements/new/",
                "/improvements/suggestions/", "/faults/", "/faults/notice-list/"]
    # A customer's login lands on the portal: its home, its requests, a new one, one of them.
    contact = Contact.objects.get(user__username="customer")
    own = Ticket.objects.filter(customer_id=contact.customer_id).order_by("-id").first()
    return ["/portal/", "/portal/requests/", "/portal/requests/new/",
            *([f"/portal/requests/{own.number}/"] if own else []), "/standards/commitments/"]



@pytest.mark.parametrize("role", list(VISITS))
def test_main_pages_pass_axe_without_console_errors_in_both_languages(browser, live_server, screen, role):
    call_command("seed_demo", customers=20, staff=12, tickets=16, work_orders=4, verbosity=0)
    pages = _pages(role)
    problems: list[str] = []
    for language, viewport in VISITS[role]:
        context = browser.new_context(viewport=viewport, locale="en-US")
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors = BrowserErrors(page)
        log_in(page, live_server.url, USERNAMES.get(role, role), DEMO_PASSWORD)
        for path in pages:
            errors.take()
            response = page.goto(live_server.url + path)
            where = f"{role} {language} {viewport['width']}px {path}"
            if response.status != 200:
                problems.append(f"{where}: HTTP {response.status}")
                continue
            assert page.locator("html").get_attribute("lang") == language, where
            size = len(response.body())
            if size > MAX_HTML_BYTES:
                problems.append(f"{where}: {size // 1024} KB of HTML (limit {MAX_HTML_BYTES // 1024} KB)")
            if viewport is DESK and role != "customer":
                bar = page.locator("nav.app-navbar").bounding_box()
                if bar["height"] > 64:
                    problems.append(f"{where}: the navigation bar takes {bar['height']:.0f} px (more than one line)")
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.append(f"{where}: the page is {overflow} px wider than the screen (it scrolls sideways)")
            for v in axe_violations(page):
                problems.append(f"{where}: axe {v['impact']} {v['id']} ({v['help']}): " + " | ".join(v["nodes"]))
            problems.extend(f"{where}: {message}" for message in errors.take())
            slug = re.sub(r"[^a-z0-9]+", "-", path.strip("/").lower()) or "home"
            screen(page, f"{role}-{language}-{viewport['width']}-{slug}")
        context.close()
    assert not problems, "\n".join(problems)
