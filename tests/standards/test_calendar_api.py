"""/api/v1/calendars (R10.3, docs/architecture.md, rule 7): list, detail, business time with the missing-data mark,
errors in the shared shape, authentication."""

import pytest
from django.test import Client

from fuwu.standards.actions import calendars as actions
from fuwu.standards.models import ServiceCalendar
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

BASE = "/api/v1/calendars"


@pytest.fixture
def office():
    return ServiceCalendar.objects.get(code="office")


@pytest.fixture
def api(client, agent):
    client.force_login(agent)
    client.cookies["django_language"] = "en"
    return client


def test_list_and_detail(api, office):
    listed = api.get(BASE).json()
    assert {c["code"] for c in listed} == {"office", "service_hours", "duty_line"}
    detail = api.get(f"{BASE}/{office.pk}").json()
    assert detail["weekly_hours"] == ["09:00-12:00, 13:00-18:00"] * 5 + ["", ""]
    assert (detail["is_24x7"], detail["observes_statutory_holidays"], detail["hours_inherited_from"]) == (
        False, True, None)


def test_a_child_reports_where_its_hours_come_from(api, office):
    data = actions.CalendarInput(name="华东", parent_id=office.pk)
    child = actions.calendar_create(actor=None, code="east", data=data)
    actions.calendar_add_exception(actor=None, calendar=office, date="2026-12-02", kind="closed")
    detail = api.get(f"{BASE}/{child.pk}").json()
    assert detail["hours_inherited_from"] == office.pk and detail["parent_id"] == office.pk
    assert [(e["date"], e["kind"], e["calendar_id"]) for e in detail["exceptions"]] == [
        ("2026-12-02", "closed", office.pk)]


def test_business_time_known_case(api, office):
    response = api.get(f"{BASE}/{office.pk}/business-time", {"start": "2026-09-30T17:00:00+08:00", "hours": 4})
    assert response.status_code == 200
    assert response.json() == {
        "calendar": office.pk, "start": "2026-09-30T17:00:00+08:00", "due": "2026-10-08T12:00:00+08:00",
        "hours": 4.0, "calendar_data_missing": [], "message": None,
    }


def test_a_naive_start_is_in_the_calendars_time_zone_and_minutes_are_accepted(api, office):
    body = api.get(f"{BASE}/{office.pk}/business-time", {"start": "2026-11-24T11:00", "minutes": 120}).json()
    assert (body["start"], body["due"], body["hours"]) == ("2026-11-24T11:00:00+08:00", "2026-11-24T14:00:00+08:00", 2)
    utc = api.get(f"{BASE}/{office.pk}/business-time", {"start": "2026-11-24T03:00:00Z", "hours": 2}).json()
    assert utc["due"] == body["due"]


def test_the_2027_answer_is_marked_as_missing_data(api, office):
    body = api.get(f"{BASE}/{office.pk}/business-time", {"start": "2026-12-31T17:00:00+08:00", "hours": 4}).json()
    assert body["due"] == "2027-01-01T12:00:00+08:00"
    assert body["calendar_data_missing"] == [2027] and "Calendar data missing for 2027" in body["message"]


def test_between_counts_business_seconds(api, office):
    body = api.get(f"{BASE}/{office.pk}/business-time/between",
                   {"start": "2026-09-30T17:00:00+08:00", "end": "2026-10-08T12:00:00+08:00"}).json()
    assert (body["seconds"], body["hours"], body["calendar_data_missing"]) == (14400, 4, [])
    backwards = api.get(f"{BASE}/{office.pk}/business-time/between",
                        {"start": "2026-10-08T12:00:00+08:00", "end": "2026-09-30T17:00:00+08:00"}).json()
    assert backwards["seconds"] == -14400


@pytest.mark.parametrize(("params", "field"), [
    ({"start": "yesterday", "hours": 4}, "start"),
    ({"start": "2026-13-01T09:00", "hours": 4}, "start"),
    ({"start": "2026-11-24T09:00"}, "hours"),
    ({"start": "2026-11-24T09:00", "hours": -1}, "hours"),
    ({"start": "2026-11-24T09:00", "hours": "four"}, "hours"),
])
def test_bad_input_is_a_400_in_the_shared_shape(api, office, params, field):
    response = api.get(f"{BASE}/{office.pk}/business-time", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and field in body["errors"] and body["message"]


def test_a_calendar_that_never_opens_is_a_400(api):
    closed = actions.calendar_create(actor=None, code="closed", data=actions.CalendarInput(name="closed"))
    response = api.get(f"{BASE}/{closed.pk}/business-time", {"start": "2026-11-24T09:00", "hours": 1})
    assert response.status_code == 400 and response.json()["code"] == "no_working_time"


def test_unauthenticated_is_401(office):
    response = Client().get(f"{BASE}/{office.pk}/business-time", {"start": "2026-11-24T09:00", "hours": 1})
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_customers_are_refused_and_unknown_calendars_are_404(client, office):
    client.force_login(make_staff("customer"))
    assert client.get(BASE).status_code == 403
    assert client.get(f"{BASE}/{office.pk}").status_code == 403
    client.force_login(make_staff("technician"))
    assert client.get(f"{BASE}/999999").status_code == 404
