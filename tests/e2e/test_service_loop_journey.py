"""Journey (issue 12: R3.1, R9.1): a customer files a request in the portal on a phone; the manager
takes it on and resolves it at a desk; the survey e-mail, delivered over real SMTP, carries a link
that the customer answers at 390x844 without logging in; the satisfaction figure moves."""

import re

import pytest

from fuwu.core.outbox import outbox_deliver_pending
from fuwu.org.roles import Role
from fuwu.surveys.actions import campaign_create
from fuwu.tickets.models import Ticket
from tests.e2e.htmx import htmx_settled
from tests.e2e.pages import log_in
from tests.factories import RegionFactory, link_portal_user, make_customer, make_staff
from tests.smtp import Mailbox, smtp_server
from tests.surveys.conftest import build_questionnaire, questions_by_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]



@pytest.fixture
def mailbox(settings):
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5}}}
        yield mailbox


def test_filed_in_the_portal_resolved_at_the_desk_answered_from_the_mail(browser, live_server, shot, settings,
                                                                         mailbox):
    settings.DEFAULT_FROM_EMAIL = "service@fuwu.example"
    manager = make_staff(Role.MANAGER, full_name="伍经理", username="wu")
    questionnaire = build_questionnaire(manager)
    campaign_create(actor=manager, name="服务后回访", kind="after_service", questionnaire=questionnaire)
    customer = make_customer(manager, name="上海申江物业管理有限公司", phone="13912345678", contact_name="陈建国",
                             email="chen@shenjiang.example", address="浦东新区世纪大道1号",
                             region_id=RegionFactory().pk)
    login = link_portal_user(customer)

    # The customer files a request on a phone.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True).new_page()
    phone.set_default_timeout(10_000)
    log_in(phone, live_server.url, login.username)
    phone.goto(f"{live_server.url}/portal/requests/new/")
    phone.select_option("#id_service_type", label="报修")
    phone.fill("#id_title", "会议室空调漏水")
    phone.fill("#id_description", "三楼会议室的空调从昨天开始滴水。")
    phone.fill("#id_occurred_since", "昨天")
    phone.click("#submit-request")
    phone.wait_for_selector("#portal-timeline")
    ticket = Ticket.objects.get(title="会议室空调漏水")

    # The manager takes it on and resolves it.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    desk.set_default_timeout(10_000)
    log_in(desk, live_server.url, "wu")
    desk.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    desk.click("#moves button[value=accept]")
    desk.wait_for_selector(".status-accepted")
    htmx_settled(desk)
    desk.click("#open-resolve")
    desk.fill("#move-resolution", "更换排水管接头，试机无渗漏")
    desk.click("#move-resolve button")
    desk.wait_for_selector("#ticket-resolution")
    shot(desk, "loop-resolved-desk-zh")

    # The survey mail went out over SMTP (the worker, woken after the commit), with the request's
    # number and a link.
    outbox_deliver_pending()  # whatever the wake-up has not sent yet
    (survey_mail,) = [m for to, m in mailbox.messages if to == ["chen@shenjiang.example"]]
    assert survey_mail["Subject"].startswith(f"[{ticket.number}]")
    path = re.search(r"https?://[^/\s]+(/s/[^/\s]+/)", survey_mail.get_content()).group(1)

    # The customer answers it on the phone, no login needed.
    phone.context.clear_cookies()
    phone.goto(f"{live_server.url}{path}")
    ids = questions_by_text(questionnaire)
    phone.click(f"label[for=id_q{ids['总体满意度']}_4]")  # 5 of 1–5
    phone.click(f"label[for=id_q{ids['推荐意愿']}_10]")  # 10 of 0–10
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "loop-survey-phone-zh")
    phone.click("#survey-submit")
    phone.wait_for_selector("#survey-message[data-kind=thanks]")

    # The figure moved: one answer of one invitation, satisfied, a promoter.
    desk.goto(f"{live_server.url}/surveys/")
    assert desk.inner_text("#satisfaction-rate").strip() == "100.0%"
    assert desk.inner_text("#response-rate").strip() == "100.0%"
    assert desk.inner_text("#nps").strip() == "100.0"
    shot(desk, "loop-figures-desk-zh")
