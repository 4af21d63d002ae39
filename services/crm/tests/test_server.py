"""The crm's gRPC surface: health, reflection, and the mesh token."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from shvya.crm.v1 import crm_service_pb2 as pb
from shvya.crm.v1 import crm_service_pb2_grpc as pb_grpc
from shvya.type.v1 import channel_pb2
from shvya_crm.server import run_server
from shvya_rpc.client import connect

SERVICE = "shvya.crm.v1.CrmService"
TOKEN = "mesh-token-for-tests"
FORM = pb.IngestInboundMessageRequest(
    phone_number="9876543210",
    contact_name="Rahul",
    message_text="Interested in Digital Marketing",
    channel=channel_pb2.CHANNEL_WHATSAPP_WEB,
)


def _health(channel: grpc.Channel, service: str) -> int:
    return health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=service)).status


def _listed_services(channel: grpc.Channel) -> set[str]:
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    responses = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
    return {s.name for r in responses for s in r.list_services_response.service}


@pytest.mark.parametrize("service", ["", SERVICE])
def test_health_reports_serving(crm_channel, service):
    assert _health(crm_channel, service) == health_pb2.HealthCheckResponse.SERVING


def test_health_of_an_unknown_service_is_not_found(crm_channel):
    with pytest.raises(grpc.RpcError) as caught:
        _health(crm_channel, "shvya.crm.v1.NoSuchService")

    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_reflection_lists_the_crm_service_and_health(crm_channel):
    assert {SERVICE, "grpc.health.v1.Health"} <= _listed_services(crm_channel)


def test_reflection_serves_the_crm_contract(crm_channel):
    stub = reflection_pb2_grpc.ServerReflectionStub(crm_channel)
    [response] = stub.ServerReflectionInfo(
        iter([reflection_pb2.ServerReflectionRequest(file_containing_symbol=SERVICE)])
    )

    files = b"".join(response.file_descriptor_response.file_descriptor_proto)
    assert b"shvya/crm/v1/crm_service.proto" in files
    assert b"IngestInboundMessage" in files


@pytest.fixture
def guarded(database_url, make_crm_settings) -> Iterator[str]:
    """A crm that requires the mesh token."""
    with run_server(make_crm_settings(database_url, internal_token=TOKEN), port=0) as running:
        yield f"127.0.0.1:{running.port}"


@pytest.fixture
def open_channel(guarded) -> Iterator[grpc.Channel]:
    channel = connect(guarded)
    yield channel
    channel.close()


def test_a_call_without_the_token_is_unauthenticated_and_changes_nothing(crm, open_channel):
    with pytest.raises(grpc.RpcError) as caught:
        pb_grpc.CrmServiceStub(open_channel).IngestInboundMessage(FORM)

    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert crm.count("messages") == 0


def test_a_call_with_a_wrong_token_is_unauthenticated(crm, guarded):
    channel = connect(guarded, token="not-the-token")
    try:
        with pytest.raises(grpc.RpcError) as caught:
            pb_grpc.CrmServiceStub(channel).IngestInboundMessage(FORM)
    finally:
        channel.close()

    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert crm.count("messages") == 0


def test_a_call_with_the_token_is_served(crm, guarded):
    channel = connect(guarded, token=TOKEN)
    try:
        response = pb_grpc.CrmServiceStub(channel).IngestInboundMessage(FORM)
    finally:
        channel.close()

    assert response.message_id
    assert crm.count("messages") == 1


def test_health_and_reflection_stay_open_without_the_token(open_channel):
    assert _health(open_channel, SERVICE) == health_pb2.HealthCheckResponse.SERVING
    assert SERVICE in _listed_services(open_channel)
