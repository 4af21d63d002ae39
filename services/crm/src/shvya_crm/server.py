"""Wires the crm: engine, reactions to audit events, one servicer per service, and the gRPC server."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import shvya_language as language
from shvya.crm.v1 import (
    assignment_service_pb2,
    assignment_service_pb2_grpc,
    clock_service_pb2,
    clock_service_pb2_grpc,
    conversations_service_pb2,
    conversations_service_pb2_grpc,
    jobs_service_pb2,
    jobs_service_pb2_grpc,
    leads_service_pb2,
    leads_service_pb2_grpc,
    outreach_service_pb2,
    outreach_service_pb2_grpc,
    privacy_service_pb2,
    privacy_service_pb2_grpc,
    users_service_pb2,
    users_service_pb2_grpc,
)
from shvya_crm import reactions
from shvya_crm.api.assignment import AssignmentServicer
from shvya_crm.api.authorization import AuthorizationInterceptor
from shvya_crm.api.clock import TestClockServicer
from shvya_crm.api.conversations import ConversationsServicer
from shvya_crm.api.jobs import JobsServicer
from shvya_crm.api.leads import LeadsServicer
from shvya_crm.api.outreach import OutreachServicer
from shvya_crm.api.privacy import PrivacyServicer
from shvya_crm.api.users import UsersServicer
from shvya_crm.settings import CrmSettings
from shvya_crm.storage import clockstore
from shvya_crm.storage.clock import Clock
from shvya_crm.storage.db import Database, make_engine, make_sessionmaker
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
    db = Database(sessions, clock, reactions.subscriptions())
    registrations = [
        Registration(
            servicer(settings, db),
            add,
            module.DESCRIPTOR.services_by_name[name],
        )
        for servicer, add, module, name in (
            (
                LeadsServicer,
                leads_service_pb2_grpc.add_LeadsServiceServicer_to_server,
                leads_service_pb2,
                "LeadsService",
            ),
            (
                JobsServicer,
                jobs_service_pb2_grpc.add_JobsServiceServicer_to_server,
                jobs_service_pb2,
                "JobsService",
            ),
            (
                ConversationsServicer,
                conversations_service_pb2_grpc.add_ConversationsServiceServicer_to_server,
                conversations_service_pb2,
                "ConversationsService",
            ),
            (
                OutreachServicer,
                outreach_service_pb2_grpc.add_OutreachServiceServicer_to_server,
                outreach_service_pb2,
                "OutreachService",
            ),
            (
                AssignmentServicer,
                assignment_service_pb2_grpc.add_AssignmentServiceServicer_to_server,
                assignment_service_pb2,
                "AssignmentService",
            ),
            (
                TestClockServicer,
                clock_service_pb2_grpc.add_TestClockServiceServicer_to_server,
                clock_service_pb2,
                "TestClockService",
            ),
            (
                UsersServicer,
                users_service_pb2_grpc.add_UsersServiceServicer_to_server,
                users_service_pb2,
                "UsersService",
            ),
            (
                PrivacyServicer,
                privacy_service_pb2_grpc.add_PrivacyServiceServicer_to_server,
                privacy_service_pb2,
                "PrivacyService",
            ),
        )
    ]
    try:
        with _run_server(
            registrations,
            port=settings.port if port is None else port,
            host=settings.host,
            max_workers=settings.max_workers,
            max_concurrent_rpcs=settings.max_concurrent_rpcs,
            token=settings.token,
            interceptors=[AuthorizationInterceptor(settings, db)],
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
