"""Traces of the gateway's HTTP requests: a server span per request, the parent of its gRPC calls."""

from __future__ import annotations

import os

from fastapi import FastAPI

from shvya_rpc import tracing

# Probes and scrapes, every few seconds: no trace should hold them.
UNTRACED_PATHS = "/healthz,/readyz,/metrics"


def instrument(app: FastAPI) -> bool:
    """Starts tracing for the gateway process when the OTEL_* variables ask for it, and puts the
    request span outermost, so every middleware and the log context run inside it."""
    if not tracing.start("gateway"):
        return False
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    chosen = os.environ.get("OTEL_PYTHON_FASTAPI_EXCLUDED_URLS") or os.environ.get(
        "OTEL_PYTHON_EXCLUDED_URLS"
    )
    FastAPIInstrumentor.instrument_app(
        app,
        excluded_urls=None if chosen else UNTRACED_PATHS,
        # A span for each ASGI message sent or received says nothing the request's span does not.
        exclude_spans=["receive", "send"],
    )
    return True
