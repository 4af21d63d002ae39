"""A company's own attempts and longest retry wait, from its settings in the real crm, applied by the
conductor's runner; the dead-letter reason names what failed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace

import grpc
import psycopg2
import pytest
import redis

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya_conductor.attempts import AttemptLimits
from shvya_conductor.outages import Outages
from shvya_conductor.runner import RetryLater, Runner, TaskContext
from shvya_conductor.settings import ConductorSettings
from shvya_crm.server import run_server as run_crm
from shvya_crm.settings import CrmSettings
from shvya_rpc.client import connect
from shvya_rpc.crm_client import CrmClient
from shvya_rpc.errors import field_violations
from shvya_testkit.ports import free_port

TASK = "sequence_step"


@pytest.fixture
def crm(database_url: str) -> Iterator[CrmClient]:
    settings = CrmSettings(env="development", database_url=database_url, internal_token=None, max_workers=8)
    with run_crm(settings, port=0) as server:
        channel = connect(f"127.0.0.1:{server.port}")
        yield CrmClient.over(channel)
        channel.close()


def company(crm: CrmClient, **values) -> str:
    company_id = str(uuid.uuid4())
    crm.outreach.UpdateCompanySettings(
        outreach_pb.UpdateCompanySettingsRequest(
            settings=outreach_pb.CompanySettings(company_id=company_id, name="Attempts Academy", **values)
        )
    )
    return company_id


def runner(crm: CrmClient, redis_url: str, redis_prefix: str, fail) -> Runner:
    settings = ConductorSettings(max_attempts=5, retry_base_seconds=15, retry_max_seconds=600)
    outages = Outages(redis.Redis.from_url(redis_url), redis_prefix, max_seconds=60, base=1, cap=5)
    clients = SimpleNamespace(crm=crm, channel_addresses={})
    return Runner(TaskContext(settings, clients), {TASK: fail}, outages)


def failing(ctx, job):
    raise RetryLater("email: SMTP answered 451 try again later")


def sql(database_url: str, statement: str, params: tuple = ()) -> list[tuple]:
    conn = psycopg2.connect(database_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement, params)
            return cur.fetchall() if cur.description else []
    finally:
        conn.close()


def run_until_settled(run: Runner, database_url: str, job_id: str, times: int) -> list[tuple]:
    """Runs the job `times` times, each time as soon as it is due; its (status, attempts, run_at)."""
    seen = []
    for _ in range(times):
        sql(database_url, "UPDATE jobs SET run_at = now() WHERE id = %s", (job_id,))
        before = datetime.now(UTC)
        run.run(job_id)
        [(status, attempts, run_at)] = sql(
            database_url, "SELECT status, attempts, run_at FROM jobs WHERE id = %s", (job_id,)
        )
        seen.append((status, attempts, (run_at - before).total_seconds()))
    return seen


def schedule(crm: CrmClient, company_id: str) -> str:
    return crm.jobs.ScheduleJob(
        jobs_pb.ScheduleJobRequest(
            task_name=TASK, priority=70, company_id=company_id, idempotency_key=f"attempts-{uuid.uuid4()}"
        )
    ).job.id


def test_a_company_with_two_attempts_dead_letters_after_the_second(
    crm, database_url, redis_url, redis_prefix
):
    company_id = company(crm, max_attempts=2)
    job_id = schedule(crm, company_id)

    seen = run_until_settled(runner(crm, redis_url, redis_prefix, failing), database_url, job_id, 2)

    assert [(s, a) for s, a, _ in seen] == [("failed", 1), ("dlq", 2)]


def test_a_companys_longest_wait_caps_the_backoff(crm, database_url, redis_url, redis_prefix):
    company_id = company(crm, retry_max_seconds=10)
    job_id = schedule(crm, company_id)

    seen = run_until_settled(runner(crm, redis_url, redis_prefix, failing), database_url, job_id, 3)

    assert all(status == "failed" for status, _, _ in seen)
    assert max(wait for _, _, wait in seen) <= 10 * 1.2 + 1


def test_a_company_without_its_own_settings_gets_the_conductors(crm, database_url, redis_url, redis_prefix):
    job_id = schedule(crm, company(crm))

    seen = run_until_settled(runner(crm, redis_url, redis_prefix, failing), database_url, job_id, 5)

    assert [s for s, _, _ in seen] == ["failed"] * 4 + ["dlq"]
    assert seen[2][2] >= 60 * 0.8 - 1  # the third wait is a minute: 15 s doubling


def test_the_dead_letter_reason_names_the_backend_that_failed(crm, database_url, redis_url, redis_prefix):
    job_id = schedule(crm, company(crm, max_attempts=1))

    run_until_settled(runner(crm, redis_url, redis_prefix, failing), database_url, job_id, 1)

    [(reason,)] = sql(database_url, "SELECT error_message FROM jobs WHERE id = %s", (job_id,))
    assert reason.startswith("email: SMTP")


def test_attempt_settings_out_of_bounds_are_refused_naming_the_field(crm):
    with pytest.raises(grpc.RpcError) as refused:
        company(crm, max_attempts=0, retry_max_seconds=90000)
    assert set(field_violations(refused.value)) == {"settings.max_attempts", "settings.retry_max_seconds"}


def test_a_crm_that_cannot_answer_leaves_the_conductors_limits():
    channel = connect(f"127.0.0.1:{free_port()}")
    limits = AttemptLimits(
        CrmClient.over(channel), ConductorSettings(max_attempts=4, crm_timeout_seconds=0.5)
    )

    assert limits.for_company(str(uuid.uuid4())).max_attempts == 4
    channel.close()
