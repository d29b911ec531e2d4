"""The staff list and one's account on the design system's partials (issue 15)."""

import pytest
from django.urls import reverse

from fuwu.org.roles import Role
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_the_account_page_shows_the_token_header_as_text(client):
    """`<token>` in the hint is text to read, not a tag the browser swallows."""
    client.force_login(make_staff(Role.AGENT))
    client.cookies["django_language"] = "en"
    page = client.get(reverse("org:me")).content.decode()
    assert "Authorization: Bearer &lt;token&gt;" in page
    assert 'id="token-table"' not in page and "No tokens." in page  # the empty state, not an empty table


def test_the_staff_list_has_the_page_header_and_role_badges(client):
    manager = make_staff(Role.MANAGER)
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("org:staff")).content.decode()
    assert '<h1 class="page-title">Staff</h1>' in page and 'id="staff-table"' in page
    assert "badge tone-neutral" in page and "Service manager" in page
