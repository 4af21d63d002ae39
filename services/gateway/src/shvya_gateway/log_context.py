"""Binds each HTTP request's trace id for its log lines and passes it on to the gRPC calls it makes."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shvya_rpc.log_context import TRACEPARENT, bound, new_trace_id, trace_id_from, traceparent_of


class LogContextMiddleware:
    """A caller's `traceparent` is continued, or a new trace begins; the answer carries it back,
    so whoever sent the request can find its lines in every service's logs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v.decode("latin-1") for k, v in scope["headers"] if k == TRACEPARENT.encode()), None)
        trace_id = trace_id_from(given) or new_trace_id()

        async def send_with_trace(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((TRACEPARENT.encode(), traceparent_of(trace_id).encode()))
                message = {**message, "headers": headers}
            await send(message)

        with bound(trace_id=trace_id):
            await self.app(scope, receive, send_with_trace)
