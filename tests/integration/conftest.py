"""The mesh in one process: every service's real gRPC server on a free port, real lane
workers, the real PostgreSQL, Redis, an SMTP server and an HTTP server that answers like
Meta's Graph API (and, for the tests that ask, WhatsApp Web in headless Chromium). Faster
than tests/e2e (no process start-up) while exercising the same code and protocols."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg2
import pytest

from shvya.conductor.v1 import conductor_service_pb2_grpc
from shvya.crm.v1 import clock_service_pb2 as clock_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.type.v1 import channel_pb2
from shvya_ai.server import run_server as run_ai
from shvya_ai.settings import AiSettings
from shvya_channels.server import run_server as run_channels
from shvya_channels.settings import ChannelKind, ChannelsSettings
from shvya_conductor.server import run_server as run_conductor
from shvya_conductor.settings import ConductorSettings
from shvya_conductor.worker import LaneWorker
from shvya_crm.seed import seed_demo
from shvya_crm.server import run_server as run_crm
from shvya_crm.settings import DEFAULT_COMPANY_ID, CrmSettings
from shvya_crm.storage.db import make_engine, make_sessionmaker
from shvya_rpc.client import connect
from shvya_rpc.crm_client import CrmClient
from shvya_testkit.graph_api import GraphApiServer
from shvya_testkit.ports import free_port
from shvya_testkit.postgres import query
from shvya_testkit.smtp import SmtpServer
from shvya_testkit.waiting import wait_until

# The platform operator's ADMIN_TOKEN, as the mesh's crm knows it (a gateway under test sets the same).
ADMIN_TOKEN = "admin-token-for-tests-0123"


@dataclass
class Mesh:
    database_url: str
    crm_addr: str
    conductor_addr: str
    smtp: SmtpServer
    conductor_settings: ConductorSettings
    crm: CrmClient
    conductor: conductor_service_pb2_grpc.ConductorServiceStub
    # Meta's Graph API, as the whatsapp_cloud channel of the mesh reaches it.
    graph: GraphApiServer
    channel_addrs: dict[str, str] = field(default_factory=dict)
    workers: dict[str, LaneWorker] = field(default_factory=dict)
    admin_token: str = ADMIN_TOKEN

    def sql(self, statement: str, params: tuple = ()) -> list[tuple]:
        return query(self.database_url, statement, params)

    def add_counsellors(self, *names: str) -> list[str]:
        """Counsellors of the demo company, in this order of seniority (the round robin's order)."""
        ids = []
        conn = psycopg2.connect(self.database_url)
        try:
            with conn, conn.cursor() as cur:
                for i, name in enumerate(names):
                    user_id = str(uuid.uuid4())
                    cur.execute(
                        "INSERT INTO users (id, company_id, email, name, role, created_at) "
                        "VALUES (%s, %s, %s, %s, 'counsellor', now() + make_interval(secs => %s))",
                        (
                            user_id,
                            str(DEFAULT_COMPANY_ID),
                            f"{name.lower()}.{user_id[:8]}@academy.example",
                            name,
                            i,
                        ),
                    )
                    ids.append(user_id)
        finally:
            conn.close()
        return ids

    def job_status(self, job_id: str) -> str:
        return self.sql("SELECT status FROM jobs WHERE id = %s", (job_id,))[0][0]

    def wait_until(
        self, predicate: Callable[[], bool], timeout: float = 20.0, what: str = "condition"
    ) -> None:
        wait_until(predicate, timeout, what)

    def wait_for_job(self, job_id: str, status: str, timeout: float = 20.0) -> None:
        self.wait_until(lambda: self.job_status(job_id) == status, timeout, f"job {job_id} to be {status}")

    def dead_first_replies(self, count: int) -> list[str]:
        """The jobs of `count` first replies that died because SMTP stayed down longer than the
        mesh waits out an outage; SMTP is back when this returns."""
        self.smtp.stop()
        job_ids = []
        for _ in range(count):
            suffix = uuid.uuid4().int % 10**8
            job_ids.append(
                self.crm.leads.IngestInboundMessage(
                    leads_pb.IngestInboundMessageRequest(
                        phone_number=f"+9198{suffix:08d}",
                        contact_name=f"Priya {suffix}",
                        message_text="What is the fee for the Digital Marketing course?",
                        channel=channel_pb2.CHANNEL_EMAIL,
                        email=f"priya.{suffix}@example.com",
                    )
                ).job_id
            )
        for job_id in job_ids:
            self.wait_for_job(job_id, "dlq")
        self.smtp.start()
        return job_ids

    def now(self) -> datetime:
        return self.crm.clock.GetClock(clock_pb.GetClockRequest()).now.ToDatetime(tzinfo=UTC)

    def advance(self, seconds: float) -> datetime:
        """Moves the crm's clock forward: due follow-ups and steps run within a second or so."""
        return self.crm.clock.SetClock(clock_pb.SetClockRequest(advance_seconds=seconds)).now.ToDatetime(
            tzinfo=UTC
        )

    def move_to_local(self, hour: int, minute: int = 0, zone: str = "Asia/Kolkata") -> datetime:
        """Moves the clock forward to the next hour:minute in `zone` (at least a minute away)."""
        local = (self.now() + timedelta(minutes=1)).astimezone(ZoneInfo(zone))
        target = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if target <= local:
            target += timedelta(days=1)
        request = clock_pb.SetClockRequest()
        request.at.FromDatetime(target.astimezone(UTC))
        return self.crm.clock.SetClock(request).now.ToDatetime(tzinfo=UTC)


def _channels_settings(kind: ChannelKind, redis_url: str, redis_prefix: str, **values) -> ChannelsSettings:
    return ChannelsSettings(channel=kind, redis_url=redis_url, redis_prefix=redis_prefix, **values)


def start_mesh(
    stack: ExitStack,
    database_url: str,
    redis_url: str,
    redis_prefix: str,
    *,
    whatsapp_web: dict | None = None,
    whatsapp_cloud_addr: str | None = None,
    relay_interval_seconds: float = 0.05,
    conductor_values: dict | None = None,
) -> Mesh:
    """Starts the mesh inside `stack`; `whatsapp_web` (ChannelsSettings values) adds that channel;
    `whatsapp_cloud_addr` points the conductor at another WhatsApp Cloud channel (a recording one)
    instead of the real one against the Graph API stand-in; `conductor_values` changes ConductorSettings
    values."""
    engine = make_engine(database_url, 1)
    with make_sessionmaker(engine).begin() as session:
        seed_demo(session, DEFAULT_COMPANY_ID)
    engine.dispose()

    smtp = SmtpServer().start()
    stack.callback(smtp.stop)
    graph = GraphApiServer().start()
    stack.callback(graph.stop)
    crm = stack.enter_context(
        run_crm(
            CrmSettings(database_url=database_url, max_workers=16, test_clock=True, admin_token=ADMIN_TOKEN),
            port=0,
        )
    )
    # Offline by default; a company may pick an OpenAI-compatible endpoint by
    # base URL (a test's own fake). Never the developer's real key.
    ai = stack.enter_context(
        run_ai(
            AiSettings(
                env="development",
                internal_token=None,
                default_provider="offline",
                openai_api_key="sk-mesh-test-not-real",
                openai_base_url="http://127.0.0.1:9/v1",
                openai_max_retries=0,
                openai_timeout_seconds=5,
            ),
            port=0,
        )
    )
    email = stack.enter_context(
        run_channels(
            _channels_settings(
                ChannelKind.EMAIL,
                redis_url,
                redis_prefix,
                smtp_host="127.0.0.1",
                smtp_port=smtp.port,
                smtp_security="none",
                smtp_timeout_seconds=5,
            ),
            port=0,
        )
    )
    cloud = stack.enter_context(
        run_channels(
            _channels_settings(
                ChannelKind.WHATSAPP_CLOUD,
                redis_url,
                redis_prefix,
                whatsapp_cloud_graph_url=graph.url,
                whatsapp_cloud_api_version=graph.version,
                whatsapp_cloud_phone_id=graph.phone_id,
                whatsapp_cloud_token=graph.token,
                whatsapp_cloud_pair_gap_seconds=1.0,
                whatsapp_cloud_timeout_seconds=5,
            ),
            port=0,
        )
    )
    channel_addrs = {
        "email": f"localhost:{email.port}",
        "whatsapp_cloud": whatsapp_cloud_addr or f"localhost:{cloud.port}",
    }
    # WhatsApp Web hands its students' jobs to the conductor, which sends through it: its port is
    # chosen first, and it starts once the conductor listens.
    if whatsapp_web is not None:
        channel_addrs["whatsapp_web"] = f"localhost:{free_port()}"
    values = dict(
        redis_url=redis_url,
        redis_namespace=redis_prefix,
        crm_addr=f"localhost:{crm.port}",
        ai_addr=f"localhost:{ai.port}",
        channels_email_addr=channel_addrs["email"],
        channels_whatsapp_cloud_addr=channel_addrs["whatsapp_cloud"],
        # Unless asked for, nothing listens here: WhatsApp Web needs a browser.
        channels_whatsapp_web_addr=channel_addrs.get("whatsapp_web", f"localhost:{free_port()}"),
        relay_interval_seconds=relay_interval_seconds,
        dispatch_lease_seconds=2,
        run_lease_seconds=30,
        channels_timeout_seconds=10,
        ai_timeout_seconds=10,
        crm_timeout_seconds=5,
        max_attempts=3,
        retry_base_seconds=0.1,
        retry_max_seconds=0.5,
        # A backend down is waited out for two seconds here, not an hour.
        outage_max_seconds=2,
        outage_retry_base_seconds=0.1,
        outage_retry_max_seconds=0.5,
        lane_threads=4,
        poll_ms=20,
    )
    settings = ConductorSettings(**{**values, **(conductor_values or {})})
    conductor = stack.enter_context(run_conductor(settings, port=0))
    if whatsapp_web is not None:
        stack.enter_context(
            run_channels(
                _channels_settings(
                    ChannelKind.WHATSAPP_WEB,
                    redis_url,
                    redis_prefix,
                    crm_addr=f"localhost:{crm.port}",
                    conductor_addr=f"localhost:{conductor.port}",
                    dispatch_lease_seconds=settings.dispatch_lease_seconds,
                    **whatsapp_web,
                ),
                port=int(channel_addrs["whatsapp_web"].rsplit(":", 1)[1]),
            )
        )
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
        crm=CrmClient.over(crm_channel),
        conductor=conductor_service_pb2_grpc.ConductorServiceStub(conductor_channel),
        graph=graph,
        channel_addrs=channel_addrs,
    )
    for lane in ("p1", "p2"):
        worker = LaneWorker(settings, lane)
        worker.start()
        mesh.workers[lane] = worker
        stack.callback(worker.stop, 5.0)
    return mesh


@pytest.fixture
def whatsapp_cloud_addr() -> str | None:
    """Where the conductor reaches the WhatsApp Cloud channel: the mesh's own by default; a test
    module overrides this fixture to put a recording ChannelsService there."""
    return None


@pytest.fixture
def mesh(
    database_url: str, redis_url: str, redis_prefix: str, whatsapp_cloud_addr: str | None
) -> Iterator[Mesh]:
    with ExitStack() as stack:
        yield start_mesh(
            stack, database_url, redis_url, redis_prefix, whatsapp_cloud_addr=whatsapp_cloud_addr
        )


@pytest.fixture
def make_mesh(database_url: str, redis_url: str, redis_prefix: str) -> Iterator[Callable[..., Mesh]]:
    """Starts a mesh with options (see start_mesh), stopped after the test."""
    with ExitStack() as stack:
        yield lambda **options: start_mesh(stack, database_url, redis_url, redis_prefix, **options)
