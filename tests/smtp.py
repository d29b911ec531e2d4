"""A real SMTP server on loopback (aiosmtpd) for tests: it keeps what it receives, and can hold one message."""

import asyncio
import email
import email.policy
import socket
import threading
from contextlib import contextmanager

from aiosmtpd.controller import Controller


class Mailbox:
    """What the server received; `hold_at=n` keeps the n-th DATA unanswered (the sender hangs) until released."""

    def __init__(self, hold_at: int | None = None):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.lock = threading.Lock()
        self.hold_at = hold_at
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
            hold = self.hold_at is not None and len(self.messages) == self.hold_at
        if hold:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return "250 OK"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [message["Message-ID"] for _tos, message in self.messages]


@contextmanager
def smtp_server(mailbox: Mailbox):
    """Run `mailbox` on a free loopback port; yields the port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        mailbox.release.set()
        controller.stop()
