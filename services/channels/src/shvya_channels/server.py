"""Wires one channels deployment (one channel kind) and runs its gRPC server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import redis
from prometheus_client.registry import REGISTRY

from shvya.channels.v1 import channels_service_pb2, channels_service_pb2_grpc
from shvya_channels.channel import Channel
from shvya_channels.ledger import SendLedger
from shvya_channels.send_metrics import AccountCollector
from shvya_channels.servicer import ChannelsServicer
from shvya_channels.settings import ChannelKind, ChannelsSettings
from shvya_rpc import metrics
from shvya_rpc.gc_tuning import freeze_startup_objects
from shvya_rpc.server import Registration, RunningServer, wait_for_termination
from shvya_rpc.server import run_server as _run_server


def adapter(settings: ChannelsSettings, client: redis.Redis) -> Channel:
    """The one adapter of this deployment's channel kind.

    Each kind imports only its own adapter (Playwright alone takes seconds to import), so a
    channel that crashed is back sooner."""
    if settings.channel == ChannelKind.EMAIL:
        from shvya_channels.smtp import SmtpAdapter

        return SmtpAdapter(settings)
    if settings.channel == ChannelKind.WHATSAPP_CLOUD:
        from shvya_channels.whatsapp_cloud import CloudAdapter

        return CloudAdapter(settings, client)
    from shvya_channels.whatsapp_web import WebAdapter

    return WebAdapter(settings, client)


@contextmanager
def run_server(settings: ChannelsSettings, port: int | None = None) -> Iterator[RunningServer]:
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=5)
    ledger = SendLedger(
        client,
        prefix=settings.redis_prefix,
        lease_seconds=settings.send_lease_seconds,
        memory_seconds=settings.send_memory_seconds,
    )
    channel = adapter(settings, client)
    servicer = ChannelsServicer(channel, ledger)
    collector = AccountCollector(servicer) if metrics.enabled() else None
    if collector is not None:
        REGISTRY.register(collector)
    registration = Registration(
        servicer,
        channels_service_pb2_grpc.add_ChannelsServiceServicer_to_server,
        channels_service_pb2.DESCRIPTOR.services_by_name["ChannelsService"],
    )
    channel.start()
    try:
        with _run_server(
            [registration],
            port=settings.listen_port if port is None else port,
            host=settings.host,
            max_workers=settings.max_workers,
            token=settings.token,
        ) as running:
            yield running
    finally:
        if collector is not None:
            REGISTRY.unregister(collector)
        channel.close()
        client.close()


def serve(settings: ChannelsSettings) -> None:
    with run_server(settings):
        freeze_startup_objects()
        wait_for_termination()
