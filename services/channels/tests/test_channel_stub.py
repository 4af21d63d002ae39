"""The servicer over the stub channel: what every adapter gets from it, with no SMTP or Meta."""

from __future__ import annotations

import grpc
import pytest

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya.channels.v1 import channels_service_pb2_grpc as pb_grpc
from shvya.type.v1 import channel_pb2
from shvya_channels.channel import StubChannel
from shvya_channels.ledger import SendLedger
from shvya_channels.outcome import Outcome
from shvya_channels.servicer import ChannelsServicer
from shvya_rpc.client import connect
from shvya_rpc.server import Registration, run_server


@pytest.fixture
def served(redis_client, redis_prefix):
    def serve(channel: StubChannel):
        ledger = SendLedger(redis_client, prefix=redis_prefix, lease_seconds=120, memory_seconds=60)
        registration = Registration(
            ChannelsServicer(channel, ledger),
            pb_grpc.add_ChannelsServiceServicer_to_server,
            pb.DESCRIPTOR.services_by_name["ChannelsService"],
        )
        return run_server([registration], port=0, host="127.0.0.1")

    return serve


def _send(stub, key: str, text: str = "Hello") -> pb.SendMessageResponse:
    return stub.SendMessage(
        pb.SendMessageRequest(
            channel=channel_pb2.CHANNEL_EMAIL,
            idempotency_key=key,
            text=text,
            recipient=pb.Recipient(email="student@example.com"),
        )
    )


def test_a_send_repeated_with_its_key_reaches_the_channel_once(served):
    channel = StubChannel()
    with served(channel) as server, connect(f"127.0.0.1:{server.port}") as conn:
        stub = pb_grpc.ChannelsServiceStub(conn)
        first = _send(stub, "key-1")
        again = _send(stub, "key-1")
    assert [r.text for r in channel.sent] == ["Hello"]
    assert first.outcome == again.outcome == pb.SEND_OUTCOME_SENT
    assert again.duplicate
    assert again.external_id == first.external_id


def test_what_the_channel_refuses_is_an_invalid_argument_and_nothing_is_sent(served):
    channel = StubChannel()
    with (
        served(channel) as server,
        connect(f"127.0.0.1:{server.port}") as conn,
        pytest.raises(grpc.RpcError) as caught,
    ):
        _send(pb_grpc.ChannelsServiceStub(conn), "key-2", text=" ")
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert channel.sent == []


def test_another_kind_s_request_is_refused_by_the_deployment(served):
    channel = StubChannel()
    with (
        served(channel) as server,
        connect(f"127.0.0.1:{server.port}") as conn,
        pytest.raises(grpc.RpcError) as caught,
    ):
        pb_grpc.ChannelsServiceStub(conn).SendMessage(
            pb.SendMessageRequest(channel=channel_pb2.CHANNEL_WHATSAPP_WEB, idempotency_key="k", text="x")
        )
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert channel.sent == []


def test_a_kind_without_a_qr_code_says_so(served):
    with (
        served(StubChannel()) as server,
        connect(f"127.0.0.1:{server.port}") as conn,
        pytest.raises(grpc.RpcError) as caught,
    ):
        pb_grpc.ChannelsServiceStub(conn).GetLoginQr(pb.GetLoginQrRequest())
    assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED


def test_a_retry_outcome_of_the_channel_is_answered_as_retry_later(served):
    channel = StubChannel(send=lambda: Outcome.retry("relay down", after=30.0, code="connection"))
    with served(channel) as server, connect(f"127.0.0.1:{server.port}") as conn:
        response = _send(pb_grpc.ChannelsServiceStub(conn), "key-3")
    assert response.outcome == pb.SEND_OUTCOME_RETRY_LATER
    assert response.retry_after_seconds == 30.0
