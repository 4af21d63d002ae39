"""Wires the crm: engine, servicer, and the gRPC server around them."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import shvya_language as language
from shvya.crm.v1 import crm_service_pb2, crm_service_pb2_grpc
from shvya_crm import clockstore
from shvya_crm.clock import Clock
from shvya_crm.db import Database, make_engine, make_sessionmaker
from shvya_crm.servicer import CrmServicer
from shvya_crm.settings import CrmSettings
from shvya_rpc.gc_tuning import freeze_startup_objects
from shvya_rpc.processes import run_processes
from shvya_rpc.server import Registration, RunningServer, wait_for_termination
from shvya_rpc.server import run_server as _run_server


@contextmanager
def run_server(settings: CrmSettings, port: int | None = None) -> Iterator[RunningServer]:
    """Runs the crm on `port` (default: settings.port; 0 picks a free port)."""
    engine = make_engine(settings.database_url, settings.db_pool_size)
    sessions = make_sessionmaker(engine)
    offset = 0.0
    if settings.test_clock:
        with sessions() as session:
            offset = clockstore.load(session)
    clock = Clock(controllable=settings.test_clock, offset_seconds=offset)
    servicer = CrmServicer(settings, Database(sessions, clock))
    registration = Registration(
        servicer,
        crm_service_pb2_grpc.add_CrmServiceServicer_to_server,
        crm_service_pb2.DESCRIPTOR.services_by_name["CrmService"],
    )
    try:
        with _run_server(
            [registration],
            port=settings.port if port is None else port,
            host=settings.host,
            max_workers=settings.max_workers,
            max_concurrent_rpcs=settings.max_concurrent_rpcs,
            token=settings.token,
            reuse_port=settings.processes > 1,
        ) as running:
            yield running
    finally:
        engine.dispose()


def serve(settings: CrmSettings) -> None:
    if settings.processes == 1:
        with run_server(settings):
            # Intake reads opt-outs in every script: the transliteration tables load now.
            language.warm()
            freeze_startup_objects()
            wait_for_termination()
        return

    def one(stop: threading.Event) -> None:
        with run_server(settings):
            language.warm()
            freeze_startup_objects()
            stop.wait()

    sys.exit(run_processes(one, settings.processes))
