"""Wires the ai service and runs its gRPC server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import shvya_language as language
from shvya.ai.v1 import ai_service_pb2, ai_service_pb2_grpc
from shvya_ai.servicer import AiServicer
from shvya_ai.settings import AiSettings
from shvya_rpc.gc_tuning import freeze_startup_objects
from shvya_rpc.server import Registration, RunningServer, wait_for_termination
from shvya_rpc.server import run_server as _run_server


@contextmanager
def run_server(settings: AiSettings, port: int | None = None) -> Iterator[RunningServer]:
    registration = Registration(
        AiServicer(settings),
        ai_service_pb2_grpc.add_AiServiceServicer_to_server,
        ai_service_pb2.DESCRIPTOR.services_by_name["AiService"],
    )
    with _run_server(
        [registration],
        port=settings.port if port is None else port,
        host=settings.host,
        max_workers=settings.max_workers,
        token=settings.token,
    ) as running:
        yield running


def serve(settings: AiSettings) -> None:
    with run_server(settings):
        # The transliteration tables load now, not while a student waits for a reply.
        language.warm()
        freeze_startup_objects()
        wait_for_termination()
