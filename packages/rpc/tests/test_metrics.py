"""With SHVYA_METRICS_PORT set, gRPC calls are counted on both sides and served at /metrics; unset, nothing is."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client import REGISTRY

from shvya.ai.v1 import ai_service_pb2 as ai_pb
from shvya.ai.v1 import ai_service_pb2_grpc as ai_pb_grpc
from shvya_rpc import metrics
from shvya_rpc.client import connect
from shvya_rpc.server import Registration, run_server
from shvya_testkit.ports import free_port

LABELS = {"grpc_type": "UNARY", "grpc_service": "shvya.ai.v1.AiService", "grpc_method": "ComposeReply"}


def pong_registration() -> Registration:
    import grpc

    def add(_servicer, server: grpc.Server) -> None:
        handler = grpc.unary_unary_rpc_method_handler(
            lambda request, context: ai_pb.ComposeReplyResponse(text="pong"),
            request_deserializer=ai_pb.ComposeReplyRequest.FromString,
            response_serializer=ai_pb.ComposeReplyResponse.SerializeToString,
        )
        server.add_generic_rpc_handlers(
            (grpc.method_handlers_generic_handler("shvya.ai.v1.AiService", {"ComposeReply": handler}),)
        )

    return Registration(None, add, ai_pb.DESCRIPTOR.services_by_name["AiService"])


def handled(side: str) -> float:
    return REGISTRY.get_sample_value(f"grpc_{side}_handled_total", {**LABELS, "grpc_code": "OK"}) or 0.0


def call_once() -> None:
    with run_server([pong_registration()], port=0) as server, connect(f"127.0.0.1:{server.port}") as channel:
        ai_pb_grpc.AiServiceStub(channel).ComposeReply(ai_pb.ComposeReplyRequest(), timeout=5)


def test_calls_are_counted_by_method_and_code_on_the_server_and_the_client(monkeypatch):
    monkeypatch.setenv(metrics.PORT_VARIABLE, str(free_port()))
    server_before, client_before = handled("server"), handled("client")

    call_once()

    assert handled("server") == server_before + 1
    assert handled("client") == client_before + 1
    assert REGISTRY.get_sample_value("grpc_server_handling_seconds_count", LABELS) >= 1


def test_without_a_metrics_port_calls_are_not_counted(monkeypatch):
    monkeypatch.delenv(metrics.PORT_VARIABLE, raising=False)
    server_before = handled("server")

    call_once()

    assert handled("server") == server_before


def test_the_metrics_are_served_over_http(monkeypatch):
    port = free_port()
    monkeypatch.setenv(metrics.PORT_VARIABLE, str(port))

    assert metrics.serve_metrics() == port
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text

    assert "grpc_server_handled_total" in text


def test_a_port_out_of_range_is_refused(monkeypatch):
    monkeypatch.setenv(metrics.PORT_VARIABLE, "70000")
    with pytest.raises(ValueError, match="SHVYA_METRICS_PORT"):
        metrics.enabled()
