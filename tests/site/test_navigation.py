"""The navigation bar: built from the permission policy, daily work one click away, the rest in menus."""

import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse

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
