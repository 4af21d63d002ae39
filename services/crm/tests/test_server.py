"""The crm's gRPC surface: health, reflection, and the mesh token."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.type.v1 import channel_pb2
from shvya_crm.server import run_server
from shvya_rpc.client import connect
from shvya_rpc.crm_client import CrmClient

# Every service of the crm's contract, and the file that defines it; one process serves them all.
SERVICES = {
    "shvya.crm.v1.LeadsService": "shvya/crm/v1/leads_service.proto",
    "shvya.crm.v1.JobsService": "shvya/crm/v1/jobs_service.proto",
    "shvya.crm.v1.ConversationsService": "shvya/crm/v1/conversations_service.proto",
    "shvya.crm.v1.OutreachService": "shvya/crm/v1/outreach_service.proto",
    "shvya.crm.v1.TestClockService": "shvya/crm/v1/clock_service.proto",
}
TOKEN = "mesh-token-for-tests"
FORM = leads_pb.IngestInboundMessageRequest(
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


@pytest.mark.parametrize("service", ["", *SERVICES])
def test_health_reports_serving(crm_channel, service):
    assert _health(crm_channel, service) == health_pb2.HealthCheckResponse.SERVING


def test_health_of_an_unknown_service_is_not_found(crm_channel):
    with pytest.raises(grpc.RpcError) as caught:
        _health(crm_channel, "shvya.crm.v1.NoSuchService")

    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_reflection_lists_the_crm_services_and_health(crm_channel):
    assert {*SERVICES, "grpc.health.v1.Health"} <= _listed_services(crm_channel)


@pytest.mark.parametrize(("service", "path"), SERVICES.items())
def test_reflection_serves_the_crm_contract(crm_channel, service, path):
    stub = reflection_pb2_grpc.ServerReflectionStub(crm_channel)
    [response] = stub.ServerReflectionInfo(
        iter([reflection_pb2.ServerReflectionRequest(file_containing_symbol=service)])
    )

    files = b"".join(response.file_descriptor_response.file_descriptor_proto)
    assert path.encode() in files
    assert service.rsplit(".", 1)[1].encode() in files


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
        CrmClient.over(open_channel).leads.IngestInboundMessage(FORM)

    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert crm.count("messages") == 0


def test_a_call_with_a_wrong_token_is_unauthenticated(crm, guarded):
    channel = connect(guarded, token="not-the-token")
    try:
        with pytest.raises(grpc.RpcError) as caught:
            CrmClient.over(channel).leads.IngestInboundMessage(FORM)
    finally:
        channel.close()

    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert crm.count("messages") == 0


def test_a_call_with_the_token_is_served(crm, guarded):
    channel = connect(guarded, token=TOKEN)
    try:
        response = CrmClient.over(channel).leads.IngestInboundMessage(FORM)
    finally:
        channel.close()

    assert response.message_id
    assert crm.count("messages") == 1


def test_health_and_reflection_stay_open_without_the_token(open_channel):
    for service in SERVICES:
        assert _health(open_channel, service) == health_pb2.HealthCheckResponse.SERVING
    assert set(SERVICES) <= _listed_services(open_channel)
