"""Wires the conductor's gRPC server and its relay."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import grpc
from prometheus_client.registry import REGISTRY

from shvya.ai.v1 import ai_service_pb2_grpc
from shvya.conductor.v1 import conductor_service_pb2, conductor_service_pb2_grpc
from shvya_conductor.broker import make_broker
from shvya_conductor.queue_metrics import QueueCollector
from shvya_conductor.relay import Relay
from shvya_conductor.servicer import ConductorServicer
from shvya_conductor.settings import ConductorSettings
from shvya_rpc import metrics
from shvya_rpc.client import connect, connect_many
from shvya_rpc.credentials import CredentialForwarder
from shvya_rpc.crm_client import CrmClient
from shvya_rpc.gc_tuning import freeze_startup_objects
from shvya_rpc.server import Registration, RunningServer, wait_for_termination
from shvya_rpc.server import run_server as _run_server


@contextmanager
def run_server(
    settings: ConductorSettings, port: int | None = None, *, relay: bool = True
) -> Iterator[RunningServer]:
    broker = make_broker(settings)
    crm_channels = connect_many(
        settings.crm_addr,
        settings.token,
        settings.crm_connections,
        deadline_seconds=settings.crm_timeout_seconds,
    )
    # The servicer passes a caller's credential on to the crm for the calls made on its behalf.
    crm = CrmClient.over([grpc.intercept_channel(c, CredentialForwarder()) for c in crm_channels])
    ai_channel = connect(settings.ai_addr, settings.token, deadline_seconds=settings.ai_timeout_seconds)
    registration = Registration(
        ConductorServicer(settings, crm, broker, ai_service_pb2_grpc.AiServiceStub(ai_channel)),
        conductor_service_pb2_grpc.add_ConductorServiceServicer_to_server,
        conductor_service_pb2.DESCRIPTOR.services_by_name["ConductorService"],
    )
    pump = Relay(settings, crm, broker) if relay else None
    collector = QueueCollector(crm, broker, settings.crm_timeout_seconds) if metrics.enabled() else None
    if collector is not None:
        REGISTRY.register(collector)
    try:
        with _run_server(
            [registration],
            port=settings.port if port is None else port,
            host=settings.host,
            max_workers=settings.max_workers,
            token=settings.token,
        ) as running:
            if pump is not None:
                pump.start()
            try:
                yield running
            finally:
                if pump is not None:
                    pump.stop()
    finally:
        if collector is not None:
            REGISTRY.unregister(collector)
        for channel in crm_channels:
            channel.close()
        ai_channel.close()
        broker.close()


def serve(settings: ConductorSettings) -> None:
    with run_server(settings):
        freeze_startup_objects()
        wait_for_termination()
