"""Ticket pages (R3, R4): permission matrix, the hand-over journey through the views, errors that keep
what was typed, HTMX fragments, attachments behind access checks, and query-count guards."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fuwu.core.models import Notification
from fuwu.core.outbox import outbox_deliver_pending
from fuwu.org.models import Group
from fuwu.org.roles import Role
from fuwu.standards.models import ServiceType
from fuwu.tickets.actions import ticket_add_entry, ticket_hand_over
from fuwu.tickets.lifecycle import Status
from fuwu.tickets.models import Entry, Handover, RepeatContact, Ticket
from tests.factories import RegionFactory, fresh, make_customer, make_staff, make_ticket

pytestmark = pytest.mark.django_db

ROLES = [r.value for r in Role]
VIEWERS = {"admin", "manager", "agent", "support", "technician", "quality_supervisor", "general_manager"}
WORKERS = {"admin", "manager", "agent", "support", "technician"}
HX = {"HX-Request": "true"}


@pytest.fixture
def ticket(agent):
    return make_ticket(agent, title="咨询保修政策", contact_phone="13800138000")


@pytest.fixture
def technician(db):
    return make_staff(Role.TECHNICIAN, full_name="李师傅")


def _urls(ticket):
    return {
        "workspace": reverse("tickets:workspace"),
        "intake": reverse("tickets:intake"),
        "caller": reverse("tickets:caller") + "?phone=13800138000",
        "detail": reverse("tickets:detail", args=[ticket.pk]),
        "notifications": reverse("notifications"),
    }


def _expected(role):
    return {
        "workspace": 200 if role in VIEWERS else 403,
        "intake": 200 if role in WORKERS else 403,
        "caller": 200 if role in WORKERS else 403,
        "detail": 200 if role in VIEWERS else 404,
        "notifications": 200,
    }


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_the_ticket_pages(client, ticket, role):
    client.force_login(make_staff(role))
    got = {name: client.get(url).status_code for name, url in _urls(ticket).items()}
    assert got == _expected(role)


def test_anonymous_is_sent_to_the_login_page(client, ticket):
    for url in _urls(ticket).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    post = client.post(reverse("tickets:move", args=[ticket.pk]), {"move-move": "accept"})
    assert post.status_code == 302 and Ticket.objects.get(pk=ticket.pk).status == Status.NEW


def test_supervisor_reads_a_ticket_but_cannot_act_on_it(client, ticket):
    client.force_login(make_staff(Role.QUALITY_SUPERVISOR))
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert "咨询保修政策" in page and 'id="action-bar"' in page and 'id="entry-form"' not in page
    response = client.post(reverse("tickets:entry_add", args=[ticket.pk]), {"entry-kind": "note", "entry-body": "x"})
    assert response.status_code == 403
    assert not Entry.objects.exists()


def test_hand_over_journey_through_the_pages(client, agent, technician):
    """Register at intake, hand over to the repair group, the technician accepts, starts, resolves (R3.3)."""
    region = RegionFactory(code="pudong", name="浦东")
    repair_type = ServiceType.objects.get(code="repair")
    repair_group = Group.objects.get(code="repair")
    client.force_login(agent)
    response = client.post(reverse("tickets:intake"), {
        "service_type": repair_type.pk, "channel": "phone", "title": "空调不制冷", "contact_name": "陈建国",
        "contact_phone": "13912345678", "site_address": "世纪大道1号", "region": region.pk,
        "occurred_since": "今天早上",
    })
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    assert ticket.first_responsible == agent and ticket.owner == agent and ticket.status == Status.NEW

    response = client.post(reverse("tickets:handover", args=[ticket.pk]), {
        "handover-version": ticket.version, "handover-to_group": repair_group.pk, "handover-note": "请上门检修"})
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert handover.state == Handover.State.PENDING and handover.to_group == repair_group
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert 'id="handover-pending"' in page and 'id="accept-handover"' not in page  # the agent cannot accept

    client.force_login(technician)
    waiting = client.get(reverse("tickets:workspace"), {"queue": "handovers"})
    assert [r["id"] for r in waiting.context["rows"]] == [ticket.pk]
    assert 'id="accept-handover"' in client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    response = client.post(reverse("tickets:handover_accept", args=[ticket.pk, handover.pk]))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.owner == technician and ticket.group == repair_group and ticket.status == Status.ACCEPTED
    assert not ticket.has_pending_handover and ticket.first_responsible == agent

    client.post(reverse("tickets:move", args=[ticket.pk]), {"move-version": ticket.version, "move-move": "start"})
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    client.post(reverse("tickets:move", args=[ticket.pk]), {
        "move-version": ticket.version, "move-move": "resolve", "move-resolution": "更换压缩机电容"})
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.resolution == "更换压缩机电容"

    client.force_login(agent)
    mine = client.get(reverse("tickets:workspace"), {"queue": "first_contact"})
    assert [(r["id"], r["status"]) for r in mine.context["rows"]] == [(ticket.pk, Status.RESOLVED)]
    # The first-responsible person was told (R3.3); the notices reach the in-app list.
    outbox_deliver_pending()
    notices = client.get(reverse("notifications"))
    assert ticket.number in notices.content.decode()
    assert 'id="unread-count"' in notices.content.decode()


def test_decline_needs_a_reason_and_keeps_the_owner(client, agent, ticket, technician):
    handover = ticket_hand_over(actor=agent, ticket=ticket, expected_version=ticket.version,
                                to_group=Group.objects.get(code="repair"), note="请处理")
    client.force_login(technician)
    url = reverse("tickets:handover_decline", args=[ticket.pk, handover.pk])
    response = client.post(url, {"decline-reason": "  "})
    assert response.status_code == 400
    response = client.post(url, {"decline-reason": "不属于维修范围"}, headers=HX)
    assert response.status_code == 200 and "<html" not in response.content.decode()
    handover.refresh_from_db()
    ticket.refresh_from_db()
    assert handover.state == Handover.State.DECLINED and ticket.owner == agent and not ticket.has_pending_handover


def test_intake_errors_are_shown_beside_the_fields_and_input_is_kept(client, agent):
    client.force_login(agent)
    repair_type = ServiceType.objects.get(code="repair")
    response = client.post(reverse("tickets:intake"), {
        "service_type": repair_type.pk, "channel": "phone", "title": "", "contact_name": "王女士",
        "contact_phone": "12345", "description": "楼道灯不亮",
    })
    assert response.status_code == 400
    form = response.context["form"]
    assert {"title", "contact_phone", "site_address", "region", "occurred_since"} <= set(form.errors)
    html = response.content.decode()
    assert 'value="王女士"' in html and "楼道灯不亮" in html and 'value="12345"' in html
    assert not Ticket.objects.exists()


def test_intake_settles_at_first_contact_retroactive_and_major(client, agent):
    make_staff(Role.GENERAL_MANAGER)
    client.force_login(agent)
    response = client.post(reverse("tickets:intake"), {
        "service_type": ServiceType.objects.get(code="consultation").pk, "channel": "phone",
        "title": "咨询保修期", "contact_name": "赵先生", "settle": "已告知保修两年", "retroactive": "on",
        "received_at": "2026-01-05T09:30", "major": "on",
    })
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.status == Status.RESOLVED and ticket.is_retroactive and ticket.is_major
    assert ticket.received_at.strftime("%Y-%m-%d %H:%M") in ("2026-01-05 01:30", "2026-01-05 09:30")
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert 'id="major-badge"' in page and "已告知保修两年" in page


def test_retroactive_needs_the_real_start_time(client, agent):
    client.force_login(agent)
    response = client.post(reverse("tickets:intake"), {
        "service_type": ServiceType.objects.get(code="consultation").pk, "channel": "phone",
        "title": "夜间抢修", "contact_name": "值班员", "retroactive": "on"})
    assert response.status_code == 400 and "received_at" in response.context["form"].errors


def test_intake_fields_follow_the_service_type(client, agent):
    client.force_login(agent)
    url = reverse("tickets:intake")
    repair = ServiceType.objects.get(code="repair")
    response = client.get(url, {"part": "fields", "service_type": repair.pk, "title": "空调"}, headers=HX)
    html = response.content.decode()
    assert "<html" not in html and 'id="intake-fields"' in html and 'value="空调"' in html
    assert response.context["form"].fields["site_address"].required


def test_caller_panel_finds_the_customer_and_links_a_repeat_contact(client, agent):
    customer = make_customer(agent, name="华新电子有限公司", phone="13800138000", contact_name="张伟")
    open_one = make_ticket(agent, title="网络中断", customer_id=customer.pk)
    client.force_login(agent)
    panel = client.get(reverse("tickets:caller"), {"phone": "+86 138 0013 8000"}, headers=HX).content.decode()
    assert "华新电子有限公司" in panel and "网络中断" in panel and "<html" not in panel
    # Opening intake with the number takes the only matching customer at once (R2.3).
    page = client.get(reverse("tickets:intake"), {"phone": "13800138000"})
    assert page.context["customer"] == customer and page.context["form"].initial["contact_name"] == "张伟"
    response = client.post(reverse("tickets:repeat", args=[open_one.pk]),
                           {"from": "intake", "repeat-channel": "phone"}, headers=HX)
    assert response.status_code == 200 and f"open-{open_one.pk}" in response.content.decode()
    open_one.refresh_from_db()
    assert open_one.repeat_contacts == 1 and RepeatContact.objects.count() == 1
    assert Ticket.objects.count() == 1  # linked, not a new request (R3.4)


def test_htmx_post_returns_the_panel_and_errors_keep_input(client, agent, ticket):
    client.force_login(agent)
    url = reverse("tickets:move", args=[ticket.pk])
    response = client.post(url, {"move-version": ticket.version, "move-move": "resolve", "move-resolution": ""},
                           headers=HX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="ticket-panel"' in html
    assert response.context["move_form"].errors and response.context["failed_move"] == "resolve"
    response = client.post(reverse("tickets:entry_add", args=[ticket.pk]),
                           {"entry-kind": "reply", "entry-body": "<p>已安排<script>alert(1)</script></p>"},
                           headers=HX)
    html = response.content.decode()
    assert "已安排" in html and "<script>alert" not in html and "<html" not in html


def test_stale_version_shows_the_conflict_and_keeps_the_note(client, agent, ticket):
    client.force_login(agent)
    stale = ticket.version
    client.post(reverse("tickets:tier", args=[ticket.pk]),
                {"tier-version": stale, "tier-tier": "remote", "tier-reason": "需远程",
                 "tier-customer_authorised": "on"})
    response = client.post(reverse("tickets:handover", args=[ticket.pk]), {
        "handover-version": stale, "handover-to_group": Group.objects.get(code="repair").pk,
        "handover-note": "请上门"})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="conflict"' in html and "请上门" in html
    assert response.context["handover_form"].data["handover-version"] == stale + 1
    assert not Handover.objects.exists()


def test_a_move_without_the_version_seen_is_refused_not_applied(client, agent, ticket):
    client.force_login(agent)
    response = client.post(reverse("tickets:move", args=[ticket.pk]), {"move-move": "cancel", "move-reason": "重复"})
    assert response.status_code == 400
    assert "此表单已过期" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_move_not_allowed_is_shown_above_the_form(client, agent, ticket, technician):
    client.force_login(technician)
    response = client.post(reverse("tickets:move", args=[ticket.pk]),
                           {"move-version": ticket.version, "move-move": "start"})
    assert response.status_code == 400 and response.context["move_form"].non_field_errors()


def test_tier_change_to_remote_needs_the_authorisation(client, agent, ticket):
    client.force_login(agent)
    response = client.post(reverse("tickets:tier", args=[ticket.pk]),
                           {"tier-version": ticket.version, "tier-tier": "remote", "tier-reason": "远程排查"})
    assert response.status_code == 400 and "customer_authorised" in response.context["tier_form"].errors
    assert 'value="远程排查"' in response.content.decode()


def test_manager_reassigns_directly_and_others_may_not(client, agent, manager, ticket, technician):
    repair = Group.objects.get(code="repair")
    data = {"reassign-version": ticket.version, "reassign-to_group": repair.pk, "reassign-to_user": technician.pk,
            "reassign-note": "维修组负责"}
    client.force_login(agent)
    assert client.post(reverse("tickets:reassign", args=[ticket.pk]), data).status_code == 403
    client.force_login(manager)
    assert client.post(reverse("tickets:reassign", args=[ticket.pk]), data).status_code == 302
    ticket.refresh_from_db()
    assert ticket.owner == technician and ticket.group == repair


def test_mark_major_and_office_ruling(client, agent, ticket):
    gm = make_staff(Role.GENERAL_MANAGER)
    client.force_login(agent)
    client.post(reverse("tickets:major", args=[ticket.pk]), {"major-reason": "涉及人身安全"})
    client.post(reverse("tickets:ruling_request", args=[ticket.pk]), {"ruling-question": "维修组与销售部分歧"})
    ticket.refresh_from_db()
    ruling = ticket.rulings.get()
    assert ticket.is_major
    client.force_login(gm)
    assert "维修组与销售部分歧" in client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    response = client.post(reverse("tickets:ruling_record", args=[ticket.pk, ruling.pk]),
                           {"rulingrec-ruling": "由维修组牵头"})
    assert response.status_code == 302
    ruling.refresh_from_db()
    assert ruling.ruling == "由维修组牵头" and ruling.ruled_by == gm


def test_correction_supersedes_and_stays_struck_through(client, agent, ticket):
    entry = ticket_add_entry(actor=agent, ticket=ticket, kind="note", body="客户地址是1号")
    client.force_login(agent)
    response = client.post(reverse("tickets:entry_add", args=[ticket.pk]), {
        "correct-supersedes": entry.pk, "correct-kind": "note", "correct-body": "客户地址是11号"}, headers=HX)
    html = response.content.decode()
    correction = Entry.objects.get(supersedes=entry)
    assert correction.body == "客户地址是11号"
    assert "text-decoration-line-through" in html and "客户地址是1号" in html and "客户地址是11号" in html
    other = make_staff(Role.AGENT)
    client.force_login(other)
    response = client.post(reverse("tickets:entry_add", args=[ticket.pk]), {
        "correct-supersedes": correction.pk, "correct-kind": "note", "correct-body": "改"})
    assert response.status_code == 404  # only one's own entry can be corrected


def test_attachments_are_served_only_to_those_who_see_the_ticket(client, agent, ticket):
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
           b"\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
    client.force_login(agent)
    response = client.post(reverse("tickets:entry_add", args=[ticket.pk]), {
        "entry-kind": "note", "entry-body": "现场照片",
        "entry-attachments": [SimpleUploadedFile("site.png", png, content_type="image/png"),
                              SimpleUploadedFile("report.pdf", b"%PDF-1.4", content_type="application/pdf")]})
    assert response.status_code == 302, response.context["entry_form"].errors
    image, pdf = Entry.objects.get().attachments.order_by("id")
    url = reverse("tickets:attachment", args=[ticket.pk, image.pk])
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert f'<img src="{url}"' in page
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png
    assert "attachment" in client.get(reverse("tickets:attachment", args=[ticket.pk, pdf.pk]))["Content-Disposition"]
    client.force_login(make_staff(Role.FINANCE))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_attachment_type_is_refused_beside_the_field(client, agent, ticket):
    client.force_login(agent)
    response = client.post(reverse("tickets:entry_add", args=[ticket.pk]), {
        "entry-kind": "note", "entry-body": "附件",
        "entry-attachments": [SimpleUploadedFile("run.exe", b"MZ", content_type="application/x-msdownload")]})
    assert response.status_code == 400 and response.context["entry_form"].errors["attachments"]
    assert "附件" in response.content.decode()


def test_workspace_filters_sort_and_htmx_partial(client, agent):
    make_ticket(agent, title="网络中断")
    make_ticket(agent, "complaint", title="投诉迟到", contact_phone="13700137000",
                customer_id=make_customer(agent, name="明达物流").pk)
    client.force_login(agent)
    complaint = ServiceType.objects.get(code="complaint")
    response = client.get(reverse("tickets:workspace"), {"queue": "mine", "type": complaint.pk, "sort": "oldest"},
                          headers=HX)
    html = response.content.decode()
    assert "投诉迟到" in html and "网络中断" not in html and "<html" not in html
    assert response.context["count"] == 1


def test_workspace_query_count_and_keyset_pages(client, agent, django_assert_max_num_queries):
    for n in range(60):
        make_ticket(agent, title=f"请求{n}")
    client.force_login(agent)
    url = reverse("tickets:workspace")
    # session, user, roles, profile, page, result count, five queue counts, three filter lists, unread count.
    with django_assert_max_num_queries(16):
        response = client.get(url, {"queue": "mine"})
    assert len(response.context["rows"]) == 50 and response.context["next_after"]
    assert response.context["tabs"][0][2] == 60
    html = response.content.decode()  # the shared pager: "Next" carries the cursor, no "First page" yet
    assert 'rel="next"' in html and "after=" in html and 'rel="first"' not in html and 'class="data-table"' in html
    with django_assert_max_num_queries(16):
        response = client.get(url, {"queue": "mine", "after": response.context["next_after"]})
    assert len(response.context["rows"]) == 10 and not response.context["next_after"]
    html = response.content.decode()
    assert 'rel="first"' in html and 'rel="next"' not in html


def test_ticket_page_query_count_with_twenty_entries(client, agent, ticket, django_assert_max_num_queries):
    for n in range(20):
        ticket_add_entry(actor=agent, ticket=ticket, kind="note" if n % 2 else "reply", body=f"第{n}条")
    client.force_login(agent)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("tickets:detail", args=[ticket.pk]))
    assert response.status_code == 200 and "第19条" in response.content.decode()


def test_notification_read_marks_it_and_follows_the_link(client, agent, ticket, technician):
    ticket_hand_over(actor=agent, ticket=ticket, expected_version=ticket.version,
                     to_group=Group.objects.get(code="repair"), to_user=technician, note="请处理")
    outbox_deliver_pending()
    notice = Notification.objects.get(user=technician)
    client.force_login(agent)
    assert client.post(reverse("notification_read", args=[notice.pk])).status_code == 404  # not theirs
    client.force_login(technician)
    response = client.post(reverse("notification_read", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_home_shows_queue_counts_and_customer_page_lists_requests(client, agent):
    customer = make_customer(agent, name="华新电子有限公司")
    make_ticket(agent, title="网络中断", customer_id=customer.pk)
    client.force_login(fresh(agent))
    home = client.get(reverse("home")).content.decode()
    assert 'id="home-queues"' in home and reverse("tickets:workspace") + "?queue=mine" in home
    detail = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "网络中断" in detail and 'id="customer-tickets"' in detail


def test_move_buttons_say_what_they_do(client, agent, ticket):
    """Each move is a button with its label: a regression once left them blank."""
    client.force_login(agent)
    html = client.get(f"/tickets/{ticket.pk}/").content.decode()
    buttons = re.findall(r'name="move-move" value="(\w+)">([^<]*)</button>', html)
    assert buttons and all(label.strip() for _, label in buttons), buttons
    assert re.search(r'data-bs-target="#act-resolve"[^>]*>解决</button>', html)
    assert re.search(r'data-bs-target="#act-handover"[^>]*>移交</button>', html)


def test_intake_takes_the_site_from_the_customers_address(client, agent):
    """A repair goes where the customer is registered unless the agent says otherwise (issue: field service)."""
    make_customer(agent, name="申江物业", phone="13800138001", contact_name="陈建国", address="浦东新区世纪大道1号")
    client.force_login(agent)
    page = client.get(reverse("tickets:intake"), {"phone": "13800138001"})
    assert page.context["form"].initial["site_address"] == "浦东新区世纪大道1号"
    page = client.get(reverse("tickets:intake"), {"phone": "13800138001", "site_address": "张江路2号"})
    assert page.context["form"].initial["site_address"] == "张江路2号"


def test_the_hand_over_picker_names_each_person_with_group_and_workload(client):
    agent = make_staff(Role.AGENT)
    first = make_staff(Role.TECHNICIAN, full_name="陈帅", username="chenshuai")
    make_staff(Role.TECHNICIAN, full_name="陈帅", username="chenshuai2")
    ticket = make_ticket(agent, title="空调不制冷")
    repair = Group.objects.get(code="repair")
    handover = ticket_hand_over(actor=agent, ticket=ticket, expected_version=None, to_group=repair, to_user=first,
                                note="请上门")
    from fuwu.tickets.actions import handover_accept

    handover_accept(actor=first, handover=handover)
    client.force_login(agent)
    page = client.get(reverse("tickets:detail", args=[make_ticket(agent).pk])).content.decode()
    picker = re.search(r'<select name="handover-to_user".*?</select>', page, re.S).group(0)
    assert 'data-filter-by="to_group"' in picker
    assert re.search(rf'data-group="{repair.pk}"[^>]*>陈帅 \(chenshuai\) · {repair.name} · 1 件在办<', picker)
    assert re.search(rf'>陈帅 \(chenshuai2\) · {repair.name} · 0 件在办<', picker)
