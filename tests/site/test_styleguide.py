"""The living style guide (/styleguide/, issue 15): staff only, each component rendered, both languages."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import link_portal_user, make_customer, make_staff

pytestmark = pytest.mark.django_db

COMPONENTS = {
    "page header": 'class="page-header"',
    "action bar": 'class="action-bar"',
    "key-value card": 'class="card kv-card',
    "data table": 'class="data-table"',
    "empty state": 'class="empty-state"',
    "badge": 'class="badge tone-danger"',
    "timeline": 'class="timeline"',
}


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("styleguide"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_customer_gets_403(client, agent):
    client.force_login(link_portal_user(make_customer(agent)))
    response = client.get(reverse("styleguide"))
    assert response.status_code == 403
    assert next(t.name for t in response.templates) == "403.html"


@pytest.mark.parametrize("role", ["agent", "technician", "manager"])
def test_staff_see_every_component(client, role):
    client.force_login(make_staff(role))
    html = client.get(reverse("styleguide")).content.decode()
    missing = [name for name, marker in COMPONENTS.items() if marker not in html]
    assert not missing, missing
    assert html.count("<h1") == 1  # the page header's title is the page's one h1
    # Status badges come from the real mapping: "new" is on the info tone, in Chinese by default.
    assert '<span class="badge text-bg-info">新建</span>' in html
    # The data table shows its rows and, for the empty sample, the empty state instead of a table.
    assert "FW-2026-000656" in html and html.count('class="empty-state"') >= 2
    # The action bar puts the first action as the primary button and the rest under "More".
    assert 'class="btn btn-sm btn-primary"' in html and 'data-bs-toggle="dropdown"' in html


def test_the_style_guide_follows_the_language(client, agent):
    client.force_login(agent)
    assert "样式指南" in client.get(reverse("styleguide")).content.decode()
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        html = client.get(reverse("styleguide")).content.decode()
    assert "Style guide" in html and '<span class="badge text-bg-info">New</span>' in html
    assert "样式指南" not in html
