"""Client channels: several connections to one address, and a stub that takes turns over them."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent import futures

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from shvya_rpc.client import RoundRobin, connect_many, round_robin


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
