"""Service standards pages (R10.1, R10.2): permission matrix, the public commitments page without a
login, both languages, errors beside the fields with the input kept, stale edits."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fuwu.core.models import AuditEvent
from fuwu.org.roles import Role
from fuwu.standards.actions import commitments as actions
from fuwu.standards.models import ServiceStandard
from tests.factories import fresh, link_portal_user, make_customer, make_staff
from tests.standards.test_commitment_actions import make_standard, standard_input

pytestmark = pytest.mark.django_db

ROLES = [r.value for r in Role]
MANAGERS = {"admin", "manager"}
State = ServiceStandard.State


@pytest.fixture
def standard(manager):
    return make_standard(manager, "follow-up")


def _login_as(client, role, manager):
    if role == "customer":
        user = link_portal_user(make_customer(manager, name="华新电子有限公司", phone="13800138000"))
    else:
        user = make_staff(role)
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_the_standards_pages(client, manager, standard, role):
    _login_as(client, role, manager)
    reader = 403 if role == "customer" else 200
    writer = 200 if role in MANAGERS else 403
    got = {
        "catalogue": client.get(reverse("standards:catalogue")).status_code,
        "standard": client.get(reverse("standards:standard", args=["follow-up"])).status_code,
        "new": client.get(reverse("standards:standard_new")).status_code,
        "public": client.get(reverse("standards:commitments_public")).status_code,
        "revise": client.post(reverse("standards:standard_revise", args=["follow-up", 1]),
                              {"reason": "调整时限"}).status_code,
    }
    assert got == {"catalogue": reader, "standard": reader, "new": writer, "public": 200,
                   "revise": 302 if role in MANAGERS else 403}
    assert ServiceStandard.objects.filter(code="follow-up").count() == (2 if role in MANAGERS else 1)


def test_anonymous_sees_the_public_page_and_is_sent_to_log_in_elsewhere(client, standard):
    response = client.get(reverse("standards:commitments_public"))
    assert response.status_code == 200
    assert "服务完成后 2 个工作日内回访您。" in response.content.decode()
    for url in (reverse("standards:catalogue"), reverse("standards:standard", args=["follow-up"]),
                reverse("standards:standard_new")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")
    response = client.post(reverse("standards:standard_revise", args=["follow-up", 1]), {"reason": "x"})
    assert response.status_code == 302 and ServiceStandard.objects.count() == 1


def test_public_page_in_chinese_by_default_and_english_by_cookie(client, manager, standard, settings):
    settings.FUWU_SERVICE_HOTLINE = "400-820-8820"
    actions.standard_draft(actor=manager, code="draft-only", data=standard_input(commitment_text="草稿承诺"))
    page = client.get(reverse("standards:commitments_public"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "服务完成后 2 个工作日内回访您。" in page and "We call you within" not in page
    assert "400-820-8820" in page and 'href="tel:4008208820"' in page
    assert "草稿承诺" not in page  # drafts are not promises
    client.cookies["django_language"] = "en"
    page = client.get(reverse("standards:commitments_public")).content.decode()
    assert '<html lang="en">' in page
    assert "We call you within 2 working days after the service." in page
    assert "Our service commitments" in page and "Follow-up" in page


def test_english_falls_back_to_chinese_when_no_english_text_was_written(client, manager):
    make_standard(manager, "same-day", touchpoint="intake", commitment_text="咨询当天答复。", commitment_text_en="")
    client.cookies["django_language"] = "en"
    assert "咨询当天答复。" in client.get(reverse("standards:commitments_public")).content.decode()


def test_catalogue_groups_by_touchpoint_filters_and_counts_its_queries(
    client, manager, standard, django_assert_max_num_queries
):
    make_standard(manager, "hotline", touchpoint="access", factor="basic", statement="热线两声内接听。")
    make_standard(manager, "uniform", touchpoint="on_site", factor="delight", statement="工完场清。")
    actions.standard_revise(actor=manager, standard=standard, reason="调整")
    agent = fresh(make_staff("agent"))
    client.force_login(agent)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("standards:catalogue")).content.decode()
    assert page.index('id="touchpoint-access"') < page.index('id="touchpoint-on_site"') \
        < page.index('id="touchpoint-follow_up"')  # the order of the service cycle
    assert "factor-delight" in page and 'id="standard-follow-up-v2"' not in page  # drafts are not in force
    assert 'id="standard-new"' not in page  # agents do not draft
    page = client.get(reverse("standards:catalogue"), {"state": "all", "factor": "basic"}).content.decode()
    assert 'id="standard-hotline-v1"' in page and 'id="standard-uniform-v1"' not in page
    page = client.get(reverse("standards:catalogue"), {"state": "draft"}).content.decode()
    assert 'id="standard-follow-up-v2"' in page and 'id="standard-follow-up-v1"' not in page


def test_standard_page_shows_the_version_history_with_reasons_and_who(client, manager, standard):
    draft = actions.standard_revise(actor=manager, standard=standard, reason="客户反馈回访太晚")
    actions.standard_publish(actor=manager, standard=draft, expected_version=None,
                             effective_from=timezone.localdate())
    client.force_login(make_staff("agent"))
    page = client.get(reverse("standards:standard", args=["follow-up"])).content.decode()
    assert 'id="version-2"' in page and 'id="version-1"' in page
    assert "客户反馈回访太晚" in page and manager.get_full_name() in page
    assert 'id="revise-form"' not in page and 'id="retire-form"' not in page  # agents read only


def test_new_standard_keeps_the_input_and_shows_errors_beside_the_fields(client, manager):
    client.force_login(manager)
    response = client.post(reverse("standards:standard_new"), {
        "code": "follow-up", "statement": "服务完成后回访。", "touchpoint": "follow_up", "factor": "",
        "indicator": "回访及时率", "target": "", "measuring_method": "系统统计", "is_commitment": "on",
        "commitment_text": "",
    })
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"factor", "target", "commitment_text"}
    page = response.content.decode()
    assert "服务完成后回访。" in page and 'value="回访及时率"' in page and "is-invalid" in page
    assert not ServiceStandard.objects.exists()

    response = client.post(reverse("standards:standard_new"), {
        "code": "follow-up", "statement": "服务完成后回访。", "touchpoint": "follow_up", "factor": "performance",
        "indicator": "回访及时率", "target": "≥ 95%", "measuring_method": "系统统计", "owner": "",
    })
    assert response.status_code == 302 and response["Location"] == reverse("standards:standard", args=["follow-up"])
    assert ServiceStandard.objects.get().state == State.DRAFT


def test_a_stale_draft_edit_keeps_the_input_and_shows_what_is_on_record(client, manager):
    draft = actions.standard_draft(actor=manager, code="follow-up", data=standard_input())
    actions.standard_edit_draft(actor=manager, standard=draft, expected_version=1,
                                data=standard_input(target="≥ 98%"))
    client.force_login(manager)
    url = reverse("standards:standard_edit", args=["follow-up", 1])
    data = {name: getattr(draft, name) for name in actions.FIELDS if name != "owner"}
    data.update(target="≥ 90%", version=1, is_commitment="on")
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="conflict"' in page and "≥ 98%" in page and 'value="≥ 90%"' in page
    assert ServiceStandard.objects.get(pk=draft.pk).target == "≥ 98%"
    data["version"] = 2  # saving again applies it, knowingly
    assert client.post(url, data).status_code == 302
    assert ServiceStandard.objects.get(pk=draft.pk).target == "≥ 90%"


def test_a_published_version_has_no_edit_page(client, manager, standard):
    client.force_login(manager)
    response = client.get(reverse("standards:standard_edit", args=["follow-up", 1]))
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:standard", args=["follow-up"])


def test_manager_revises_and_publishes_through_the_pages(client, manager, standard):
    client.force_login(manager)
    response = client.post(reverse("standards:standard_revise", args=["follow-up", 1]), {"reason": ""})
    assert response.status_code == 400 and response.context["revise_form"].errors["reason"]
    response = client.post(reverse("standards:standard_revise", args=["follow-up", 1]), {"reason": "缩短回访时限"})
    assert response["Location"] == reverse("standards:standard_edit", args=["follow-up", 2])
    draft = ServiceStandard.objects.get(code="follow-up", edition=2)

    publish = reverse("standards:standard_publish", args=["follow-up", 2])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(publish, {"effective_from": yesterday.isoformat(), "version": draft.version})
    assert response.status_code == 400
    assert response.context["publish_form"].errors["effective_from"]
    assert yesterday.isoformat() in response.content.decode()  # what was typed is kept
    response = client.post(publish, {"effective_from": timezone.localdate().isoformat(),
                                     "version": draft.version})
    assert response.status_code == 302
    assert ServiceStandard.objects.get(code="follow-up", state=State.IN_FORCE).edition == 2
    assert AuditEvent.objects.filter(action="standard.published", actor=manager).count() == 2


def test_retire_from_the_page_needs_a_reason(client, manager, standard):
    client.force_login(manager)
    url = reverse("standards:standard_retire", args=["follow-up", 1])
    today = timezone.localdate().isoformat()
    response = client.post(url, {"retire_on": today, "reason": "", "version": standard.version})
    assert response.status_code == 400 and response.context["open_form"] == "retire_form"
    response = client.post(url, {"retire_on": today, "reason": "停止执行", "version": standard.version})
    assert response.status_code == 302 and ServiceStandard.objects.get().state == State.RETIRED
    response = client.post(url, {"retire_on": today, "reason": "再来一次", "version": standard.version + 1})
    assert response.status_code == 400  # a retired version cannot be retired again; said above the form
    assert response.context["retire_form"].non_field_errors()


def test_date_fields_are_filled_in_a_form_the_browser_accepts(client, manager, standard):
    """<input type=date> takes only ISO dates, whatever the language's date format."""
    actions.standard_revise(actor=manager, standard=standard, reason="调整")
    client.force_login(manager)
    page = client.get(reverse("standards:standard", args=["follow-up"])).content.decode()
    today = timezone.localdate().isoformat()
    assert f'type="date" name="effective_from" value="{today}"' in page
    assert f'type="date" name="retire_on" value="{today}"' in page
