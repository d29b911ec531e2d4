"""The id of the request being served, so audit events can name it without passing it around."""

from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")


def client_ip(request) -> str | None:
    """The address a request came from, as the server saw it (behind a proxy: configure the proxy to set it)."""
    return request.META.get("REMOTE_ADDR") if request is not None else None
