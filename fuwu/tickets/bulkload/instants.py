"""Instants as ints of microseconds since 2000-01-01 UTC (`fuwu.standards.businesstime.to_us`), and their
text forms in the audit record.

The simulation does its arithmetic on ints (far cheaper than aware datetimes). The epoch is
PostgreSQL's own: a `timestamptz` in binary COPY is exactly these microseconds, so the rows carry
instants as they are sent. The text forms are the ones Django and `fuwu.core.audit` produce, which
`seeder._check_hash` verifies at every start.
"""

import json
from datetime import datetime, timedelta

from fuwu.standards.businesstime import US, from_us, to_us

MINUTE, HOUR, DAY = 60 * US, 3600 * US, 86400 * US
EPOCH_NAIVE = datetime(2000, 1, 1)  # noqa: DTZ001 - naive UTC, for formatting only

canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def iso_utc(us: int) -> str:
    """`occurred_at.astimezone(UTC).isoformat(timespec="microseconds")`, as the audit hash has it."""
    return (EPOCH_NAIVE + timedelta(microseconds=us)).isoformat(timespec="microseconds") + "+00:00"


def json_instant(us: int | None) -> str | None:
    """`DjangoJSONEncoder().default(datetime in UTC)`: milliseconds, "Z" (checked in `seeder._check_hash`)."""
    if us is None:
        return None
    text = (EPOCH_NAIVE + timedelta(microseconds=us)).isoformat()
    return (text[:23] if us % US else text) + "Z"


def ceil_minute(us: int) -> int:
    """The breach watch runs every minute (huey crontab minute="*"): the first run at or after `us`."""
    return -(-us // MINUTE) * MINUTE


__all__ = ["DAY", "HOUR", "MINUTE", "US", "canonical", "ceil_minute", "from_us", "iso_utc", "json_instant", "to_us"]
