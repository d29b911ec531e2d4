"""Receiving e-mail (R3.1, R2.3): real .eml fixtures through `mail_receive` and `manage.py receive_mail`."""

import io
import sys

import pytest
from django.core import mail as django_mail
from django.core.management import CommandError, call_command

from fuwu.core.errors import InvalidInput
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.core.outbox import outbox_deliver_pending
from fuwu.mail import parser
from fuwu.mail.actions import ACKS_PER_SENDER_PER_HOUR, mail_receive
from fuwu.mail.codes import MailAction, MailError
from fuwu.mail.models import InboundMail, Outcome
from fuwu.standards.models import Channel
from fuwu.tickets.models import Entry, RepeatContact, Ticket
from tests.factories import make_customer, make_staff, make_ticket
from tests.mail.conftest import eml

pytestmark = pytest.mark.django_db


def test_the_parser_reads_gbk_declared_as_gb2312_and_encoded_headers():
    parsed = parser.parse(eml("gbk_plain.eml"))
    assert (parsed.from_name, parsed.from_address) == ("张伟", "zhangwei@customer.example")
    assert parsed.subject == "电梯异响报修"
    assert "朱镕基路" in parsed.text  # 镕 is GBK, not GB2312: read as GB18030
    assert parsed.message_id == "<20261202094102.7F3A@customer.example>" and not parser.is_automatic(parsed)


def test_a_new_mail_opens_a_request_on_the_email_channel_for_the_senders_customer():
    staff = make_staff("agent")
    customer = make_customer(staff, name="阳光物业", contact_name="张伟", email="zhangwei@customer.example")
    inbound = mail_receive(raw=eml("gbk_plain.eml"))
    ticket = inbound.ticket
    assert inbound.outcome == Outcome.OPENED and not inbound.duplicate
    assert (ticket.channel, ticket.customer_id, ticket.contact_email) == (Channel.EMAIL, customer.pk,
                                                                          "zhangwei@customer.example")
    assert ticket.title == "电梯异响报修" and "请尽快派人查看" in ticket.description
    assert ticket.first_responsible.username == "fuwu-mail"
    assert AuditEvent.objects.filter(action=MailAction.RECEIVED, object_id=str(inbound.pk)).exists()
    (ack,) = OutboxMessage.objects.filter(email="zhangwei@customer.example")
    assert ack.headers["Auto-Submitted"] == "auto-replied" and ack.headers["In-Reply-To"] == inbound.message_id
    assert ticket.number in ack.body

    outbox_deliver_pending()
    (sent,) = django_mail.outbox
    assert sent.subject.startswith(f"[{ticket.number}] ") and sent.extra_headers["Auto-Submitted"] == "auto-replied"
    ack.refresh_from_db()
    assert ack.message_id == sent.extra_headers["Message-ID"]


def test_the_same_mail_delivered_twice_is_processed_once():
    first = mail_receive(raw=eml("gbk_plain.eml"))
    again = mail_receive(raw=eml("duplicate_delivery.eml"))
    assert again.pk == first.pk and again.duplicate
    assert Ticket.objects.count() == 1 and InboundMail.objects.count() == 1
    assert OutboxMessage.objects.exclude(email="").count() == 1


def test_an_unknown_sender_gets_a_request_without_customer_html_sanitised_and_attachments_typed():
    inbound = mail_receive(raw=eml("multipart_html_attachment.eml"))
    ticket = inbound.ticket
    assert ticket.customer_id is None and ticket.contact_name == "李娜" and ticket.title == "水管漏水"
    assert "水管漏水" in ticket.description and "alert" not in ticket.description and "<" not in ticket.description
    (entry,) = Entry.objects.filter(ticket=ticket)
    assert [(a.name, a.content_type) for a in entry.attachments.all()] == [("漏水.png", "image/png")]
    assert "setup.exe" in entry.body  # refused by its content, and named


def test_a_reply_is_threaded_by_in_reply_to_with_its_text():
    opened = mail_receive(raw=eml("gbk_plain.eml"))
    reply = mail_receive(raw=eml("reply_in_reply_to.eml"))
    assert reply.outcome == Outcome.THREADED and reply.ticket_id == opened.ticket_id
    (entry,) = Entry.objects.filter(ticket=opened.ticket)
    assert entry.kind == Entry.Kind.CUSTOMER and "早上八点左右最明显" in entry.body
    assert Ticket.objects.count() == 1
    assert OutboxMessage.objects.exclude(email="").count() == 1  # no second acknowledgement


def test_a_reply_to_our_acknowledgement_is_threaded_by_our_message_id():
    opened = mail_receive(raw=eml("gbk_plain.eml"))
    outbox_deliver_pending()
    our_id = django_mail.outbox[0].extra_headers["Message-ID"]
    raw = (f"From: zhangwei@customer.example\r\nTo: service@fuwu.example\r\nSubject: Re: thanks\r\n"
           f"Message-ID: <r2@customer.example>\r\nIn-Reply-To: {our_id}\r\n\r\nthanks\r\n").encode()
    assert mail_receive(raw=raw).ticket_id == opened.ticket_id


def test_a_reply_with_only_the_subject_tag_is_threaded():
    opened = mail_receive(raw=eml("gbk_plain.eml"))
    assert opened.ticket.number == "FW-2026-000001"
    reply = mail_receive(raw=eml("reply_subject_tag.eml"))
    assert reply.outcome == Outcome.THREADED and reply.ticket_id == opened.ticket_id


def test_a_reply_to_a_request_of_another_group_is_the_customers_message_and_tells_its_owner():
    agent = make_staff("agent")
    ticket = make_ticket(agent, contact_email="wang.fang@example.net")
    raw = eml("reply_subject_tag.eml").replace(b"FW-2026-000001", ticket.number.encode())
    raw = raw.replace(b"Subject: =?UTF-8?B?", b"X-Old: =?UTF-8?B?").replace(
        b"Message-ID:", f"Subject: Re: [{ticket.number}] when?\r\nMessage-ID:".encode(), 1)
    inbound = mail_receive(raw=raw)
    assert inbound.ticket_id == ticket.pk
    # The mail login is not in the request's group, yet it carries the customer's own words (R3.1).
    (entry,) = Entry.objects.filter(ticket=ticket)
    assert entry.kind == Entry.Kind.CUSTOMER and "师傅下午几点到" in entry.body
    assert not RepeatContact.objects.filter(ticket=ticket).exists()
    assert OutboxMessage.objects.filter(recipient=agent, object_id=str(ticket.pk)).exists()


def test_a_reply_to_a_closed_request_is_kept_as_mail_only():
    agent = make_staff("agent")
    ticket = make_ticket(agent, contact_email="wang.fang@example.net")
    Ticket.objects.filter(pk=ticket.pk).update(status="closed")
    raw = eml("reply_subject_tag.eml").replace(b"FW-2026-000001", ticket.number.encode())
    raw = raw.replace(b"Subject: =?UTF-8?B?", b"X-Old: =?UTF-8?B?").replace(
        b"Message-ID:", f"Subject: Re: [{ticket.number}] when?\r\nMessage-ID:".encode(), 1)
    inbound = mail_receive(raw=raw)
    assert inbound.ticket_id == ticket.pk and inbound.outcome == Outcome.THREADED
    assert not Entry.objects.filter(ticket=ticket).exists()


def test_an_auto_reply_is_recorded_and_not_answered():
    mail_receive(raw=eml("gbk_plain.eml"))
    before = OutboxMessage.objects.count()
    inbound = mail_receive(raw=eml("auto_reply.eml"))
    assert inbound.outcome == Outcome.AUTO_REPLY
    assert Ticket.objects.count() == 1 and not Entry.objects.exists() and OutboxMessage.objects.count() == before


def test_our_own_mail_come_back_is_a_loop():
    raw = (b"From: service@fuwu.example\r\nTo: service@fuwu.example\r\nSubject: x\r\n"
           b"Message-ID: <outbox-9@fuwu.example>\r\n\r\nx\r\n")
    assert mail_receive(raw=raw).outcome == Outcome.LOOP
    assert not Ticket.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.parametrize("header", [b"Precedence: bulk", b"X-Autorespond: yes", b"Auto-Submitted: auto-generated",
                                    b"Return-Path: <>", b"X-Fuwu-Loop: fuwu.example"])
def test_automatic_mail_is_recognised(header):
    raw = b"From: a@b.example\r\nSubject: hi\r\nMessage-ID: <m@b.example>\r\n" + header + b"\r\n\r\nbody\r\n"
    assert mail_receive(raw=raw).outcome in {Outcome.AUTO_REPLY, Outcome.LOOP}
    assert not Ticket.objects.exists()


def test_unreadable_input_is_refused_with_a_code():
    with pytest.raises(InvalidInput) as refused:
        mail_receive(raw=b"this is not a mail\r\n")
    assert refused.value.code == MailError.UNREADABLE


def test_receive_mail_reads_one_message_from_stdin(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(eml("gbk_plain.eml"))))
    call_command("receive_mail", stdout=out)
    assert "opened FW-2026-000001" in out.getvalue()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(eml("duplicate_delivery.eml"))))
    call_command("receive_mail", stdout=out)
    assert "duplicate FW-2026-000001" in out.getvalue()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"garbage")))
    with pytest.raises(CommandError, match="邮件"):
        call_command("receive_mail")


def test_a_sender_opening_many_requests_in_an_hour_gets_a_bounded_number_of_acknowledgements():
    for n in range(ACKS_PER_SENDER_PER_HOUR + 3):
        raw = (f"From: robot@example.com\r\nSubject: alert {n}\r\nMessage-ID: <alert-{n}@example.com>\r\n"
               f"\r\nsomething happened\r\n").encode()
        assert mail_receive(raw=raw).outcome == Outcome.OPENED
    assert OutboxMessage.objects.filter(email="robot@example.com").count() == ACKS_PER_SENDER_PER_HOUR
