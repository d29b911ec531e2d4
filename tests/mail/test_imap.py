"""The IMAP poller against a fake IMAP client: unseen messages received, each marked seen after it is stored."""

import pytest

from fuwu.mail import imap
from fuwu.mail.models import InboundMail
from tests.mail.conftest import eml

pytestmark = pytest.mark.django_db


class FakeImap:
    def __init__(self, messages: dict[bytes, bytes]):
        self.messages, self.seen, self.stored_when_seen = messages, [], []

    def uid(self, command, *args):
        if command == "SEARCH":
            return "OK", [b" ".join(uid for uid in self.messages if uid not in self.seen)]
        if command == "FETCH":
            return "OK", [(b"1 (UID " + args[0] + b" BODY[] {n}", self.messages[args[0]]), b")"]
        if command == "STORE":
            self.seen.append(args[0])
            self.stored_when_seen.append(InboundMail.objects.count())
            return "OK", []
        raise AssertionError(command)

    def logout(self):
        pass


def test_unseen_messages_are_received_and_marked_seen_after_they_are_stored(monkeypatch):
    fake = FakeImap({b"7": eml("gbk_plain.eml"), b"8": b"garbage", b"9": eml("auto_reply.eml")})
    monkeypatch.setattr(imap, "connect", lambda url: (fake, "INBOX"))
    result = imap.poll("imaps://u:p@imap.example/INBOX")
    assert (result.received, result.unreadable) == (2, 1)
    assert fake.seen == [b"7", b"8", b"9"] and fake.stored_when_seen == [1, 1, 2]
    assert imap.poll("imaps://u:p@imap.example/INBOX").received == 0
