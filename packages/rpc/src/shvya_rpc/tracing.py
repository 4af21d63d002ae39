"""OpenTelemetry traces of a service process: off unless the standard OTEL_* variables turn them on.

`start(service)` is called once by each entry point. While tracing is off this module imports
nothing of OpenTelemetry and installs nothing, and the servers, channels and broker get no tracing
interceptor or middleware at all, so an untraced mesh pays nothing for it per call.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

log = logging.getLogger(__name__)

# The calls no trace should hold: probes ask for health every few seconds, and reflection is a
# person's grpcurl, not the mesh at work.
UNTRACED_SERVICES = ("grpc.health.v1.Health",)
UNTRACED_SERVICE_PREFIXES = ("grpc.reflection.",)

# The exporters this process can build, by their OTEL_TRACES_EXPORTER names.
EXPORTERS = ("otlp", "console")

# Set by start(): the provider every tracer of this process reports to.
_provider: Any = None


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def wanted(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the variables ask for traces: an OTLP endpoint, or an exporter other than `none`,
    and not OTEL_SDK_DISABLED=true. Unlike OpenTelemetry's own default, nothing set means off."""
    env = os.environ if environ is None else environ
    if _true(env.get("OTEL_SDK_DISABLED")):
        return False
    exporters = env.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporters:
        return exporters != "none"
    return bool(
        env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").strip()
        or env.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip()
    )


def _exporter_names(environ: Mapping[str, str]) -> list[str]:
    names = [n.strip().lower() for n in environ.get("OTEL_TRACES_EXPORTER", "otlp").split(",") if n.strip()]
    unknown = [n for n in names if n not in EXPORTERS]
    if unknown:
        raise ValueError(f"OTEL_TRACES_EXPORTER must name {' or '.join(EXPORTERS)}, not {', '.join(unknown)}")
    protocol = (
        environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or environ.get("OTEL_EXPORTER_OTLP_PROTOCOL") or ""
    )
    if "otlp" in names and protocol.strip() not in ("", "http/protobuf"):
        # OTLP over gRPC would open a gRPC channel in the crm's parent process, before it forks.
        raise ValueError(f"the OTLP exporter speaks http/protobuf only, not {protocol.strip()!r}")
    return names


def _exporters(names: list[str]) -> list[Any]:
    exporters: list[Any] = []
    for name in names:
        if name == "otlp":
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            exporters.append(OTLPSpanExporter())
        else:
            from opentelemetry.sdk.trace.export import ConsoleSpanExporter

            exporters.append(ConsoleSpanExporter())
    return exporters


def start(service: str, environ: Mapping[str, str] | None = None) -> bool:
    """Installs the process's tracer provider when the variables ask for traces; returns whether
    tracing is on. `service` names the process unless OTEL_SERVICE_NAME (or service.name in
    OTEL_RESOURCE_ATTRIBUTES) does. Spans leave in batches, and the last batch at exit."""
    global _provider
    if _provider is not None:
        return True
    env = os.environ if environ is None else environ
    if not wanted(env):
        return False
    names = _exporter_names(env)

    from opentelemetry import trace
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    named = env.get("OTEL_SERVICE_NAME", "").strip() or "service.name=" in env.get(
        "OTEL_RESOURCE_ATTRIBUTES", ""
    )
    # Resource.create reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES; what is passed here
    # would override them, so the service's own name is passed only when they say none.
    provider = TracerProvider(resource=Resource.create({} if named else {SERVICE_NAME: service}))
    for exporter in _exporters(names):
        # The batch processor starts again in a forked child (the crm's serving processes).
        provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _provider = provider
    log.info(
        "tracing on: %s spans to %s",
        provider.resource.attributes.get(SERVICE_NAME),
        ", ".join(names),
    )
    return True


def enabled() -> bool:
    """Whether start() turned tracing on in this process."""
    return _provider is not None


def flush(timeout_millis: int = 5000) -> None:
    """Exports the spans still waiting in this process's batch: for a forked child, which leaves
    without running the atexit handler that would."""
    if _provider is not None:
        _provider.force_flush(timeout_millis)


def _filter():
    from opentelemetry.instrumentation.grpc.filters import any_of, negate, service_name, service_prefix

    return negate(
        any_of(
            *(service_name(name) for name in UNTRACED_SERVICES),
            *(service_prefix(prefix) for prefix in UNTRACED_SERVICE_PREFIXES),
        )
    )


def server_interceptor():
    """A span for each call a server handles, continuing the caller's trace."""
    from opentelemetry.instrumentation.grpc import server_interceptor as make

    return make(filter_=_filter())


def intercept_channel(channel):
    """`channel` with a client span for each call, whose context goes to the server in `traceparent`."""
    from opentelemetry.instrumentation.grpc import client_interceptor
    from opentelemetry.instrumentation.grpc.grpcext import intercept_channel as intercept

    return intercept(channel, client_interceptor(filter_=_filter()))


def aio_client_interceptors() -> list:
    """The same for an asyncio channel."""
    from opentelemetry.instrumentation.grpc import aio_client_interceptors as make

    return make(filter_=_filter())


def _current_span_context():
    if _provider is None:
        return None
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    return context if context.is_valid else None


def current_trace_id() -> str | None:
    """The trace id (hex) of the span current in this context, or None (always, with tracing off)."""
    context = _current_span_context()
    return None if context is None else f"{context.trace_id:032x}"


def current_traceparent() -> str | None:
    """The W3C `traceparent` of the span current in this context, or None."""
    context = _current_span_context()
    if context is None:
        return None
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


@contextmanager
def unsampled() -> Iterator[None]:
    """Runs the block in a trace that is not recorded here nor by the services it calls.

    For a background loop's calls (the relay's polling, a metrics scrape): each would otherwise
    start a trace of its own every second and bury the traces of real work. Its log lines still
    share one trace id. A job enqueued inside it starts its own trace at the worker."""
    if _provider is None:
        yield
        return
    from opentelemetry import context, trace

    parent = trace.NonRecordingSpan(
        trace.SpanContext(
            trace_id=secrets.randbits(128),
            span_id=secrets.randbits(64),
            is_remote=False,
            trace_flags=trace.TraceFlags(trace.TraceFlags.DEFAULT),
        )
    )
    token = context.attach(trace.set_span_in_context(parent))
    try:
        yield
    finally:
        context.detach(token)
