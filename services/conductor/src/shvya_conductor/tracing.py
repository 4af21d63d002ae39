"""Carries the trace across the Dramatiq hand-off: a job runs in the trace of whatever dispatched it.

Dramatiq has no OpenTelemetry instrumentation of its own, so this middleware does what one would:
the dispatcher's span context goes into the message's options as a W3C `traceparent`, and the
worker runs the job inside a consumer span that continues it. A job dispatched outside any
recorded trace (the relay's passes) begins its own trace at the worker.
"""

from __future__ import annotations

import threading

import dramatiq
from dramatiq.middleware import Middleware
from opentelemetry import context, propagate, trace

TRACER = "shvya_conductor.dramatiq"


def _attributes(message: dramatiq.Message, operation: str) -> dict[str, str]:
    attributes = {
        "messaging.system": "dramatiq",
        "messaging.operation.type": operation,
        "messaging.destination.name": message.queue_name,
        "messaging.message.id": message.message_id,
    }
    if message.args:
        attributes["shvya.job_id"] = str(message.args[0])
    return attributes


class TraceContext(Middleware):
    """Put on the broker, before any middleware whose work belongs in the job's span."""

    def __init__(self, tracer_provider: trace.TracerProvider | None = None) -> None:
        self._tracer = trace.get_tracer(TRACER, tracer_provider=tracer_provider)
        # A worker thread runs one message at a time, from before_process_message to its after_*.
        self._running = threading.local()

    def before_enqueue(self, broker, message, delay) -> None:
        if not trace.get_current_span().is_recording():
            return
        # The span marks the hand-off in the dispatcher's trace; the message carries its context.
        with self._tracer.start_as_current_span(
            f"send {message.actor_name}",
            kind=trace.SpanKind.PRODUCER,
            attributes=_attributes(message, "send"),
        ):
            propagate.inject(message.options)

    def before_process_message(self, broker, message) -> None:
        parent = propagate.extract(message.options)
        span = self._tracer.start_span(
            f"process {message.actor_name}",
            context=parent,
            kind=trace.SpanKind.CONSUMER,
            attributes=_attributes(message, "process"),
        )
        token = context.attach(trace.set_span_in_context(span, parent))
        self._running.current = (span, token)

    def _end(self, exception: BaseException | None = None) -> None:
        running = getattr(self._running, "current", None)
        if running is None:
            return
        self._running.current = None
        span, token = running
        if exception is not None:
            span.record_exception(exception)
            span.set_status(trace.Status(trace.StatusCode.ERROR, type(exception).__name__))
        span.end()
        context.detach(token)

    def after_process_message(self, broker, message, *, result=None, exception=None) -> None:
        self._end(exception)

    def after_skip_message(self, broker, message) -> None:
        self._end()
