"""The navigation bar: built from the permission policy, daily work one click away, the rest in menus."""

import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation

from fuwu.org.roles import Role
from fuwu.site.context_processors import navigation
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def _nav(user, path="/"):
    request = RequestFactory().get(path)
    request.user, request.resolver_match = user, resolve(path)
    return navigation(request)["nav_items"]


def test_an_administrators_settings_sit_in_one_menu_marked_active_on_its_pages():
    items = _nav(make_staff(Role.MANAGER), reverse("standards:catalogue"))
    menus = {i["key"]: i for i in items if "children" in i}
    assert [c["url"] for c in menus["settings"]["children"]][:3] == [
        reverse("org:staff"), reverse("standards:catalogue"), reverse("standards:calendars")]
    assert menus["settings"]["active"] and not menus["field"]["active"]
    assert [i["url"] for i in items if "children" not in i][:3] == [
        reverse("home"), reverse("tickets:workspace"), reverse("tickets:intake")]


def test_a_menu_with_one_entry_for_the_user_is_that_entry():
    items = _nav(make_staff(Role.AGENT))
    assert all(len(i["children"]) > 1 for i in items if "children" in i)
    urls = [i["url"] for i in items if "url" in i] + [c["url"] for i in items for c in i.get("children", ())]
    assert reverse("mail:outbox_failed") not in urls and reverse("tickets:intake") in urls


def test_the_bar_renders_menus_as_dropdowns(client):
    client.force_login(make_staff(Role.MANAGER))
    page = client.get(reverse("home")).content.decode()
    assert 'id="nav-menu-settings"' in page and 'data-bs-toggle="dropdown"' in page
    assert f'href="{reverse("audit")}"' in page


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.CUSTOMER}))
def test_every_menu_entry_a_role_is_offered_opens_for_it(client, role):
    """A role sees only the entries it may open (issue 15): each link in its bar answers 200."""
    user = make_staff(role)
    client.force_login(user)
    items = _nav(user)
    urls = [i["url"] for i in items if "url" in i] + [c["url"] for i in items for c in i.get("children", ())]
    refused = [url for url in urls if client.get(url).status_code != 200]
    assert not refused, f"{role}: {refused}"


def test_the_quality_menu_is_grouped_under_translated_headings(client):
    items = _nav(make_staff(Role.MANAGER))
    quality = next(i for i in items if i.get("key") == "quality")
    with translation.override("en"):
        headings = [str(c["heading"]) for c in quality["children"] if c.get("heading")]
        assert headings == ["Figures and reports", "Customer voice", "Inspections", "Improvement"]
        assert str(quality["children"][0]["heading"]) == "Figures and reports"  # the first entry opens a section
    client.force_login(make_staff(Role.MANAGER))
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("home")).content.decode()
    assert page.count('class="dropdown-header"') == 4 and "客户之声" in page


def test_a_menu_of_one_section_has_no_heading():
    items = _nav(make_staff(Role.TECHNICIAN))
    for menu in (i for i in items if "children" in i):
        sections = {c["section"] for c in menu["children"]}
        assert len(sections) > 1 or not any(c.get("heading") for c in menu["children"])
