"""Traces of the console's page requests: a server span per request, the parent of its gRPC calls."""

from __future__ import annotations

import os

from fastapi import FastAPI

from shvya_rpc import tracing

# Probes, assets and the long-lived live stream: no trace should hold them.
UNTRACED_PATHS = "/healthz,/readyz,/static,/live"


def instrument(app: FastAPI) -> bool:
    """Starts tracing for the console process when the OTEL_* variables ask for it."""
    if not tracing.start("console"):
        return False
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    chosen = os.environ.get("OTEL_PYTHON_FASTAPI_EXCLUDED_URLS") or os.environ.get(
        "OTEL_PYTHON_EXCLUDED_URLS"
    )
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls=None if chosen else UNTRACED_PATHS, exclude_spans=["receive", "send"]
    )
    return True
