"""The crm's clock owns every due time, and a test may move it forward."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from fastapi.testclient import TestClient

from shvya.crm.v1 import clock_service_pb2 as clock_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.type.v1 import channel_pb2
from shvya_crm.server import run_server
from shvya_crm.settings import CrmSettings
from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_rpc.client import connect
from shvya_rpc.crm_client import CrmClient
from shvya_testkit.postgres import query


@pytest.fixture
def crm(database_url: str) -> Iterator[tuple[CrmClient, str]]:
    settings = CrmSettings(database_url=database_url, test_clock=True)
    with run_server(settings, port=0) as server, connect(f"localhost:{server.port}") as channel:
        yield CrmClient.over(channel), f"localhost:{server.port}"


def ingest(stub) -> leads_pb.IngestInboundMessageResponse:
    return stub.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            phone_number=f"+9198{uuid.uuid4().int % 10**8:08d}",
            contact_name="Asha",
            message_text="Fee for data science?",
            channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
        )
    )


def now(stub) -> datetime:
    return stub.clock.GetClock(clock_pb.GetClockRequest()).now.ToDatetime(tzinfo=UTC)


def test_a_retry_becomes_due_when_the_clock_reaches_it(crm):
    stub, _ = crm
    job_id = ingest(stub).job_id
    assert stub.jobs.StartJob(jobs_pb.StartJobRequest(job_id=job_id)).proceed
    stub.jobs.FailJob(
        jobs_pb.FailJobRequest(job_id=job_id, error_message="smtp down", retry_after_seconds=3600)
    )
    assert [j.id for j in stub.jobs.ClaimDueJobs(jobs_pb.ClaimDueJobsRequest(limit=10)).jobs] == []
    stub.clock.SetClock(clock_pb.SetClockRequest(advance_seconds=3601))
    assert [j.id for j in stub.jobs.ClaimDueJobs(jobs_pb.ClaimDueJobsRequest(limit=10)).jobs] == [job_id]


def test_a_deferred_job_waits_without_spending_its_attempt(crm, database_url):
    stub, _ = crm
    job_id = ingest(stub).job_id
    assert stub.jobs.StartJob(jobs_pb.StartJobRequest(job_id=job_id)).job.attempts == 1
    deferred = stub.jobs.DeferJob(
        jobs_pb.DeferJobRequest(job_id=job_id, delay_seconds=60, reason="number is pacing")
    )
    assert (deferred.job.status, deferred.job.attempts) == (jobs_pb.JOB_STATUS_QUEUED, 0)
    assert not stub.jobs.StartJob(jobs_pb.StartJobRequest(job_id=job_id)).proceed  # not due yet
    stub.clock.SetClock(clock_pb.SetClockRequest(advance_seconds=61))
    assert stub.jobs.StartJob(jobs_pb.StartJobRequest(job_id=job_id)).job.attempts == 1
    [(reason,)] = query(
        database_url,
        "SELECT data->>'reason' FROM events WHERE type = 'job.deferred' AND entity_id = %s",
        (job_id,),
    )
    assert reason == "number is pacing"


def test_what_the_crm_writes_is_stamped_with_its_clock(crm, database_url):
    stub, _ = crm
    stub.clock.SetClock(clock_pb.SetClockRequest(advance_seconds=3 * 24 * 3600))
    crm_now = now(stub)
    lead_id = ingest(stub).lead_id
    [(created, inbound)] = query(
        database_url, "SELECT created_at, last_inbound_at FROM leads WHERE id = %s", (lead_id,)
    )
    assert abs(created - crm_now) < timedelta(seconds=5)
    assert inbound == created
    assert created - datetime.now(UTC) > timedelta(days=2)


def test_the_clock_never_moves_backwards(crm):
    stub, _ = crm
    past = clock_pb.SetClockRequest()
    past.at.FromDatetime(datetime.now(UTC) - timedelta(hours=1))
    with pytest.raises(grpc.RpcError) as refused:
        stub.clock.SetClock(past)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_moving_the_clock_is_refused_unless_the_test_clock_is_enabled(database_url):
    settings = CrmSettings(database_url=database_url)
    with run_server(settings, port=0) as server, connect(f"localhost:{server.port}") as channel:
        stub = CrmClient.over(channel)
        assert not stub.clock.GetClock(clock_pb.GetClockRequest()).controllable
        with pytest.raises(grpc.RpcError) as refused:
            stub.clock.SetClock(clock_pb.SetClockRequest(advance_seconds=60))
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "CRM_TEST_CLOCK" in refused.value.details()


def test_the_gateway_moves_the_clock_for_an_admin(crm):
    stub, address = crm
    settings = GatewaySettings(crm_addr=address, conductor_addr=address)
    with TestClient(create_app(settings), raise_server_exceptions=False) as api:
        before = now(stub)
        moved = api.post("/admin/clock", json={"advance_seconds": 86400})
        assert moved.status_code == 200
        assert now(stub) - before >= timedelta(days=1)
        assert api.get("/admin/clock").json()["controllable"] is True
        assert api.post("/admin/clock", json={}).status_code == 422
        assert (
            api.post("/admin/clock", json={"advance_seconds": 5, "at": "2030-01-01T00:00:00Z"}).status_code
            == 422
        )


@pytest.mark.parametrize(
    ("body", "field"),
    [({"at": "9999-12-31T23:59:59Z"}, "at"), ({"advance_seconds": 1e18}, "advance_seconds")],
)
def test_a_move_beyond_what_dates_can_hold_is_refused_and_the_crm_keeps_working(crm, body, field):
    # Accepted, such a move would leave every later call failing on a date out of range,
    # for good: the offset is stored and the clock never moves back.
    stub, address = crm
    settings = GatewaySettings(crm_addr=address, conductor_addr=address)
    with TestClient(create_app(settings), raise_server_exceptions=False) as api:
        refused = api.post("/admin/clock", json=body)
        assert refused.status_code == 422
        assert [e["loc"][-1] for e in refused.json()["detail"]] == [field]
        assert api.get("/admin/clock").status_code == 200
    assert ingest(stub).message_id


def test_the_test_clock_is_refused_outside_development():
    with pytest.raises(ValueError, match="CRM_TEST_CLOCK"):
        CrmSettings(env="production", internal_token="x" * 32, test_clock=True)


def test_a_restarted_crm_resumes_the_time_the_test_moved_it_to(crm, database_url):
    stub, _ = crm
    moved_to = stub.clock.SetClock(clock_pb.SetClockRequest(advance_seconds=3 * 24 * 3600)).now.ToDatetime(
        tzinfo=UTC
    )
    # When a second crm process starts on the same database (as a restarted one does)
    settings = CrmSettings(database_url=database_url, test_clock=True)
    with run_server(settings, port=0) as server, connect(f"localhost:{server.port}") as channel:
        restarted = now(CrmClient.over(channel))
    # Then it does not travel back to the system time
    assert restarted >= moved_to
    assert restarted - datetime.now(UTC) > timedelta(days=2, hours=23)


def test_a_crm_without_the_test_clock_ignores_a_stored_offset(crm, database_url):
    stub, _ = crm
    stub.clock.SetClock(clock_pb.SetClockRequest(advance_seconds=3 * 24 * 3600))
    settings = CrmSettings(database_url=database_url)
    with run_server(settings, port=0) as server, connect(f"localhost:{server.port}") as channel:
        real = now(CrmClient.over(channel))
    assert abs(real - datetime.now(UTC)) < timedelta(minutes=1)
