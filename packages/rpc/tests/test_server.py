"""The shared server bootstrap: health, reflection (v1alpha and v1), token auth, graceful stop."""

from __future__ import annotations

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2

from shvya.ai.v1 import ai_service_pb2 as ai_pb
from shvya.ai.v1 import ai_service_pb2_grpc as ai_pb_grpc
from shvya_rpc.client import connect
from shvya_rpc.server import REFLECTION_V1, Registration, run_server

SERVICE = "shvya.ai.v1.AiService"


def _echo_registration() -> Registration:
    """A real service to mount: AiService.ComposeReply answering "pong"."""

    def add(servicer, server: grpc.Server) -> None:
        handler = grpc.unary_unary_rpc_method_handler(
            lambda request, context: ai_pb.ComposeReplyResponse(text="pong"),
            request_deserializer=ai_pb.ComposeReplyRequest.FromString,
            response_serializer=ai_pb.ComposeReplyResponse.SerializeToString,
        )
        server.add_generic_rpc_handlers(
            (grpc.method_handlers_generic_handler("shvya.ai.v1.AiService", {"ComposeReply": handler}),)
        )

    return Registration(None, add, ai_pb.DESCRIPTOR.services_by_name["AiService"])


def _compose(channel: grpc.Channel) -> str:
    return ai_pb_grpc.AiServiceStub(channel).ComposeReply(ai_pb.ComposeReplyRequest(), timeout=5).text


def _list_services(channel: grpc.Channel, method: str) -> set[str]:
    call = channel.stream_stream(
        method,
        request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
        response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
    )
    [reply] = list(call(iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5))
    return {s.name for s in reply.list_services_response.service}


@pytest.mark.parametrize(
    "method",
    [
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        f"/{REFLECTION_V1}/ServerReflectionInfo",
    ],
)
def test_reflection_lists_the_services_under_both_protocol_names(method):
    with run_server([_echo_registration()], port=0) as server, connect(f"localhost:{server.port}") as channel:
        names = _list_services(channel, method)
    assert {
        SERVICE,
        "grpc.health.v1.Health",
        "grpc.reflection.v1alpha.ServerReflection",
        REFLECTION_V1,
    } <= names


def test_every_listed_service_can_be_described_through_reflection():
    # What `grpcurl describe` does: a client with no .proto files resolves each listed
    # service, its methods and their message types from the server alone.
    from google.protobuf.descriptor_pool import DescriptorPool
    from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

    with run_server([_echo_registration()], port=0) as server, connect(f"localhost:{server.port}") as channel:
        database = ProtoReflectionDescriptorDatabase(channel)
        pool = DescriptorPool(database)
        described = {name: [m.input_type.full_name for m in pool.FindServiceByName(name).methods]
                     for name in database.get_services()}  # fmt: skip
    assert described[REFLECTION_V1] == ["grpc.reflection.v1.ServerReflectionRequest"]
    assert described[SERVICE]


def test_health_reports_serving_then_not_serving_during_shutdown():
    with run_server([_echo_registration()], port=0) as server:
        with connect(f"localhost:{server.port}") as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            assert stub.Check(health_pb2.HealthCheckRequest(service=SERVICE)).status == 1
        server.set_serving(False)
        with connect(f"localhost:{server.port}") as channel:
            reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""))
            assert reply.status == health_pb2.HealthCheckResponse.NOT_SERVING


def test_a_token_protects_services_but_not_health_or_reflection():
    with run_server([_echo_registration()], port=0, token="t0ken") as server:
        with connect(f"localhost:{server.port}") as anonymous:
            with pytest.raises(grpc.RpcError) as refused:
                _compose(anonymous)
            assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
            # Health stays open for probes, reflection for tooling.
            assert health_pb2_grpc.HealthStub(anonymous).Check(health_pb2.HealthCheckRequest()).status == 1
            assert SERVICE in _list_services(anonymous, f"/{REFLECTION_V1}/ServerReflectionInfo")
        with connect(f"localhost:{server.port}", token="wrong") as wrong:
            with pytest.raises(grpc.RpcError) as refused:
                _compose(wrong)
            assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
        with connect(f"localhost:{server.port}", token="t0ken") as authorised:
            assert _compose(authorised) == "pong"


def test_the_service_answers_until_the_server_stops():
    with run_server([_echo_registration()], port=0) as server, connect(f"localhost:{server.port}") as channel:
        assert _compose(channel) == "pong"
    with connect(f"localhost:{server.port}") as channel, pytest.raises(grpc.RpcError):
        _compose(channel)
