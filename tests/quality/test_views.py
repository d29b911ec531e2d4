"""The quality pages and API: who sees what (R9.5), the forms' errors beside the field, the query
count of the home page, and the ticket list's drill filters."""

import pytest
from django.urls import reverse
from django.utils import translation

from fuwu.quality import actions
from fuwu.quality.indicators import Granularity
from fuwu.quality.models import Target
from tests.factories import fresh, make_staff, make_ticket
from tests.quality.fixtures import NOVEMBER

pytestmark = pytest.mark.django_db

PAGES = ("quality:catalogue", "quality:alerts")


@pytest.mark.parametrize(("role", "status"), [
    ("manager", 200), ("quality_supervisor", 200), ("general_manager", 200), ("admin", 200),
    ("agent", 403), ("support", 403), ("technician", 403), ("finance", 403),
])
def test_permission_matrix(client, role, status):
    client.force_login(make_staff(role))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == status
    assert client.get("/api/v1/quality/indicators").status_code == status


def test_the_catalogue_lists_every_definition_and_links_the_standard(client, manager):
    client.force_login(manager)
    html = client.get(reverse("quality:catalogue")).content.decode()
    assert 'id="indicator-first_contact_resolution"' in html and "首问解决率" in html
    assert reverse("standards:standard", args=["first-contact"]) in html


def test_the_catalogue_shows_codes_and_source_files_to_administrators_only(client, manager):
    """Issue 15: a manager reads names, not `first_contact_resolution` or `fuwu/surveys/figures.py`."""
    client.force_login(manager)
    html = client.get(reverse("quality:catalogue")).content.decode()
    assert "<code>first_contact_resolution</code>" not in html and "figures.py" not in html
    client.force_login(make_staff("admin"))
    assert "<code>first_contact_resolution</code>" in client.get(reverse("quality:catalogue")).content.decode()


def test_a_target_and_its_alert_read_as_names_in_the_audit_record(manager):
    """Issue 15: the audit record showed `first_contact_resolution month total: 2026-04-01`."""
    target = actions.target_set(actor=manager, indicator="first_contact_resolution", granularity="month",
                                dimension="total", dimension_key="", target=60, alert_level=45, owner=manager)
    with translation.override("zh-hans"):
        assert str(target) == "首问解决率 · 月份"
    with translation.override("en"):
        assert str(target) == "First-contact resolution · Month"


def test_a_target_is_set_from_the_page_and_a_wrong_one_keeps_the_input(client, manager):
    client.force_login(manager)
    data = {"indicator": "resolution_sla", "granularity": "month", "dimension": "total", "dimension_key": "",
            "target": "90", "alert_level": "95", "owner": str(manager.pk)}
    response = client.post(reverse("quality:target_new"), data)
    assert response.status_code == 400 and not Target.objects.exists()
    assert 'value="95"' in response.content.decode()
    response = client.post(reverse("quality:target_new"), {**data, "alert_level": "80"})
    assert response.status_code == 302 and Target.objects.get().alert_level == 80


def test_the_general_manager_reads_but_does_not_set(client):
    client.force_login(make_staff("general_manager"))
    assert 'id="target-form"' not in client.get(reverse("quality:catalogue")).content.decode()
    assert client.post(reverse("quality:target_new"), {}).status_code == 403


def test_the_api_computes_any_period_and_dimension(client, manager, month):
    client.force_login(manager)
    body = client.get("/api/v1/quality/indicators/first_contact_resolution/values",
                      {"start": NOVEMBER.isoformat(), "granularity": "month", "dimension": "group"}).json()
    values = {v["key"]: v["value"] for v in body["values"]}
    assert body["end"] == "2026-12-01" and values[""] == pytest.approx(25.0)
    assert client.get("/api/v1/quality/indicators/nope/values", {"start": "2026-11-01"}).status_code == 404
    assert client.get("/api/v1/quality/indicators/backlog/values",
                      {"start": "2026-11-01", "dimension": "nope"}).status_code == 400


def test_the_managers_home_page_takes_a_fixed_number_of_queries(client, manager, agent,
                                                              django_assert_max_num_queries):
    actions.target_set(actor=manager, indicator="backlog", granularity=Granularity.DAY, target=1, alert_level=5,
                       owner=manager)
    for n in range(3):
        make_ticket(agent, title=f"故障{n}")
    actions.snapshots_compute()
    client.force_login(manager)
    with django_assert_max_num_queries(40):
        client.get(reverse("home"))
    for n in range(10):
        make_ticket(agent, title=f"更多故障{n}")
    actions.snapshots_compute()
    client.force_login(fresh(manager))
    with django_assert_max_num_queries(40) as counted:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert len(counted.captured_queries) <= 40


def test_drill_filters_of_the_ticket_list(client, manager, month):
    t1, t2, t3, t4, t5, t6, t7 = month["tickets"]
    client.force_login(manager)

    def listed(**params):
        response = client.get(reverse("tickets:workspace"), {"queue": "all", **params})
        return {row["id"] for row in response.context["rows"]}

    assert listed(open="1") == {t4.pk, t7.pk}
    assert listed(resolved_from="2026-11-01", resolved_to="2026-11-30") == {t1.pk, t2.pk, t3.pk, t5.pk}
    assert listed(breached_from="2026-11-01", breached_to="2026-11-30") == {t2.pk}
    assert listed(breached_from="2026-11-01", breached_to="2026-11-30", clock="first_response") == {t2.pk}
    assert listed(breached_from="2026-10-01", breached_to="2026-10-31") == {t5.pk}
    assert listed(kind="complaint") == {t6.pk}
    assert listed(owner=str(month["agent"].pk), open="1") == {t4.pk, t7.pk}
