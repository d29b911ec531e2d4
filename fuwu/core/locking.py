"""Optimistic locking for every edited row (docs/architecture.md, rule 3).

A row that people edit carries `version`, a counter bumped by each change. An action locks the row
(`select_for_update`) and compares the version the user saw: a stale one raises `Conflict` (HTTP
409) with the current version, never a silent overwrite. `None` means the caller saw no version
(a background job, the demo generator) and takes the row as it is.
"""

from django.db import models

from fuwu.core.errors import Conflict


def check_version(row: models.Model, expected_version: int | None, *, report: tuple[str, ...] = ()) -> None:
    """Raise `Conflict` when the row is not at the expected version; `report` names fields to send back."""
    if expected_version is not None and row.version != expected_version:
        raise Conflict(data={"current_version": row.version, **{name: getattr(row, name) for name in report}})


def lock_row[M: models.Model](
    queryset: models.QuerySet[M], pk: int, *, expected_version: int | None, report: tuple[str, ...] = ()
) -> M:
    """The row, locked until the transaction ends, checked against the version the user saw."""
    locked = queryset.select_for_update().get(pk=pk)
    check_version(locked, expected_version, report=report)
    return locked


def bump_version(row: models.Model, *fields: str) -> None:
    """Count one change of `row` in the database and on the instance, with the other fields named."""
    row.version += 1
    row.save(update_fields=[*fields, "version"])


__all__ = ["bump_version", "check_version", "lock_row"]
