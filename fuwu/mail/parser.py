"""Reading one received e-mail (docs/architecture.md, "E-mail"): headers, text, attachments.

The stdlib `email` package with `policy.default` decodes RFC 2047 headers; bodies are decoded with
their declared charset, where GB2312 and GBK are read as GB18030 (their superset: Chinese mail often
declares GB2312 and uses characters beyond it), then UTF-8, then GB18030 when none is declared or
the declared one fails. Text/plain is preferred; HTML alone is kept for the action to sanitise. Pure:
no Django import, tested on bytes.
"""

import email
import email.header
import email.policy
import email.utils
import hashlib
import re
from dataclasses import dataclass, field
from email.message import EmailMessage

_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030"}
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
TAG = re.compile(r"\[(FW-\d{4}-\d{6})\]")
_NO = {"", "no"}


class Unreadable(ValueError):
    """The bytes are not an e-mail we can read (no sender, or not a message at all)."""


@dataclass
class Attachment:
    name: str
    content: bytes


@dataclass
class ParsedMail:
    message_id: str
    from_address: str
    from_name: str
    subject: str
    text: str = ""  # the plain text body, or empty
    html: str = ""  # the HTML body when there is no plain text (not yet sanitised)
    in_reply_to: list[str] = field(default_factory=list)  # In-Reply-To, then References, newest first
    attachments: list[Attachment] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # the ones we judge auto-replies and loops by
    has_return_path: bool = False
    return_path: str = ""

    @property
    def tag(self) -> str | None:
        """The request number in the subject's tag, [FW-2026-000123], if any."""
        found = TAG.search(self.subject)
        return found.group(1) if found else None


def decode_bytes(payload: bytes, charset: str | None) -> str:
    tried = []
    if charset:
        tried.append(_WIDER.get(charset.lower(), charset.lower()))
    tried += ["utf-8", "gb18030"]
    for name in dict.fromkeys(tried):
        try:
            return payload.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", errors="replace")


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a malformed header the policy cannot fold
        raw = message.get_all(name, failobj=[None])[0]
        value = raw
    if value is None:
        return ""
    text = str(value)
    if "=?" in text:  # an encoded word the policy left alone (e.g. a wrongly declared charset)
        text = str(email.header.make_header(email.header.decode_header(text)))
    return " ".join(text.split())


def _part_text(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True) or b""
    return decode_bytes(payload, part.get_content_charset()).replace("\r\n", "\n")


def _ids(value: str) -> list[str]:
    return _MESSAGE_ID.findall(value or "")


def parse(raw: bytes) -> ParsedMail:
    """Read `raw` (the message as delivered); raises `Unreadable` when it has no sender."""
    if not raw or not raw.strip():
        raise Unreadable("empty message")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not message.keys():
        raise Unreadable("no headers")
    name, address = email.utils.parseaddr(_header(message, "From"))
    if "@" not in address:
        raise Unreadable("no sender address")
    ids = _ids(_header(message, "Message-ID"))
    message_id = ids[0] if ids else f"<sha256-{hashlib.sha256(raw).hexdigest()}@no-message-id>"
    parsed = ParsedMail(message_id=message_id[:250], from_address=address.strip().lower()[:254],
                        from_name=name.strip()[:100], subject=_header(message, "Subject")[:500])
    parsed.in_reply_to = list(dict.fromkeys(
        _ids(_header(message, "In-Reply-To")) + list(reversed(_ids(_header(message, "References"))))))
    for header in ("Auto-Submitted", "X-Autoreply", "X-Autorespond", "Precedence",
                   "X-Fuwu-Loop", "List-Id"):
        value = _header(message, header)
        if value:
            parsed.headers[header.lower()] = value
    parsed.has_return_path = "Return-Path" in message
    parsed.return_path = _header(message, "Return-Path")
    texts, htmls = [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if disposition == "attachment" or (filename and disposition != "inline") or (
                filename and part.get_content_maintype() not in ("text",)):
            parsed.attachments.append(Attachment(name=_clean_name(filename or "attachment"),
                                                 content=part.get_payload(decode=True) or b""))
        elif part.get_content_type() == "text/plain":
            texts.append(_part_text(part))
        elif part.get_content_type() == "text/html":
            htmls.append(_part_text(part))
    parsed.text = "\n\n".join(t.strip() for t in texts if t.strip())
    if not parsed.text:
        parsed.html = "\n".join(htmls)
    return parsed


def _clean_name(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "attachment"
    return re.sub(r"[\x00-\x1f]", "", name)[:150]


def is_automatic(mail: ParsedMail) -> bool:
    """An auto-reply, a bulk or list mail, or a bounce: recorded, never answered (RFC 3834)."""
    h = mail.headers
    if h.get("auto-submitted", "no").split(";")[0].strip().lower() not in _NO:
        return True
    if "x-autoreply" in h or "x-autorespond" in h or "list-id" in h:
        return True
    if h.get("precedence", "").strip().lower() in {"bulk", "junk", "list", "auto_reply"}:
        return True
    if mail.has_return_path and mail.return_path.strip("<> ") == "":
        return True  # a bounce or other machine mail (null sender)
    local = mail.from_address.partition("@")[0]
    return local in {"mailer-daemon", "postmaster"} or local.startswith(("noreply", "no-reply", "donotreply"))


def is_loop(mail: ParsedMail, *, our_domain: str) -> bool:
    """Our own mail come back: it carries our loop header, or one of our outbox Message-IDs."""
    if "x-fuwu-loop" in mail.headers:
        return True
    message_id = mail.message_id.lower()
    return message_id.startswith("<outbox-") and message_id.endswith(f"@{our_domain.lower()}>")
