"""Instants as ints of microseconds since 2000-01-01 UTC, and their text forms in the audit record.

The simulation does its arithmetic on ints (far cheaper than aware datetimes). The epoch is
PostgreSQL's own: a `timestamptz` in binary COPY is exactly these microseconds, so the rows carry
instants as they are sent. The text forms are the ones Django and `fuwu.core.audit` produce, which
`seeder._check_hash` verifies at every start.
"""

import json
from datetime import UTC, datetime, timedelta

US = 1_000_000  # microseconds per second
MINUTE, HOUR, DAY = 60 * US, 3600 * US, 86400 * US
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
EPOCH_NAIVE = datetime(2000, 1, 1)  # noqa: DTZ001 - naive UTC, for formatting only

canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def to_us(at: datetime) -> int:
    return (at - EPOCH) // timedelta(microseconds=1)


def from_us(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


def iso_utc(us: int) -> str:
    """`occurred_at.astimezone(UTC).isoformat(timespec="microseconds")`, as the audit hash has it."""
    return (EPOCH_NAIVE + timedelta(microseconds=us)).isoformat(timespec="microseconds") + "+00:00"


def json_instant(us: int) -> str:
    """`DjangoJSONEncoder().default(datetime in UTC)`: milliseconds, "Z" (checked in `seeder._check_hash`)."""
    text = (EPOCH_NAIVE + timedelta(microseconds=us)).isoformat()
    return (text[:23] if us % US else text) + "Z"


def ceil_minute(us: int) -> int:
    """The breach watch runs every minute (huey crontab minute="*"): the first run at or after `us`."""
    return -(-us // MINUTE) * MINUTE
