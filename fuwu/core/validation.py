"""Shared input validation: field errors collected and raised together as one `InvalidInput`."""

import dataclasses
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fuwu.core.errors import InvalidInput


@dataclass
class Errors:
    """Collects field errors so the user sees all of them at once, not one per try."""

    prefix: str = ""
    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(f"{self.prefix}{name}", []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise InvalidInput(errors=self.fields)


def check_text_fields(data, model: type[models.Model], errors: Errors) -> None:
    """Every text field of the dataclass `data` fits the model's column of the same name and can be stored.

    Checked before the database sees it: SQLite would store a 1,000-character name in a 64-character
    column, PostgreSQL would fail with a server error, and a lone surrogate (`"\\ud800"`) cannot be
    encoded by either.
    """
    for name in (f.name for f in dataclasses.fields(data)):
        value = getattr(data, name)
        if not isinstance(value, str) or not value:
            continue
        try:
            max_length = model._meta.get_field(name).max_length
        except FieldDoesNotExist:
            continue
        if not storable(value):
            errors.add(name, _("Remove the characters that cannot be stored (broken or invisible code points)."))
        elif max_length and len(value) > max_length:
            errors.add(name, ngettext("At most %(n)d character.", "At most %(n)d characters.", max_length)
                       % {"n": max_length})


def storable(value: str) -> bool:
    """False for text with lone surrogates or NUL, which neither database can store."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


MAX_ID = 2**63 - 1  # the largest id either database stores


def parse_id(value: str | None) -> int | None:
    """An id from a query string, or None for anything else: "", "abc", "²" (a digit to str.isdigit), 2**64."""
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


FIRST_DAY, LAST_DAY = datetime.date(1970, 1, 1), datetime.date(2200, 12, 31)  # the days a filter may name


def parse_day(value: str | None) -> datetime.date | None:
    """A day from a query string (YYYY-MM-DD) within FIRST_DAY..LAST_DAY, or None for anything else."""
    try:
        day = datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None
