"""/api/v1/standards (R10.1, R10.2): the public commitments without authentication, the catalogue and
a standard's versions for staff only, in the language asked for."""

import datetime

import pytest
from django.utils import timezone

from fuwu.org.actions import api_token_issue
from fuwu.standards.actions import commitments as actions
from tests.factories import make_staff
from tests.standards.test_commitment_actions import make_standard, revise_and_publish

pytestmark = pytest.mark.django_db

BASE = "/api/v1/standards"


@pytest.fixture
def catalogue(manager):
    """follow-up revised (v1 retired, v2 in force), hotline in force, fax retired, a draft."""
    today = timezone.localdate()
    v1 = make_standard(manager, "follow-up")
    revise_and_publish(manager, v1, reason="缩短回访时限", commitment_text="服务完成后 1 个工作日内回访您。",
                       commitment_text_en="We call you within 1 working day after the service.")
    make_standard(manager, "hotline", touchpoint="access", factor="basic", commitment_text="热线两声内接听。",
                  commitment_text_en="")
    fax = make_standard(manager, "fax", touchpoint="intake", commitment_text="传真 30 分钟内回传。")
    actions.standard_retire(actor=manager, standard=fax, expected_version=None, reason="渠道停用", retire_on=today)
    actions.standard_draft(actor=manager, code="remote", data=actions.StandardInput(
        statement="远程服务须经授权。", touchpoint="resolution", factor="basic", indicator="授权记录完整率",
        target="100%", measuring_method="抽查", is_commitment=True, commitment_text="未经同意不远程连接。"))


def test_public_commitments_need_no_login_and_follow_the_language(client, catalogue):
    response = client.get(f"{BASE}/commitments")
    assert response.status_code == 200
    body = response.json()
    assert [(c["code"], c["version"]) for c in body] == [("hotline", 1), ("follow-up", 2)]  # service-cycle order
    _hotline, follow_up = body
    assert follow_up["commitment_zh"] == "服务完成后 1 个工作日内回访您。"
    assert follow_up["effective_from"] == timezone.localdate().isoformat()
    english = client.get(f"{BASE}/commitments", headers={"accept-language": "en"}).json()
    assert english[1]["commitment"] == "We call you within 1 working day after the service."
    assert english[1]["touchpoint_label"] == "Follow-up"
    assert english[0]["commitment"] == "热线两声内接听。"  # no English text: the Chinese one


def test_catalogue_and_standard_need_authentication(client, catalogue):
    for url in (BASE, f"{BASE}/follow-up"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"


def test_catalogue_is_in_force_by_default_with_the_pages_filters(client, catalogue):
    _token, key = api_token_issue(actor=make_staff("technician"), name="wallboard")
    auth = {"authorization": f"Bearer {key}"}
    rows = client.get(BASE, headers=auth).json()
    assert sorted((r["code"], r["version"]) for r in rows) == [("follow-up", 2), ("hotline", 1)]
    follow_up = next(r for r in rows if r["code"] == "follow-up")
    assert follow_up["supersedes_version"] == 1 and follow_up["standing"] == "in_force"
    assert follow_up["owner"] == "service" and follow_up["revision_reason"] == "缩短回访时限"
    drafts = client.get(BASE, {"state": "draft"}, headers=auth).json()
    assert [(r["code"], r["state"]) for r in drafts] == [("remote", "draft")]
    everything = client.get(BASE, {"state": "all", "touchpoint": "follow_up"}, headers=auth).json()
    assert [(r["code"], r["version"]) for r in everything] == [("follow-up", 2), ("follow-up", 1)]
    assert client.get(BASE, {"state": "nonsense"}, headers=auth).json() == rows  # unknown values: the default


def test_a_standard_with_its_versions_and_history(client, manager, catalogue):
    client.force_login(make_staff("agent"))
    body = client.get(f"{BASE}/follow-up").json()
    assert body["current_version"] == 2
    v2, v1 = body["versions"]
    assert (v2["state"], v1["state"]) == ("in_force", "retired")
    assert v1["effective_until"] == (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert [e["action"] for e in v2["events"]] == ["standard.revised", "standard.draft_edited", "standard.published"]
    assert [e["action"] for e in v1["events"]] == ["standard.drafted", "standard.published", "standard.retired"]
    assert v2["events"][0]["reason"] == "缩短回访时限" and v2["events"][0]["actor"] == manager.get_full_name()
    assert v2["events"][0]["label"]
    missing = client.get(f"{BASE}/no-such-standard")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_a_customer_login_reads_the_public_commitments_only(client, catalogue):
    client.force_login(make_staff("customer"))
    assert client.get(f"{BASE}/commitments").status_code == 200
    response = client.get(BASE)
    assert response.status_code == 403 and response.json()["code"] == "forbidden.standards.view"
    assert client.get(f"{BASE}/follow-up").status_code == 403
