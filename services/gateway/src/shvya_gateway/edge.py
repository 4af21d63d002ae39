"""The gateway's own work around every HTTP request, in one ASGI layer: the trace id, the metrics,
and error answers as problem details.

One layer, not one per concern: each layer of a middleware stack wraps `send` again and costs a
coroutine call per message; at the intake's rate those layers were a measurable share of the
gateway's CPU. The order of the concerns is the one three separate layers had: the trace id is
bound around everything and answered on every response, the metrics see the status the routes
answered, and problem details rewrite that answer's body.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shvya_gateway.log_context import trace_ids
from shvya_gateway.metrics import Metrics, route_template
from shvya_gateway.problem_details import MEDIA_TYPE, as_problem
from shvya_rpc.log_context import TRACEPARENT, bound

_TRACEPARENT = TRACEPARENT.encode()
_PROBLEM = MEDIA_TYPE.encode()


class RequestEdge:
    """A caller's `traceparent` is continued, or a new trace begins, and the answer carries it back
    (with `span_ids`, tracing on, the request's span, begun outside this layer, gives it). Every
    request is counted by method, route template and status, with its latency. JSON error answers
    (FastAPI's, the routers' own, the gRPC error mapping's) become RFC 9457 problem details, so no
    route can answer an error in another shape."""

    def __init__(self, app: ASGIApp, metrics: Metrics, span_ids: bool = False) -> None:
        self.app = app
        self.metrics = metrics
        self.span_ids = span_ids

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        traceparent, trace_id = trace_ids(scope, self.span_ids)
        trace_header = (_TRACEPARENT, traceparent.encode())
        started = time.perf_counter()
        status = 500
        held: Message | None = None  # an error's start, until its body is rewritten
        chunks: list[bytes] = []

        async def send_at_edge(message: Message) -> None:
            nonlocal status, held
            kind = message["type"]
            if kind == "http.response.start":
                status = message["status"]
                headers = message.get("headers", [])
                if status >= 400 and _is_json(headers):
                    held = message
                    return
                await send({**message, "headers": [*headers, trace_header]})
                return
            if held is None or kind != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            problem = as_problem(held["status"], body)
            headers = [
                (k, v) for k, v in held.get("headers", []) if k not in (b"content-type", b"content-length")
            ]
            if problem is None:
                problem = body
                headers.append((b"content-type", b"application/json"))
            else:
                headers.append((b"content-type", _PROBLEM))
            headers.append((b"content-length", str(len(problem)).encode()))
            headers.append(trace_header)
            await send({**held, "headers": headers})
            await send({"type": "http.response.body", "body": problem})

        with bound(trace_id=trace_id):
            try:
                await self.app(scope, receive, send_at_edge)
            finally:
                route = route_template(scope)
                method = scope["method"]
                self.metrics.requests.labels(method, route, str(status)).inc()
                self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)


def _is_json(headers) -> bool:
    for key, value in headers:
        if key == b"content-type":
            return value.startswith(b"application/json")
    return False
