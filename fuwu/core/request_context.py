"""The id of the request being served, so audit events can name it without passing it around."""

from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")
