"""Outgoing e-mail over real SMTP (aiosmtpd): headers, refusals that back off and go dead, the retry action."""

from contextlib import ExitStack
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.core.outbox import MAX_ATTEMPTS, outbox_deliver_pending, outbox_notify
from fuwu.mail.actions import outbox_retry
from fuwu.mail.codes import MailAction, MailError
from fuwu.org.roles import Role
from tests.factories import make_staff, make_ticket
from tests.smtp import Mailbox, smtp_server

pytestmark = pytest.mark.django_db


class Refusing(Mailbox):
    """Refuses every message (a full mailbox, a rejecting relay) until `accept` is set."""

    accept = False

    async def handle_DATA(self, server, session, envelope):
        if not self.accept:
            return "554 5.7.1 Message refused"
        return await super().handle_DATA(server, session, envelope)


def _smtp(settings, port):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5}}}


def test_a_mail_about_a_request_carries_its_tag_message_id_and_auto_submitted(settings):
    manager = make_staff(Role.MANAGER, email="gm@fuwu.example")
    ticket = make_ticket(manager)
    (row,) = outbox_notify(recipients=[manager], subject=f"重大事项：{ticket}", obj=ticket, by_email=True)
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        _smtp(settings, port)
        assert outbox_deliver_pending() == 1
    ((to, message),) = mailbox.messages
    row.refresh_from_db()
    assert to == ["gm@fuwu.example"] and message["Subject"].startswith(f"[{ticket.number}] ")
    assert message["Message-ID"] == row.message_id == f"<outbox-{row.pk}@fuwu.example>"
    assert message["Auto-Submitted"] == "auto-generated" and message["X-Fuwu-Loop"] == "fuwu.example"


def test_a_refused_mail_backs_off_goes_dead_after_the_bound_and_an_administrator_sends_it_again(settings, caplog):
    admin = make_staff(Role.ADMIN)
    agent = make_staff(Role.AGENT, email="agent@fuwu.example")
    (row,) = outbox_notify(recipients=[agent], subject="回访提醒", by_email=True)
    mailbox = Refusing()
    with smtp_server(mailbox) as port, ExitStack() as later:
        _smtp(settings, port)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            assert outbox_deliver_pending() == 0
            assert outbox_deliver_pending() == 0  # not due yet: no attempt, no log line
            row.refresh_from_db()
            assert row.attempts == attempt and "554" in row.last_error
            if attempt < MAX_ATTEMPTS:
                assert row.next_attempt_at - timezone.now() <= timedelta(hours=1)
                later.enter_context(time_machine.travel(row.next_attempt_at + timedelta(seconds=1)))
        assert row.dead_at is not None and row.next_attempt_at is None
        later.enter_context(time_machine.travel(timezone.now() + timedelta(days=1)))
        assert outbox_deliver_pending() == 0 and OutboxMessage.objects.get(pk=row.pk).attempts == MAX_ATTEMPTS
        failures = [r for r in caplog.records if r.name == "fuwu.core.outbox"]
        assert len(failures) == MAX_ATTEMPTS and failures[-1].levelname == "ERROR"

        with pytest.raises(PermissionDenied):
            outbox_retry(actor=agent, message=row)
        mailbox.accept = True
        outbox_retry(actor=admin, message=row)
        row.refresh_from_db()
        assert (row.attempts, row.dead_at) == (0, None)
        assert outbox_deliver_pending() == 1
    row.refresh_from_db()
    assert row.delivered_at is not None and len(mailbox.messages) == 1
    assert AuditEvent.objects.filter(action=MailAction.OUTBOX_RETRIED, object_id=str(row.pk)).exists()
    with pytest.raises(InvalidInput) as refused:
        outbox_retry(actor=admin, message=row)
    assert refused.value.code == MailError.NOT_FAILED


def test_without_a_mail_server_mail_goes_to_files(settings, tmp_path):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                                    "OPTIONS": {"file_path": str(tmp_path / "mail")}}}
    agent = make_staff(Role.AGENT, email="agent@fuwu.example")
    outbox_notify(recipients=[agent], subject="回访提醒", by_email=True)
    assert outbox_deliver_pending() == 1
    (written,) = (tmp_path / "mail").iterdir()
    assert "agent@fuwu.example" in written.read_text()


def test_a_served_site_that_writes_mail_to_files_is_warned(settings):
    from fuwu.mail.checks import mail_goes_somewhere

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.filebased.EmailBackend", "OPTIONS": {}}}
    settings.SERVED_BEYOND_THIS_MACHINE = False
    assert mail_goes_somewhere() == []
    settings.SERVED_BEYOND_THIS_MACHINE = True
    assert [w.id for w in mail_goes_somewhere()] == ["fuwu_mail.W001"]


def test_an_agents_reply_is_mailed_to_the_contact_and_the_customers_answer_threads_back(settings):
    from fuwu.mail.actions import mail_receive
    from fuwu.mail.models import Outcome
    from fuwu.tickets.actions import ticket_add_entry
    from fuwu.tickets.models import Entry
    from tests.mail.conftest import eml

    opened = mail_receive(raw=eml("gbk_plain.eml"))
    agent = make_staff(Role.MANAGER)
    ticket_add_entry(actor=agent, ticket=opened.ticket, kind=Entry.Kind.NOTE, body="<p>内部：先查保修</p>")
    ticket_add_entry(actor=agent, ticket=opened.ticket, kind=Entry.Kind.REPLY,
                     body="<p>您好，工程师明天上午到场。</p><p>请保持电话畅通 &amp; 备好发票。</p>")
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        _smtp(settings, port)
        outbox_deliver_pending()
    assert len(mailbox.messages) == 2  # the acknowledgement and the reply; never the note
    (to, reply_mail) = mailbox.messages[-1]
    assert to == [opened.from_address]
    assert reply_mail["Subject"] == f"[{opened.ticket.number}] 回复：{opened.ticket.title}"
    assert reply_mail["In-Reply-To"] == opened.message_id and reply_mail["Auto-Submitted"] == "no"
    text = reply_mail.get_payload(decode=True).decode()
    assert "工程师明天上午到场。" in text and "请保持电话畅通 & 备好发票。" in text and "<p>" not in text
    assert "内部" not in text
    answer = (f"From: {opened.from_address}\r\nTo: service@fuwu.example\r\nSubject: Re: reply\r\n"
              f"Message-ID: <answer@customer.example>\r\nIn-Reply-To: {reply_mail['Message-ID']}\r\n\r\n好的\r\n")
    threaded = mail_receive(raw=answer.encode())
    assert threaded.outcome == Outcome.THREADED and threaded.ticket_id == opened.ticket_id


def test_no_reply_mail_without_a_contact_address_or_when_switched_off(settings):
    from fuwu.tickets.actions import ticket_add_entry
    from fuwu.tickets.models import Entry

    agent = make_staff(Role.MANAGER)
    ticket_add_entry(actor=agent, ticket=make_ticket(agent), kind=Entry.Kind.REPLY, body="<p>已处理</p>")
    settings.FUWU_MAIL_REPLIES = False
    with_address = make_ticket(agent, contact_email="li@customer.example")
    ticket_add_entry(actor=agent, ticket=with_address, kind=Entry.Kind.REPLY, body="<p>已处理</p>")
    assert not OutboxMessage.objects.exclude(email="").exists()
