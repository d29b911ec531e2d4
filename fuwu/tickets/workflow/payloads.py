"""The audit payloads of the changes whose payload is not decided inside `Case` (R4.9).

Written once, for the actions and the bulk loader alike; instants are passed as the caller stores
them (a datetime, or its JSON text in the bulk loader).
"""

from typing import Any


def registered(*, number: str, type_code: str, channel: str, retroactive: bool, received_at: Any) -> dict[str, Any]:
    return {"number": number, "type": type_code, "channel": channel, "retroactive": retroactive,
            "received_at": received_at}


def handover_requested(*, handover_id: int, to_group: str, to_user: int | None, note: str) -> dict[str, Any]:
    return {"handover_id": handover_id, "to_group": to_group, "to_user": to_user, "note": note}


def handover_accepted(*, handover_id: int, decided: dict[str, Any]) -> dict[str, Any]:
    """`decided`: what `Case.accept_handover` returned (old and new owner)."""
    return {"handover_id": handover_id, **decided}


def handover_declined(*, handover_id: int, reason: str) -> dict[str, Any]:
    return {"handover_id": handover_id, "reason": reason}


def arrived(*, arrived_at: Any) -> dict[str, Any]:
    return {"arrived_at": arrived_at}


def entry_added(*, entry_id: int, supersedes: int | None, files: list[str]) -> dict[str, Any]:
    return {"entry_id": entry_id, "supersedes": supersedes, "files": files}


def repeat_contact(*, repeat_id: int, channel: str, note: str) -> dict[str, Any]:
    return {"repeat_id": repeat_id, "channel": channel, "note": note}


def marked_major(*, reason: str) -> dict[str, Any]:
    return {"reason": reason}
