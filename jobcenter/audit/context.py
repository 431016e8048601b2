"""The request an audit event happens in, for services and tasks that never see the request itself."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    source_address: str | None


current_request: ContextVar[RequestContext | None] = ContextVar("current_audit_request", default=None)
