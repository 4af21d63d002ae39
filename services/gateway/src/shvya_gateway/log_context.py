"""The trace id of each HTTP request, for its log lines and the gRPC calls it makes (see edge.py)."""

from __future__ import annotations

from starlette.types import Scope

from shvya_rpc import tracing
from shvya_rpc.log_context import TRACEPARENT, new_trace_id, trace_id_from, traceparent_of

_TRACEPARENT = TRACEPARENT.encode()


def trace_ids(scope: Scope, span_ids: bool) -> tuple[str, str]:
    """The `traceparent` to answer with and the trace id to log: a caller's `traceparent` is
    continued, or a new trace begins, so whoever sent the request can find its lines in every
    service's logs. With `span_ids` (tracing on), the request's OpenTelemetry span, begun before
    this is asked, gives the trace id, and the answer's `traceparent` names that span."""
    if span_ids:
        current = tracing.current_traceparent()
        if current:
            return current, current[3:35]
    given = next((v.decode("latin-1") for k, v in scope["headers"] if k == _TRACEPARENT), None)
    trace_id = trace_id_from(given) or new_trace_id()
    return traceparent_of(trace_id), trace_id
