"""Typed contracts (docs/architecture.md, rule 9): audit action and error codes are enums with labels."""

import re
from pathlib import Path

from django.conf import settings

from fuwu.core.codes import AuditAction, ErrorCode, action_label, audit_actions

SOURCE = Path(settings.BASE_DIR, "fuwu")


def _sources():
    return [(path, path.read_text()) for path in SOURCE.rglob("*.py") if "migrations" not in path.parts]


def test_no_audit_action_code_is_written_as_a_string():
    """Every audit event names its action by an enum member, so a reader finds every writer of a code."""
    literals = [f"{path.relative_to(SOURCE)}: {m}" for path, text in _sources()
                for m in re.findall(r'action=f?"[a-z_{}]+\.[a-z_.{}]+"', text)]
    assert literals == []


RAISED_CODE = re.compile(r'raise \w+\((?:[^()]|\([^()]*\))*?\bcode=(f?"[^"]*")', re.DOTALL)
CLASS_CODE = re.compile(r'^    code = (f?"[^"]*")$', re.MULTILINE)


def test_no_error_code_is_written_as_a_string():
    """Errors carry an `ErrorCode` member: the API's codes are listed in one place per app."""
    literals = [f"{path.relative_to(SOURCE)}: {m}" for path, text in _sources()
                for m in RAISED_CODE.findall(text) + CLASS_CODE.findall(text) if _written_out(m)]
    assert literals == []


def _written_out(code: str) -> bool:
    """A code spelled in letters; an f-string only composing enum values (`f"{CoreError.FORBIDDEN}.{perm}"`) is not."""
    return bool(re.search(r"[a-z]", re.sub(r"\{[^}]*\}", "", code.removeprefix("f"))))


def test_every_code_is_unique_and_labelled_in_chinese():
    actions = audit_actions()
    assert len({a.value for a in actions}) == len(actions) >= 50
    assert all(re.fullmatch(r"[a-z_]+\.[a-z_]+", a.value) for a in actions)
    assert action_label("ticket.registered") == "登记服务请求"
    assert action_label("no.such_code") == "no.such_code"  # an older release's code shows as it is


def test_error_codes_are_unique_across_apps():
    def members(base):
        for cls in base.__subclasses__():
            yield from cls
            yield from members(cls)

    values = [m.value for m in members(ErrorCode)]
    assert len(values) == len(set(values)) and "stale_version" in values
    assert issubclass(type(audit_actions()[0]), AuditAction)
