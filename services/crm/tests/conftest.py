"""A real crm gRPC server on a free port, over the session's migrated PostgreSQL database.

One server serves the whole session; `crm` empties the database before each
test (through the root `database_url` fixture) and hands the test a stub plus
small SQL helpers for its Given and Then steps.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import grpc
import psycopg2
import pytest
from argon2 import PasswordHasher

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import users_service_pb2 as users_pb
from shvya.type.v1 import channel_pb2
from shvya_crm.leads.companies import ensure_company
from shvya_crm.people import api_keys, roles
from shvya_crm.people.principals import PLATFORM
from shvya_crm.seed import seed_demo
from shvya_crm.server import run_server
from shvya_crm.settings import DEFAULT_COMPANY_ID, CrmSettings
from shvya_crm.storage.db import make_engine, make_sessionmaker
from shvya_rpc.client import connect
from shvya_rpc.crm_client import CrmClient

# The tables intake and the ledger write to; a request that "writes nothing"
# leaves every count here unchanged.
WRITTEN_TABLES = (
    "companies",
    "pipelines",
    "stages",
    "leads",
    "lead_contacts",
    "messages",
    "events",
    "jobs",
    "ai_sessions",
    "ai_kb_docs",
    "ai_models",
)

# The platform operator's ADMIN_TOKEN, as the test crm knows it.
PLATFORM_TOKEN = "platform-operator-token-for-tests"

FORM = {
    "phone_number": "9876543210",
    "contact_name": "Rahul Kumar",
    "message_text": "Interested in the Digital Marketing course",
    "channel": channel_pb2.CHANNEL_WHATSAPP_WEB,
    "source": "form",
}


def crm_settings(database_url: str, **overrides: Any) -> CrmSettings:
    values: dict[str, Any] = {
        "env": "development",
        "database_url": database_url,
        "internal_token": None,
        "host": "127.0.0.1",
        "max_workers": 16,
        "db_pool_size": 8,
        "admin_token": PLATFORM_TOKEN,
    }
    values.update(overrides)
    return CrmSettings(**values)


@dataclass
class Crm:
    stub: CrmClient
    database_url: str
    settings: CrmSettings

    # -- Given / When -------------------------------------------------------

    def ingest(self, **overrides: Any) -> leads_pb.IngestInboundMessageResponse:
        return self.stub.leads.IngestInboundMessage(
            leads_pb.IngestInboundMessageRequest(**{**FORM, **overrides})
        )

    def add_job(
        self,
        *,
        priority: int,
        task_name: str = "sequence_step",
        run_at: datetime | None = None,
        status: str = "queued",
    ) -> str:
        """A job as the conductor's schedulers would write it (no RPC creates arbitrary jobs)."""
        job_id = str(uuid.uuid4())
        self.sql(
            "INSERT INTO jobs (id, task_name, priority, idempotency_key, status, run_at) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (job_id, task_name, priority, f"{task_name}_{job_id}", status, run_at or datetime.now(UTC)),
        )
        return job_id

    # -- Then ---------------------------------------------------------------

    def sql(self, statement: str, params: tuple = ()) -> list[tuple]:
        """Runs one statement in its own committed transaction."""
        conn = psycopg2.connect(self.database_url)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(statement, params)
                return cur.fetchall() if cur.description else []
        finally:
            conn.close()

    def scalar(self, statement: str, params: tuple = ()) -> Any:
        rows = self.sql(statement, params)
        return rows[0][0] if rows else None

    def count(self, table: str, where: str = "TRUE", params: tuple = ()) -> int:
        return self.scalar(f"SELECT count(*) FROM {table} WHERE {where}", params)

    def counts(self) -> dict[str, int]:
        return {table: self.count(table) for table in WRITTEN_TABLES}

    def event_types(self, where: str = "TRUE", params: tuple = ()) -> list[str]:
        return [t for (t,) in self.sql(f"SELECT type FROM events WHERE {where} ORDER BY id", params)]


@pytest.fixture(scope="session")
def crm_server(migrated_database_url: str) -> Iterator[tuple[str, CrmSettings]]:
    settings = crm_settings(migrated_database_url)
    with run_server(settings, port=0) as running:
        yield f"127.0.0.1:{running.port}", settings


@pytest.fixture(scope="session")
def crm_channel(crm_server) -> Iterator[grpc.Channel]:
    address, _ = crm_server
    channel = connect(address)
    grpc.channel_ready_future(channel).result(timeout=10)
    yield channel
    channel.close()


@pytest.fixture
def crm(database_url: str, crm_server, crm_channel: grpc.Channel) -> Crm:
    """The crm over gRPC, with an empty database."""
    _, settings = crm_server
    return Crm(stub=CrmClient.over(crm_channel), database_url=database_url, settings=settings)


@pytest.fixture
def demo(crm: Crm) -> Crm:
    """The crm with the demo company and its catalogue, as `make seed` leaves them."""
    engine = make_engine(crm.database_url, 1)
    try:
        with make_sessionmaker(engine).begin() as session:
            seed_demo(session, DEFAULT_COMPANY_ID)
    finally:
        engine.dispose()
    return crm


@pytest.fixture(scope="session")
def make_crm_settings():
    """Builds CrmSettings for a test's own server: `make_crm_settings(url, internal_token=...)`."""
    return crm_settings


# -- People: two companies with one of everything, a credential for every kind of caller ------

PASSWORD = "correct horse battery"


@dataclass
class Company:
    id: str
    ids: dict[str, str] = field(default_factory=dict)  # kind of entity -> its id
    credentials: dict[str, str] = field(default_factory=dict)  # kind of caller -> credential
    user_ids: dict[str, str] = field(default_factory=dict)


@functools.cache
def _cheap_hash() -> str:
    """An argon2 hash of PASSWORD with the smallest parameters: verifying reads the parameters from
    the hash, so signing in the world's people costs milliseconds, not a second each."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


def _insert(sql, table: str, **values) -> str:
    values.setdefault("id", str(uuid.uuid4()))
    columns = ", ".join(values)
    marks = ", ".join(["%s"] * len(values))
    sql(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values()))
    return values["id"]


def build_company(sql, database_url: str, crm_users, name: str) -> Company:
    company = Company(id=str(uuid.uuid4()))
    c = company.id
    engine = make_engine(database_url, 1)
    try:
        with make_sessionmaker(engine).begin() as session:
            ensure_company(session, uuid.UUID(c), name)
        company.ids["lead"] = lead = _insert(
            sql, "leads", company_id=c, phone=f"+9198{uuid.uuid4().int % 10**8:08d}", channel="email"
        )
        company.ids.update(
            message=_insert(
                sql,
                "messages",
                company_id=c,
                lead_id=lead,
                channel="email",
                direction="inbound",
                status="received",
                text="hello",
            ),
            document=_insert(sql, "ai_kb_docs", company_id=c, title="Fees", content="Rs 100"),
            question=_insert(sql, "unanswered_questions", company_id=c, lead_id=lead, question="EMI?"),
            template=_insert(sql, "templates", company_id=c, name="t", channel="email", body="Hi"),
            sequence=_insert(sql, "sequences", company_id=c, name="s"),
            subscription=_insert(sql, "webhook_subscriptions", company_id=c, url="https://example.invalid/h"),
        )
        company.ids["enrolment"] = _insert(
            sql, "sequence_enrolments", company_id=c, sequence_id=company.ids["sequence"], lead_id=lead
        )
        for role in (roles.OWNER, roles.ADMIN, roles.COUNSELLOR, "victim"):
            company.user_ids[role] = _insert(
                sql,
                "users",
                company_id=c,
                email=f"{role}@{name}.example",
                name=role,
                role=roles.COUNSELLOR if role == "victim" else role,
                password_hash=_cheap_hash(),
            )
        with make_sessionmaker(engine).begin() as session:
            _, secret = api_keys.create(session, PLATFORM, uuid.UUID(c), "all", list(roles.API_KEY_SCOPES))
            company.credentials["api_key_all_scopes"] = secret
            _, secret = api_keys.create(session, PLATFORM, uuid.UUID(c), "intake only", [roles.INTAKE])
            company.credentials["api_key_intake_only"] = secret
            victim_key, _ = api_keys.create(session, PLATFORM, uuid.UUID(c), "victim", [roles.LEADS_READ])
            company.ids["api_key"] = str(victim_key.id)
    finally:
        engine.dispose()
    company.ids["user"] = company.user_ids["victim"]
    for role in (roles.OWNER, roles.ADMIN, roles.COUNSELLOR):
        company.credentials[role] = login(crm_users, c, f"{role}@{name}.example")
    return company


def login(crm_users, company_id: str, email: str, password: str = PASSWORD) -> str:
    return crm_users.Login(
        users_pb.LoginRequest(company_id=company_id, email=email, password=password)
    ).session_token


def as_(credential: str | None) -> list[tuple[str, str]]:
    return [] if credential is None else [("x-shvya-credential", credential)]


def code_of(call) -> grpc.StatusCode:
    try:
        call()
    except grpc.RpcError as exc:
        return exc.code()
    return grpc.StatusCode.OK


class People:
    """The helpers of the sign-in and authorisation tests, handed over as one fixture."""

    PASSWORD = PASSWORD
    PLATFORM_TOKEN = PLATFORM_TOKEN
    build_company = staticmethod(build_company)
    login = staticmethod(login)
    as_ = staticmethod(as_)
    code_of = staticmethod(code_of)


@pytest.fixture(scope="session")
def people() -> type[People]:
    return People
