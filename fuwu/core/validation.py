"""Shared input validation: field errors collected and raised together as one `InvalidInput`."""

from dataclasses import dataclass, field

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
