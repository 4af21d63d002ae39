"""The ids a log line carries: bound per gRPC call from its request, and the trace id passed between services."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

import grpc
import structlog
from grpc import aio

# The request fields whose values identify what a call is about. Any request that has one of these
# names (they mean the same thing in every contract) has it on the lines logged while it is handled.
ID_FIELDS = ("company_id", "lead_id", "job_id", "message_id")

# The W3C Trace Context header: the same one OpenTelemetry propagates, so a trace id in the logs is
# the one a tracing backend would show.
TRACEPARENT = "traceparent"
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")


def bound(**ids: str):
    """A context manager: the lines logged inside it carry `ids` (None or empty values are left out)."""
    return structlog.contextvars.bound_contextvars(**{k: v for k, v in ids.items() if v})


def new_trace_id() -> str:
    return secrets.token_hex(16)


def trace_id_from(traceparent: str | None) -> str | None:
    """The trace id of a `traceparent` value, or None when it is absent or malformed."""
    match = _TRACEPARENT.match((traceparent or "").strip().lower())
    if not match or match.group(1) == "0" * 32:
        return None
    return match.group(1)


def traceparent_of(trace_id: str) -> str:
    """A `traceparent` value continuing `trace_id` with a new span id."""
    return f"00-{trace_id}-{secrets.token_hex(8)}-01"


def current_trace_id() -> str | None:
    return structlog.contextvars.get_contextvars().get("trace_id")


def ids_of(request: object) -> dict[str, str]:
    """The non-empty id fields of a protobuf request."""
    fields = getattr(getattr(request, "DESCRIPTOR", None), "fields_by_name", {})
    ids = {}
    for name in ID_FIELDS:
        if name in fields:
            value = getattr(request, name)
            if isinstance(value, str) and value:
                ids[name] = value
    return ids


def _trace_id_of(details: grpc.HandlerCallDetails) -> str:
    for key, value in details.invocation_metadata or ():
        if key == TRACEPARENT:
            found = trace_id_from(value if isinstance(value, str) else value.decode(errors="replace"))
            if found:
                return found
    return new_trace_id()


class LogContextInterceptor(grpc.ServerInterceptor):
    """Binds the caller's trace id and the request's ids for as long as a call is handled.

    With tracing on, `span_trace_id` gives the trace id of the span the tracing interceptor made
    current for the call, so the logs and the traces share their ids."""

    def __init__(self, span_trace_id: Callable[[], str | None] | None = None) -> None:
        self._span_trace_id = span_trace_id

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None or handler.request_streaming:
            return handler
        span_trace_id = self._span_trace_id
        given = None if span_trace_id else _trace_id_of(handler_call_details)

        def wrap(behaviour: Callable) -> Callable:
            def handle(request, context):
                trace_id = given or span_trace_id() or new_trace_id()
                with structlog.contextvars.bound_contextvars(trace_id=trace_id, **ids_of(request)):
                    return behaviour(request, context)

            return handle

        if handler.unary_unary:
            return handler._replace(unary_unary=wrap(handler.unary_unary))
        if handler.unary_stream:
            return handler._replace(unary_stream=wrap(handler.unary_stream))
        return handler


def _with_traceparent(metadata) -> list[tuple[str, str]] | None:
    trace_id = current_trace_id()
    if not trace_id:
        return None
    kept = [(k, v) for k, v in (metadata or ()) if k != TRACEPARENT]
    return [*kept, (TRACEPARENT, traceparent_of(trace_id))]


class _CallDetails(grpc.ClientCallDetails):
    def __init__(self, details, metadata):
        self.method = details.method
        self.timeout = details.timeout
        self.metadata = metadata
        self.credentials = details.credentials
        self.wait_for_ready = details.wait_for_ready
        self.compression = details.compression


class TraceClientInterceptor(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """Passes the current trace id on with every call of a synchronous channel."""

    def _details(self, details):
        metadata = _with_traceparent(details.metadata)
        return details if metadata is None else _CallDetails(details, metadata)

    def intercept_unary_unary(self, continuation, client_call_details, request):
        return continuation(self._details(client_call_details), request)

    def intercept_unary_stream(self, continuation, client_call_details, request):
        return continuation(self._details(client_call_details), request)


class AioTraceClientInterceptor(aio.UnaryUnaryClientInterceptor):
    """Passes the current trace id on with every call of an asyncio channel."""

    async def intercept_unary_unary(self, continuation, client_call_details, request):
        metadata = _with_traceparent(client_call_details.metadata)
        if metadata is not None:
            client_call_details = aio.ClientCallDetails(
                client_call_details.method,
                client_call_details.timeout,
                aio.Metadata(*metadata),
                client_call_details.credentials,
                client_call_details.wait_for_ready,
            )
        return await continuation(client_call_details, request)
