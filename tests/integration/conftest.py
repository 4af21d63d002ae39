"""The mesh in one process: every service's real gRPC server on a free port, real lane
workers, the real PostgreSQL, Redis and an SMTP server. Faster than tests/e2e (no
process start-up) while exercising the same code and protocols."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field

import pytest

from shvya.conductor.v1 import conductor_service_pb2_grpc
from shvya.crm.v1 import crm_service_pb2_grpc
from shvya_ai.server import run_server as run_ai
from shvya_ai.settings import AiSettings
from shvya_channels.server import run_server as run_channels
from shvya_channels.settings import ChannelKind, ChannelsSettings
from shvya_conductor.server import run_server as run_conductor
from shvya_conductor.settings import ConductorSettings
from shvya_conductor.worker import LaneWorker
from shvya_crm.db import make_engine, make_sessionmaker
from shvya_crm.seed import seed_demo
from shvya_crm.server import run_server as run_crm
from shvya_crm.settings import DEFAULT_COMPANY_ID, CrmSettings
from shvya_rpc.client import connect
from shvya_testkit.ports import free_port
from shvya_testkit.postgres import query
from shvya_testkit.smtp import SmtpServer


@dataclass
class Mesh:
    database_url: str
    crm_addr: str
    conductor_addr: str
    smtp: SmtpServer
    conductor_settings: ConductorSettings
    crm: crm_service_pb2_grpc.CrmServiceStub
    conductor: conductor_service_pb2_grpc.ConductorServiceStub
    workers: dict[str, LaneWorker] = field(default_factory=dict)

    def sql(self, statement: str, params: tuple = ()) -> list[tuple]:
        return query(self.database_url, statement, params)

    def job_status(self, job_id: str) -> str:
        return self.sql("SELECT status FROM jobs WHERE id = %s", (job_id,))[0][0]

    def wait_until(
        self, predicate: Callable[[], bool], timeout: float = 20.0, what: str = "condition"
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout}s waiting for {what}")

    def wait_for_job(self, job_id: str, status: str, timeout: float = 20.0) -> None:
        self.wait_until(lambda: self.job_status(job_id) == status, timeout, f"job {job_id} to be {status}")


@pytest.fixture
def mesh(database_url: str, redis_url: str, redis_prefix: str) -> Iterator[Mesh]:
    engine = make_engine(database_url, 1)
    with make_sessionmaker(engine).begin() as session:
        seed_demo(session, DEFAULT_COMPANY_ID)
    engine.dispose()

    smtp = SmtpServer().start()
    with ExitStack() as stack:
        stack.callback(smtp.stop)
        crm = stack.enter_context(run_crm(CrmSettings(database_url=database_url, max_workers=16), port=0))
        ai = stack.enter_context(run_ai(AiSettings(), port=0))
        email = stack.enter_context(
            run_channels(
                ChannelsSettings(
                    channel=ChannelKind.EMAIL,
                    redis_url=redis_url,
                    redis_prefix=redis_prefix,
                    smtp_host="127.0.0.1",
                    smtp_port=smtp.port,
                    smtp_security="none",
                    smtp_timeout_seconds=5,
                ),
                port=0,
            )
        )
        settings = ConductorSettings(
            redis_url=redis_url,
            redis_namespace=redis_prefix,
            crm_addr=f"localhost:{crm.port}",
            ai_addr=f"localhost:{ai.port}",
            channels_email_addr=f"localhost:{email.port}",
            # Nothing listens here: the WhatsApp channels are not part of this mesh.
            channels_whatsapp_cloud_addr=f"localhost:{free_port()}",
            channels_whatsapp_web_addr=f"localhost:{free_port()}",
            relay_interval_seconds=0.05,
            dispatch_lease_seconds=2,
            run_lease_seconds=30,
            channels_timeout_seconds=10,
            ai_timeout_seconds=10,
            crm_timeout_seconds=5,
            max_attempts=3,
            retry_base_seconds=0.1,
            retry_max_seconds=0.5,
            lane_threads=4,
            poll_ms=20,
        )
        conductor = stack.enter_context(run_conductor(settings, port=0))
        crm_channel = connect(f"localhost:{crm.port}")
        conductor_channel = connect(f"localhost:{conductor.port}")
        stack.callback(crm_channel.close)
        stack.callback(conductor_channel.close)
        mesh = Mesh(
            database_url=database_url,
            crm_addr=f"localhost:{crm.port}",
            conductor_addr=f"localhost:{conductor.port}",
            smtp=smtp,
            conductor_settings=settings,
            crm=crm_service_pb2_grpc.CrmServiceStub(crm_channel),
            conductor=conductor_service_pb2_grpc.ConductorServiceStub(conductor_channel),
        )
        for lane in ("p1", "p2"):
            worker = LaneWorker(settings, lane)
            worker.start()
            mesh.workers[lane] = worker
            stack.callback(worker.stop, 5.0)
        yield mesh
