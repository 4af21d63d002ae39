"""Binds each HTTP request's trace id for its log lines and passes it on to the gRPC calls it makes."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shvya_rpc import tracing
from shvya_rpc.log_context import TRACEPARENT, bound, new_trace_id, trace_id_from, traceparent_of


class LogContextMiddleware:
    """A caller's `traceparent` is continued, or a new trace begins; the answer carries it back,
    so whoever sent the request can find its lines in every service's logs.

    With `span_ids` (tracing on), the request's OpenTelemetry span, begun outside this middleware,
    gives the trace id, and the answer's `traceparent` names that span."""

    def __init__(self, app: ASGIApp, span_ids: bool = False) -> None:
        self.app = app
        self.span_ids = span_ids

    def _ids(self, scope: Scope) -> tuple[str, str]:
        if self.span_ids:
            current = tracing.current_traceparent()
            if current:
                return current, current[3:35]
        given = next((v.decode("latin-1") for k, v in scope["headers"] if k == TRACEPARENT.encode()), None)
        trace_id = trace_id_from(given) or new_trace_id()
        return traceparent_of(trace_id), trace_id

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        traceparent, trace_id = self._ids(scope)

        async def send_with_trace(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((TRACEPARENT.encode(), traceparent.encode()))
                message = {**message, "headers": headers}
            await send(message)

        with bound(trace_id=trace_id):
            await self.app(scope, receive, send_with_trace)
