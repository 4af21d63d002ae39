"""Client channels: several connections to one address, and a stub that takes turns over them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from concurrent import futures

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from shvya_rpc.client import RoundRobin, connect, connect_aio, connect_many, round_robin


class _Peers(health_pb2_grpc.HealthServicer):
    """Health.Check that remembers the client address (host:port) of each call's connection."""

    def __init__(self) -> None:
        self.peers: list[str] = []

    def Check(self, request, context):
        self.peers.append(context.peer())
        return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)


@pytest.fixture
def server() -> Iterator[tuple[str, _Peers]]:
    servicer = _Peers()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield f"127.0.0.1:{port}", servicer
    server.stop(None)


def _check(stub) -> None:
    stub.Check(health_pb2.HealthCheckRequest(), timeout=5)


def test_the_calls_of_a_round_robin_stub_take_turns_over_separate_connections(server):
    address, servicer = server
    channels = connect_many(address, None, 4)
    stub = round_robin(health_pb2_grpc.HealthStub, channels)
    try:
        for _ in range(8):
            _check(stub)
    finally:
        for channel in channels:
            channel.close()
    assert isinstance(stub, RoundRobin)
    # Four connections (four client ports), each used for every fourth call
    assert len(set(servicer.peers)) == 4
    assert servicer.peers[:4] == servicer.peers[4:]


def test_one_connection_is_the_plain_stub(server):
    address, servicer = server
    [channel] = connect_many(address, None, 1)
    stub = round_robin(health_pb2_grpc.HealthStub, [channel])
    try:
        _check(stub)
        _check(stub)
    finally:
        channel.close()
    assert isinstance(stub, health_pb2_grpc.HealthStub)
    assert len(set(servicer.peers)) == 1


def test_a_round_robin_needs_a_stub():
    with pytest.raises(ValueError, match="at least one"):
        RoundRobin([])


class _Slow(health_pb2_grpc.HealthServicer):
    """Health.Check that answers after `delay` seconds."""

    def __init__(self, delay: float) -> None:
        self.delay = delay

    def Check(self, request, context):
        time.sleep(self.delay)
        return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)


@pytest.fixture
def slow_server() -> Iterator[str]:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    health_pb2_grpc.add_HealthServicer_to_server(_Slow(1.0), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield f"127.0.0.1:{port}"
    server.stop(None)


def test_a_channel_s_default_deadline_ends_a_call_that_sets_none(slow_server):
    # Given a channel whose calls get 0.2 s unless they say otherwise, when a call that sets no
    # timeout meets a peer that takes a second
    with (
        connect(slow_server, deadline_seconds=0.2) as channel,
        pytest.raises(grpc.RpcError) as caught,
    ):
        health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
    # Then it ends at the channel's deadline
    assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED


def test_a_call_within_the_default_deadline_is_answered(slow_server):
    # A service-config timeout of the same length ends this call after milliseconds (gRPC Python).
    with connect(slow_server, deadline_seconds=5.0) as channel:
        reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
    assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_an_asyncio_call_gets_the_default_deadline_too(slow_server):
    async def call() -> grpc.StatusCode:
        async with connect_aio(slow_server, deadline_seconds=0.2) as channel:
            try:
                await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
            except grpc.RpcError as exc:
                return exc.code()
        return grpc.StatusCode.OK

    assert asyncio.run(call()) == grpc.StatusCode.DEADLINE_EXCEEDED


def test_a_call_may_wait_longer_than_a_channel_without_a_default_deadline(slow_server):
    with connect(slow_server) as channel:
        reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
    assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_a_default_deadline_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        connect("127.0.0.1:9", deadline_seconds=0)
