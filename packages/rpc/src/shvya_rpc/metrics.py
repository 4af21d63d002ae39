"""Prometheus metrics of a service process: gRPC server and client calls, and the /metrics endpoint."""

from __future__ import annotations

import functools
import logging
import os

import grpc
from prometheus_client import start_http_server
from py_grpc_prometheus.prometheus_client_interceptor import PromClientInterceptor
from py_grpc_prometheus.prometheus_server_interceptor import PromServerInterceptor

log = logging.getLogger(__name__)

# Where a process serves /metrics. Unset, it records nothing: no interceptor costs a call anything.
PORT_VARIABLE = "SHVYA_METRICS_PORT"


def metrics_port() -> int | None:
    value = os.environ.get(PORT_VARIABLE, "").strip()
    if not value:
        return None
    port = int(value)
    if not 0 < port < 65536:
        raise ValueError(f"{PORT_VARIABLE} must be a TCP port, not {value!r}")
    return port


def enabled() -> bool:
    return metrics_port() is not None


# One of each per process: the library registers its metrics in Prometheus' process-wide registry
# when an interceptor is made, and a second would register them twice.
@functools.cache
def server_interceptor() -> grpc.ServerInterceptor:
    """Counts calls by service, method and code (grpc_server_started_total, grpc_server_handled_total)
    and their latency (grpc_server_handling_seconds)."""
    return PromServerInterceptor(
        enable_handling_time_histogram=True, skip_exceptions=True, log_exceptions=False
    )


@functools.cache
def client_interceptor() -> PromClientInterceptor:
    """The same for the calls this process makes (grpc_client_*)."""
    return PromClientInterceptor(enable_client_handling_time_histogram=True)


def serve_metrics(offset: int = 0) -> int | None:
    """Serves /metrics on SHVYA_METRICS_PORT + `offset` (the index of a process among several that
    share a gRPC port) in a background thread; returns the port, or None when metrics are off."""
    port = metrics_port()
    if port is None:
        return None
    start_http_server(port + offset)
    log.info("metrics at http://0.0.0.0:%d/metrics", port + offset)
    return port + offset
