"""SLA clocks as people and integrations see them (R10.4): ticket page, queue rows and the API."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from fuwu.org.roles import Role
from fuwu.standards.models import ClockKind
from fuwu.tickets.models import SlaClock
from tests.factories import make_staff, make_ticket
from tests.tickets.sla_setup import at, local, policy, weekday_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_day_ticket(agent):
    policy("建议处理时限", weekday_calendar(), {ClockKind.FIRST_RESPONSE: 60, ClockKind.RESOLUTION: 240},
           service_type="suggestion")
    with at(local(2026, 9, 30, 17)):
        return make_ticket(agent, "suggestion", channel="email", title="小区路灯不亮的建议")


def test_the_ticket_page_counts_down_in_working_time_across_the_holiday(client, agent, national_day_ticket):
    client.force_login(agent)
    with at(local(2026, 10, 3, 10)):  # in the middle of the holiday: nothing has been used since 18:00 on 30 Sep
        page = client.get(reverse("tickets:detail", args=[national_day_ticket.pk])).content.decode()
    assert 'id="sla-clocks"' in page
    assert "2026-10-08 12:00" in page and "剩余工作时间 3小时00分" in page
    assert "sla-breached" in page  # the one-hour first response ran out at 18:00 on 30 September


def test_the_queue_row_shows_when_the_most_urgent_limit_falls_due(client, agent, national_day_ticket):
    client.force_login(agent)
    with at(local(2026, 9, 30, 17, 10)):
        page = client.get(reverse("tickets:workspace") + "?queue=mine").content.decode()
    assert "sla-badge" in page and "09-30 18:00" in page


def test_the_queue_speaks_of_working_time_as_the_request_page_does(client, agent, national_day_ticket):
    """Across the National Day holiday the calendar says days; the working time left is what counts."""
    client.force_login(agent)
    national_day_ticket.refresh_from_db()
    def badge_at(moment):
        with at(moment):
            queue = client.get(reverse("tickets:workspace") + "?queue=mine").content.decode()
        return queue.split("sla-badge", 1)[1].split("</span>", 1)[0].rsplit(">", 1)[1]

    # The first response fell due at 18:00 on 30 September; during the holiday no working time passes.
    assert badge_at(local(2026, 10, 3, 10)) == "已超时"
    assert badge_at(local(2026, 10, 8, 10, 30)) == "已超出工作时间 1小时30分"
    with at(local(2026, 9, 30, 17, 20)):
        assert client.get(reverse("tickets:workspace") + "?queue=mine").content.decode().count(
            "剩余工作时间 0小时40分") == 1


def test_api_gives_the_clocks_with_business_time_left(agent, national_day_ticket):
    client = Client()
    client.force_login(agent)
    with at(local(2026, 10, 8, 11)):
        body = client.get(f"/api/v1/tickets/{national_day_ticket.pk}").json()
    clocks = {c["kind"]: c for c in body["clocks"]}
    assert parse_datetime(clocks["resolution"]["due_at"]) == local(2026, 10, 8, 12)
    assert clocks["resolution"]["left_seconds"] == 3600 and clocks["resolution"]["state"] == "warning"
    assert clocks["first_response"]["state"] == "breached"
    assert parse_datetime(body["sla_due_at"]) == local(2026, 9, 30, 18)


def test_api_reclassify_and_arrival_answer_with_codes(agent, national_day_ticket):
    client = Client()
    client.force_login(agent)
    url = f"/api/v1/tickets/{national_day_ticket.pk}"
    refused = client.post(f"{url}/arrival", json.dumps({"version": national_day_ticket.version}),
                          content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "not_onsite"
    done = client.post(f"{url}/reclassify", json.dumps({"priority": "urgent", "reason": "影响夜间出行安全",
                                                         "version": national_day_ticket.version}),
                       content_type="application/json")
    assert done.status_code == 200 and done.json()["priority"] == "urgent"
    stale = client.post(f"{url}/reclassify", json.dumps({"priority": "low", "reason": "x",
                                                          "version": national_day_ticket.version}),
                        content_type="application/json")
    assert stale.status_code == 409

    supervisor = Client()
    supervisor.force_login(make_staff(Role.QUALITY_SUPERVISOR))
    forbidden = supervisor.post(f"{url}/reclassify", json.dumps({"priority": "low", "reason": "x", "version": 99}),
                                content_type="application/json")
    assert forbidden.status_code in (403, 404)


def test_reclassify_form_keeps_the_input_on_an_error(client, agent, national_day_ticket):
    client.force_login(agent)
    response = client.post(reverse("tickets:reclassify", args=[national_day_ticket.pk]), {
        "reclassify-version": national_day_ticket.version,
        "reclassify-service_type": national_day_ticket.service_type_id,
        "reclassify-priority": "urgent", "reclassify-reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="reclassify-form"' in page and 'value="urgent" selected' in page
    assert not SlaClock.objects.filter(ticket=national_day_ticket, target__policy__priority="urgent").exists()
