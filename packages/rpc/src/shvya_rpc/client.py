"""Client channels to other services of the mesh, sync and asyncio."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import grpc
from grpc import aio

from shvya_rpc.auth import AioTokenClientInterceptor, TokenClientInterceptor
from shvya_rpc.server import MAX_MESSAGE_BYTES

# Transparent retries for the moments a peer restarts: only UNAVAILABLE is
# retried, which gRPC raises when the request never reached a server.
_SERVICE_CONFIG = json.dumps(
    {
        "methodConfig": [
            {
                "name": [{}],
                "retryPolicy": {
                    "maxAttempts": 4,
                    "initialBackoff": "0.05s",
                    "maxBackoff": "1s",
                    "backoffMultiplier": 3,
                    "retryableStatusCodes": ["UNAVAILABLE"],
                },
            }
        ]
    }
)

_OPTIONS = [
    ("grpc.enable_retries", 1),
    ("grpc.service_config", _SERVICE_CONFIG),
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.keepalive_timeout_ms", 10_000),
]


# A channel with its own subchannel pool opens its own connection, instead of sharing
# the process-wide one that every channel to the same address would otherwise use.
_OWN_CONNECTION = ("grpc.use_local_subchannel_pool", 1)

Stub = TypeVar("Stub")


def connect(address: str, token: str | None = None, *, own_connection: bool = False) -> grpc.Channel:
    """A synchronous channel to `address` (host:port), carrying the mesh token if set."""
    options = [*_OPTIONS, _OWN_CONNECTION] if own_connection else _OPTIONS
    channel = grpc.insecure_channel(address, options=options)
    if token:
        channel = grpc.intercept_channel(channel, TokenClientInterceptor(token))
    return channel


def connect_aio(
    address: str,
    token: str | None = None,
    *,
    own_connection: bool = False,
    interceptors: Sequence[aio.ClientInterceptor] = (),
) -> aio.Channel:
    """An asyncio channel to `address`; create it inside the running event loop. `interceptors`
    run after the one that adds the mesh token."""
    chain = [*([AioTokenClientInterceptor(token)] if token else []), *interceptors]
    options = [*_OPTIONS, _OWN_CONNECTION] if own_connection else _OPTIONS
    return aio.insecure_channel(address, options=options, interceptors=chain or None)


def connect_many(address: str, token: str | None, count: int) -> list[grpc.Channel]:
    """`count` synchronous channels to `address`, each on its own connection (see RoundRobin)."""
    return [connect(address, token, own_connection=count > 1) for _ in range(count)]


def connect_many_aio(
    address: str, token: str | None, count: int, interceptors: Sequence[aio.ClientInterceptor] = ()
) -> list[aio.Channel]:
    """`count` asyncio channels to `address`, each on its own connection (see RoundRobin)."""
    return [
        connect_aio(address, token, own_connection=count > 1, interceptors=interceptors) for _ in range(count)
    ]


class RoundRobin:
    """One stub's methods, each call on the next of several connections.

    gRPC keeps one HTTP/2 connection per address, and the server side balances
    connections, not calls: several crm processes on one port (SO_REUSEPORT), or
    several crm pods behind one Kubernetes Service, would otherwise see all of a
    client's calls on whichever one its single connection reached."""

    def __init__(self, stubs: Sequence[Any]) -> None:
        if not stubs:
            raise ValueError("RoundRobin needs at least one stub")
        self._stubs = tuple(stubs)
        self._next: Callable[[], Any] = itertools.cycle(self._stubs).__next__

    def __getattr__(self, name: str) -> Any:
        return getattr(self._next(), name)


def round_robin(stub_class: Callable[[Any], Stub], channels: Sequence[Any]) -> Stub:
    """A stub of `stub_class` that spreads its calls over `channels` (one: the plain stub)."""
    if len(channels) == 1:
        return stub_class(channels[0])
    return RoundRobin([stub_class(channel) for channel in channels])  # type: ignore[return-value]
