"""Traces are off unless the standard OTEL_* variables ask for them, and off they cost nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from shvya_rpc import tracing

ENDPOINT = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}


def test_with_no_variable_set_there_are_no_traces():
    assert not tracing.wanted({})
    assert not tracing.start("crm", environ={})
    assert not tracing.enabled()


@pytest.mark.parametrize(
    "environ",
    [
        ENDPOINT,
        {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"},
        {"OTEL_TRACES_EXPORTER": "console"},
    ],
)
def test_an_endpoint_or_an_exporter_turns_traces_on(environ):
    assert tracing.wanted(environ)


@pytest.mark.parametrize(
    "environ",
    [
        {**ENDPOINT, "OTEL_SDK_DISABLED": "true"},
        {**ENDPOINT, "OTEL_TRACES_EXPORTER": "none"},
        {"OTEL_EXPORTER_OTLP_ENDPOINT": "  "},
    ],
)
def test_the_sdk_disabled_or_exporter_none_keeps_traces_off_whatever_else_is_set(environ):
    assert not tracing.wanted(environ)


@pytest.mark.parametrize(
    "environ",
    [
        {"OTEL_TRACES_EXPORTER": "zipkin"},
        {**ENDPOINT, "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
    ],
)
def test_an_exporter_or_protocol_this_process_cannot_speak_is_refused_at_start(environ):
    with pytest.raises(ValueError, match=r"OTEL_TRACES_EXPORTER|http/protobuf"):
        tracing.start("crm", environ=environ)
    assert not tracing.enabled()


# Run in a fresh interpreter: what a service process imports is the point.
UNTRACED_CALL = """
import sys
import grpc
from shvya_rpc.client import connect
from shvya_rpc.server import Registration, run_server

class Echo:
    pass

def add(servicer, server):
    handler = grpc.unary_unary_rpc_method_handler(
        lambda request, context: request, request_deserializer=bytes, response_serializer=bytes
    )
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("test.Echo", {"Call": handler}),))

class Descriptor:
    full_name = "test.Echo"

with run_server([Registration(Echo(), add, Descriptor())], port=0, host="127.0.0.1") as server:
    channel = connect(f"127.0.0.1:{server.port}")
    call = channel.unary_unary("/test.Echo/Call", request_serializer=bytes, response_deserializer=bytes)
    assert call(b"ping", timeout=5) == b"ping"
    channel.close()
print(sorted(name for name in sys.modules if name.startswith("opentelemetry")))
"""


def test_untraced_a_served_call_imports_nothing_of_opentelemetry():
    env = {"PATH": "/usr/bin:/bin"}  # no OTEL_* variable
    out = subprocess.run(
        [sys.executable, "-c", UNTRACED_CALL], capture_output=True, text=True, env=env, timeout=60, check=True
    )

    assert out.stdout.strip() == "[]"
