"""The portal's pages (R3.1, R1.2, R2.2): who reaches them, what a customer sees of its requests, and nothing more."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fuwu.customers import actions as customer_actions
from fuwu.customers.validation import ProductInput
from fuwu.org.roles import Role
from fuwu.portal import actions
from fuwu.portal.selectors import PAGE_SIZE
from fuwu.standards.models import ServiceType
from fuwu.tickets.actions import handover_accept, ticket_add_entry, ticket_hand_over, ticket_move
from fuwu.tickets.lifecycle import Move, Status
from fuwu.tickets.models import Entry, Ticket
from tests.factories import PASSWORD, make_staff, make_ticket

pytestmark = pytest.mark.django_db

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360"
                    "000002000154a24f5d0000000049454e44ae426082")
STAFF_ROLES = [r for r in Role if r != Role.CUSTOMER]


# --- Who reaches what: the permission matrix -------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_get_403_on_the_portal(client, role):
    client.force_login(make_staff(role))
    for name in ("portal:home", "portal:requests", "portal:request_new"):
        assert client.get(reverse(name)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_portal_sign_in(client):
    response = client.get(reverse("portal:requests"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:signin"))


STAFF_PAGES = ["tickets:workspace", "tickets:intake", "customers:list", "org:staff", "standards:catalogue",
               "fieldservice:today", "materials:list", "audit"]


def test_a_customer_gets_403_on_staff_pages(client, customer_login):
    client.force_login(customer_login)
    for name in STAFF_PAGES:
        assert client.get(reverse(name)).status_code == 403, name


def test_a_customer_login_lands_on_its_portal(client, customer_login):
    response = client.post(reverse("login"), {"username": customer_login.username, "password": PASSWORD})
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert home.status_code == 302 and home["Location"] == reverse("portal:home")


def test_the_customers_navigation_holds_only_portal_items(client, customer_login, agent):
    client.force_login(customer_login)
    urls = [item["url"] for item in client.get(reverse("portal:home")).context["nav_items"]]
    assert urls == [reverse("portal:home"), reverse("portal:requests"), reverse("portal:request_new"),
                    reverse("standards:commitments_public")]
    client.force_login(agent)
    staff_urls = [item.get("url") for item in client.get(reverse("home")).context["nav_items"]]
    assert reverse("home") in staff_urls and reverse("portal:home") not in staff_urls


# --- Home and list -------------------------------------------------------------------------------


def test_home_shows_the_customers_own_requests_and_products_only(client, customer_login, own, other, agent):
    customer_actions.product_add(actor=agent, customer=own, data=ProductInput(name="冷水机组"))
    customer_actions.product_add(actor=agent, customer=other, data=ProductInput(name="别人的设备"))
    make_ticket(agent, title="自己的报修", customer_id=own.pk)
    make_ticket(agent, title="别人的报修", customer_id=other.pk)
    client.force_login(customer_login)
    html = client.get(reverse("portal:home")).content.decode()
    assert "自己的报修" in html and "冷水机组" in html and own.name in html
    assert "别人的报修" not in html and "别人的设备" not in html and other.name not in html
    assert 'id="portal-surveys"' not in html  # no survey waiting (the place is kept for the surveys app)


def test_the_list_shows_number_title_friendly_status_and_pages(client, customer_login, own, other, agent):
    for n in range(PAGE_SIZE + 1):
        make_ticket(agent, title=f"请求{n:02d}", customer_id=own.pk)
    make_ticket(agent, title="别人的", customer_id=other.pk)
    client.force_login(customer_login)
    first = client.get(reverse("portal:requests"))
    html = first.content.decode()
    newest = Ticket.objects.filter(customer=own).latest("id")
    assert newest.number in html and "请求20" in html and "请求00" not in html and "别人的" not in html
    assert "已收到" in html and "新建" not in html  # the customer's word for a new request, not the staff's
    second = client.get(reverse("portal:requests"), {"page": 2}).content.decode()
    assert "请求00" in second and "请求20" not in second


def test_the_list_costs_a_fixed_number_of_queries(client, customer_login, own, agent, django_assert_max_num_queries):
    for n in range(5):
        make_ticket(agent, title=f"请求{n}", customer_id=own.pk)
    client.force_login(customer_login)
    with django_assert_max_num_queries(12):
        client.get(reverse("portal:requests"))


# --- One request ---------------------------------------------------------------------------------


def _worked_request(agent, own):
    """A request with everything staff write on it: a note, a reply, a hand-over, a resolution."""
    ticket = make_ticket(agent, title="空调不制冷", customer_id=own.pk, description="三楼会议室")
    ticket_add_entry(actor=agent, ticket=ticket, kind=Entry.Kind.NOTE, body="内部：客户脾气急，VIP处理",
                     files=[SimpleUploadedFile("internal.png", PNG)])
    ticket_add_entry(actor=agent, ticket=ticket, kind=Entry.Kind.REPLY, body="我们明天上门",
                     files=[SimpleUploadedFile("plan.png", PNG)])
    support = make_staff("support")
    handover = ticket_hand_over(actor=agent, ticket=ticket, expected_version=None, to_group=support.profile.group,
                                note="交给技术支持：疑难")
    handover_accept(actor=support, handover=handover)
    ticket.refresh_from_db()
    ticket_move(actor=support, ticket=ticket, expected_version=None, move=Move.START)
    ticket_move(actor=support, ticket=ticket, expected_version=None, move=Move.RESOLVE, resolution="更换了启动电容")
    return Ticket.objects.get(pk=ticket.pk)


def test_the_request_page_shows_the_customer_visible_timeline_only(client, customer_login, own, agent):
    ticket = _worked_request(agent, own)
    client.force_login(customer_login)
    response = client.get(reverse("portal:request", args=[ticket.number]))
    html = response.content.decode()
    assert response.status_code == 200
    for seen in ("三楼会议室", "我们明天上门", "plan.png", "更换了启动电容", "已解决，请确认"):
        assert seen in html, seen
    for hidden in ("内部：客户脾气急", "internal.png", "交给技术支持", "疑难", "VIP", "SLA", "重点客户", "完整",
                   own.get_customer_class_display(), "首问"):
        assert hidden not in html, hidden
    assert 'id="confirm-resolution"' in html and 'id="reopen-form"' in html


def test_another_customers_request_number_answers_404(client, customer_login, other, agent):
    foreign = make_ticket(agent, title="别人的", customer_id=other.pk)
    client.force_login(customer_login)
    assert client.get(reverse("portal:request", args=[foreign.number])).status_code == 404
    assert client.get(reverse("portal:request", args=["FW-2026-999999"])).status_code == 404
    for name in ("portal:reply", "portal:confirm", "portal:reopen"):
        assert client.post(reverse(name, args=[foreign.number]), {"body": "x", "version": 1}).status_code == 404
    assert not foreign.entries.exists()


def test_files_of_internal_notes_are_404_and_of_replies_are_served(client, customer_login, own, agent, other_login):
    ticket = _worked_request(agent, own)
    note_file = ticket.entries.get(kind=Entry.Kind.NOTE).attachments.get()
    reply_file = ticket.entries.get(kind=Entry.Kind.REPLY).attachments.get()
    client.force_login(customer_login)
    assert client.get(reverse("portal:attachment", args=[ticket.number, note_file.pk])).status_code == 404
    assert client.get(reverse("portal:attachment", args=[ticket.number, reply_file.pk])).status_code == 200
    client.force_login(other_login)
    assert client.get(reverse("portal:attachment", args=[ticket.number, reply_file.pk])).status_code == 404


def test_the_customer_confirms_from_the_page(client, customer_login, own, agent):
    ticket = _worked_request(agent, own)
    client.force_login(customer_login)
    response = client.post(reverse("portal:confirm", args=[ticket.number]), {"version": ticket.version})
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED
    html = client.get(reverse("portal:request", args=[ticket.number])).content.decode()
    assert "您已确认解决" in html and 'id="reply-form"' not in html


def test_a_stale_confirmation_says_the_request_changed(client, customer_login, own, agent):
    ticket = _worked_request(agent, own)
    client.force_login(customer_login)
    response = client.post(reverse("portal:confirm", args=[ticket.number]), {"version": ticket.version - 1},
                           follow=True)
    assert Ticket.objects.get(pk=ticket.pk).status == Status.RESOLVED
    assert "请求在您阅读时有了变化" in response.content.decode()


def test_reopening_without_a_reason_keeps_the_form_open_with_the_error(client, customer_login, own, agent):
    ticket = _worked_request(agent, own)
    client.force_login(customer_login)
    response = client.post(reverse("portal:reopen", args=[ticket.number]), {"version": ticket.version, "reason": ""})
    assert response.status_code == 400 and 'id="reopen-form"' in response.content.decode()
    response = client.post(reverse("portal:reopen", args=[ticket.number]),
                           {"version": ticket.version, "reason": "还是不制冷"})
    assert response.status_code == 302 and Ticket.objects.get(pk=ticket.pk).status == Status.REOPENED
    html = client.get(reverse("portal:request", args=[ticket.number])).content.decode()
    assert "还是不制冷" in html and "您重新打开了该请求" in html


def test_the_customer_writes_and_staff_read_it_on_the_request_page(client, customer_login, own, agent):
    ticket = make_ticket(agent, title="漏水", customer_id=own.pk)
    client.force_login(customer_login)
    response = client.post(reverse("portal:reply", args=[ticket.number]),
                           {"body": "水还在滴", "attachments": [SimpleUploadedFile("滴水.png", PNG)]})
    assert response.status_code == 302
    assert "水还在滴" in client.get(reverse("portal:request", args=[ticket.number])).content.decode()
    client.force_login(agent)
    html = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert "水还在滴" in html and "客户留言" in html and "滴水.png" in html


def test_an_empty_message_is_refused_beside_the_field(client, customer_login, own, agent):
    ticket = make_ticket(agent, title="漏水", customer_id=own.pk)
    client.force_login(customer_login)
    response = client.post(reverse("portal:reply", args=[ticket.number]), {"body": "  "})
    assert response.status_code == 400 and "invalid-feedback" in response.content.decode()
    assert not ticket.entries.exists()


# --- Filing a request ----------------------------------------------------------------------------


def test_filing_a_request_from_the_page(client, customer_login, own, agent):
    product = customer_actions.product_add(actor=agent, customer=own, data=ProductInput(name="冷水机组"))
    client.force_login(customer_login)
    form = client.get(reverse("portal:request_new"))
    html = form.content.decode()
    assert "浦东新区世纪大道1号" in html  # the site prefilled from the customer's address
    assert "入住手续" not in html  # an errand is not open to customers
    assert "陈建国" in html and 'name="contact_phone"' not in html  # not asked again
    response = client.post(reverse("portal:request_new"), {
        "service_type": ServiceType.objects.get(code="consultation").pk, "title": "保修期多久",
        "description": "想了解保修", "product": product.pk, "site_address": "", "occurred_since": "",
        "attachments": [SimpleUploadedFile("发票.png", PNG)]})
    ticket = Ticket.objects.get(title="保修期多久")
    assert response.status_code == 302 and response["Location"] == reverse("portal:request", args=[ticket.number])
    assert ticket.customer == own and ticket.portal_request.product == product


def test_errors_keep_what_was_typed(client, customer_login, other, agent):
    foreign = customer_actions.product_add(actor=agent, customer=other, data=ProductInput(name="别人的设备"))
    client.force_login(customer_login)
    response = client.post(reverse("portal:request_new"), {
        "service_type": ServiceType.objects.get(code="repair").pk, "title": "空调不制冷",
        "description": "三楼会议室，一直滴水", "product": foreign.pk, "site_address": "", "occurred_since": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "空调不制冷" in html and "三楼会议室，一直滴水" in html
    assert html.count("invalid-feedback") >= 1
    assert not Ticket.objects.exists()


def test_required_facts_of_a_type_are_shown_beside_their_fields(client, customer_login):
    client.force_login(customer_login)
    response = client.post(reverse("portal:request_new"), {
        "service_type": ServiceType.objects.get(code="repair").pk, "title": "空调不制冷", "site_address": ""})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors.get("site_address") and form.errors.get("occurred_since")


# --- What staff see ------------------------------------------------------------------------------


def test_staff_see_that_the_customer_filed_it_and_about_which_product(client, customer_login, own, agent):
    product = customer_actions.product_add(actor=agent, customer=own, data=ProductInput(name="冷水机组"))
    ticket = actions.portal_request_file(actor=customer_login, data=actions.RequestInput(
        service_type_id=ServiceType.objects.get(code="consultation").pk, title="保修期多久", product_id=product.pk))
    client.force_login(agent)
    html = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert 'id="portal-panel"' in html and "冷水机组" in html


def test_the_reopen_deadline_shown_is_the_automatic_close_when_it_comes_first(customer_login, own, agent, settings):
    import datetime

    from fuwu.portal.selectors import request_actions

    settings.FUWU_REOPEN_DAYS, settings.FUWU_AUTO_CLOSE_DAYS = 7, 3
    ticket = _worked_request(agent, own)
    offered = request_actions(customer_login, ticket)
    assert offered["can_confirm"] and offered["can_reopen"]
    assert offered["reopen_until"] == ticket.resolved_at + datetime.timedelta(days=3)


def test_the_customer_reads_the_published_commitments_with_the_portal_navigation(client, customer_login):
    client.force_login(customer_login)
    response = client.get(reverse("standards:commitments_public"))
    assert response.status_code == 200
    assert [i["active"] for i in response.context["nav_items"]][-1]  # "Our commitments" is the page shown


def test_the_survey_about_a_resolved_request_waits_on_the_customers_home(client, customer_login, own, other,
                                                                           manager):
    from fuwu.surveys import actions as survey_actions
    from fuwu.surveys.models import CampaignKind, Channel
    from tests.surveys.conftest import build_questionnaire, resolved

    survey_actions.campaign_create(actor=manager, name="服务后回访", kind=CampaignKind.AFTER_SERVICE,
                                   questionnaire=build_questionnaire(manager), channel=Channel.EMAIL)
    mine = resolved(manager, title="空调不制冷", customer_id=own.pk)
    resolved(manager, title="别家的请求", customer_id=other.pk)
    client.force_login(customer_login)
    page = client.get(reverse("portal:home")).content.decode()
    section = page.split('id="portal-surveys"', 1)[1].split("</section>", 1)[0]
    assert "售后服务满意度调查" in section and mine.number in section and section.count("/s/") == 1
    link = re.search(r'href="(/s/[^"]+/)"', section).group(1)
    assert client.get(link).status_code == 200


def test_the_customers_reply_by_e_mail_shows_as_their_own_message(client, customer_login, own, agent):
    from fuwu.mail.actions import mail_actor

    ticket = make_ticket(agent, title="空调漏水", customer_id=own.pk)
    ticket_add_entry(actor=mail_actor(), ticket=ticket, kind=Entry.Kind.CUSTOMER, body="<p>下午三点以后家里有人</p>")
    client.force_login(customer_login)
    html = client.get(reverse("portal:request", args=[ticket.number])).content.decode()
    assert "下午三点以后家里有人" in html and "通过邮件" in html
