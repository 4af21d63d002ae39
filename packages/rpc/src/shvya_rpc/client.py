"""Client channels to other services of the mesh, sync and asyncio."""

from __future__ import annotations

import json

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


def connect(address: str, token: str | None = None) -> grpc.Channel:
    """A synchronous channel to `address` (host:port), carrying the mesh token if set."""
    channel = grpc.insecure_channel(address, options=_OPTIONS)
    if token:
        channel = grpc.intercept_channel(channel, TokenClientInterceptor(token))
    return channel


def connect_aio(address: str, token: str | None = None) -> aio.Channel:
    """An asyncio channel to `address`; create it inside the running event loop."""
    interceptors = [AioTokenClientInterceptor(token)] if token else None
    return aio.insecure_channel(address, options=_OPTIONS, interceptors=interceptors)
