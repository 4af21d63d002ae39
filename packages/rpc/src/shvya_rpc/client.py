"""Client channels to other services of the mesh, sync and asyncio."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import grpc
from grpc import aio

from shvya_rpc import metrics, tracing
from shvya_rpc.auth import AioTokenClientInterceptor, TokenClientInterceptor
from shvya_rpc.deadlines import AioDefaultDeadline, DefaultDeadline
from shvya_rpc.log_context import AioTraceClientInterceptor, TraceClientInterceptor
from shvya_rpc.server import MAX_MESSAGE_BYTES
from shvya_rpc.tls import Tls

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


def _options(own_connection: bool) -> list[tuple[str, object]]:
    options: list[tuple[str, object]] = [
        ("grpc.enable_retries", 1),
        ("grpc.service_config", _SERVICE_CONFIG),
        ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
        ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
        ("grpc.keepalive_time_ms", 30_000),
        ("grpc.keepalive_timeout_ms", 10_000),
    ]
    if own_connection:
        options.append(_OWN_CONNECTION)
    return options


# A channel with its own subchannel pool opens its own connection, instead of sharing
# the process-wide one that every channel to the same address would otherwise use.
_OWN_CONNECTION = ("grpc.use_local_subchannel_pool", 1)

Stub = TypeVar("Stub")


def connect(
    address: str,
    token: str | None = None,
    *,
    own_connection: bool = False,
    deadline_seconds: float | None = None,
    tls: Tls | None = None,
) -> grpc.Channel:
    """A synchronous channel to `address` (host:port), carrying the mesh token if set and the
    caller's trace id (with tracing on, a client span's context), over TLS when `tls` (by default
    the GRPC_TLS_* variables, see shvya_rpc.tls) says so; its calls get `deadline_seconds` unless
    they set their own."""
    options = _options(own_connection)
    credentials = (tls or Tls.from_environment()).channel_credentials()
    if credentials is None:
        channel = grpc.insecure_channel(address, options=options)
    else:
        channel = grpc.secure_channel(address, credentials, options=options)
    if tracing.enabled():
        # The span's context travels in `traceparent`, so the caller's own trace id is not sent.
        channel = tracing.intercept_channel(channel)
    else:
        channel = grpc.intercept_channel(channel, TraceClientInterceptor())
    if metrics.enabled():
        channel = grpc.intercept_channel(channel, metrics.client_interceptor())
    if token:
        channel = grpc.intercept_channel(channel, TokenClientInterceptor(token))
    if deadline_seconds is not None:
        channel = grpc.intercept_channel(channel, DefaultDeadline(deadline_seconds))
    return channel


def connect_aio(
    address: str,
    token: str | None = None,
    *,
    own_connection: bool = False,
    deadline_seconds: float | None = None,
    tls: Tls | None = None,
    interceptors: Sequence[aio.ClientInterceptor] = (),
) -> aio.Channel:
    """An asyncio channel to `address`; create it inside the running event loop. `interceptors`
    run after the ones that add the trace id and the mesh token."""
    chain: list[aio.ClientInterceptor] = (
        tracing.aio_client_interceptors() if tracing.enabled() else [AioTraceClientInterceptor()]
    )
    if token:
        chain.append(AioTokenClientInterceptor(token))
    chain.extend(interceptors)
    if deadline_seconds is not None:
        chain.append(AioDefaultDeadline(deadline_seconds))
    options = _options(own_connection)
    credentials = (tls or Tls.from_environment()).channel_credentials()
    if credentials is None:
        return aio.insecure_channel(address, options=options, interceptors=chain)
    return aio.secure_channel(address, credentials, options=options, interceptors=chain)


def connect_many(
    address: str,
    token: str | None,
    count: int,
    *,
    deadline_seconds: float | None = None,
    tls: Tls | None = None,
) -> list[grpc.Channel]:
    """`count` synchronous channels to `address`, each on its own connection (see RoundRobin)."""
    tls = tls or Tls.from_environment()
    return [
        connect(address, token, own_connection=count > 1, deadline_seconds=deadline_seconds, tls=tls)
        for _ in range(count)
    ]


def connect_many_aio(
    address: str,
    token: str | None,
    count: int,
    *,
    deadline_seconds: float | None = None,
    tls: Tls | None = None,
    interceptors: Sequence[aio.ClientInterceptor] = (),
) -> list[aio.Channel]:
    """`count` asyncio channels to `address`, each on its own connection (see RoundRobin)."""
    tls = tls or Tls.from_environment()
    return [
        connect_aio(
            address,
            token,
            own_connection=count > 1,
            deadline_seconds=deadline_seconds,
            tls=tls,
            interceptors=interceptors,
        )
        for _ in range(count)
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
