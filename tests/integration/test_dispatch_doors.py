"""Every door of the mesh hands a new message's job to the conductor itself, by one rule.

The relay of these meshes passes once an hour, so a reply within seconds can only come from the
door's own hand-off (shvya_rpc.handover): a form, a WhatsApp Cloud webhook, a WhatsApp Web message.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import uuid

import pytest
from fastapi.testclient import TestClient
from grpc import aio

from shvya.conductor.v1 import conductor_service_pb2_grpc
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.type.v1 import channel_pb2
from shvya_channels.whatsapp_web_browser import Incoming
from shvya_channels.whatsapp_web_inbound import CrmForwarder
from shvya_crm.settings import DEFAULT_COMPANY_ID
from shvya_gateway.app import create_app
from shvya_gateway.dispatch import FastDispatch
from shvya_gateway.metrics import Metrics
from shvya_gateway.settings import GatewaySettings
from shvya_rpc.client import connect
from shvya_rpc.client import connect_aio as aio_connect
from shvya_rpc.crm_client import CrmClient
from shvya_rpc.handover import Leased, Outcome, hand_over
from shvya_testkit import meta_webhooks as meta
from shvya_testkit.ports import free_port

HOUR = 3600.0


@pytest.fixture
def mesh(make_mesh):
    return make_mesh(relay_interval_seconds=HOUR)


def _api(mesh) -> TestClient:
    return TestClient(
        create_app(
            GatewaySettings(
                crm_addr=mesh.crm_addr,
                conductor_addr=mesh.conductor_addr,
                channels_whatsapp_cloud_addr=mesh.channel_addrs["whatsapp_cloud"],
                whatsapp_verify_token=meta.VERIFY_TOKEN,
                whatsapp_app_secret=meta.APP_SECRET,
            )
        ),
        raise_server_exceptions=False,
    )


def _job_of_message(mesh, external_id: str) -> str:
    return mesh.sql(
        "SELECT j.id FROM jobs j JOIN messages m ON m.id::text = j.payload->>'message_id' "
        "WHERE m.external_id = %s",
        (external_id,),
    )[0][0]


def test_a_form_is_answered_without_the_relay(mesh):
    with _api(mesh) as api:
        response = api.post(
            "/inbound-message",
            json={
                "phone_number": f"98{uuid.uuid4().int % 10**8:08d}",
                "contact_name": "Rahul Kumar",
                "message_text": "Interested in Digital Marketing",
                "channel": "email",
                "email": "rahul.doors@example.com",
            },
        )
    mesh.wait_for_job(response.json()["job_id"], "completed", timeout=15)
    assert mesh.smtp.wait_for(1)


def test_a_whatsapp_cloud_message_is_answered_without_the_relay(mesh):
    mesh.crm.outreach.UpsertTemplate(
        outreach_pb.UpsertTemplateRequest(
            template=outreach_pb.Template(
                company_id=str(DEFAULT_COMPANY_ID),
                name="lead_intro_v1",
                channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
                language="en_US",
                body="Hi {first_name}, thanks for asking.",
                variables=["first_name"],
            )
        )
    )
    wamid = meta.new_wamid()
    raw, headers = meta.signed(meta.text_message("919812300001", "Priya", "fees for data science?", wamid))
    with _api(mesh) as api:
        assert api.post("/webhooks/whatsapp", content=raw, headers=headers).status_code == 200
    mesh.wait_for_job(_job_of_message(mesh, wamid), "completed", timeout=15)
    assert mesh.graph.wait_for(1)


def test_a_whatsapp_web_message_is_handed_to_the_conductor(mesh, redis_client, redis_prefix):
    # Given WhatsApp Web's forwarder to this mesh's crm and conductor
    forwarder = CrmForwarder(
        redis_client,
        key=f"{redis_prefix}:wa-web-doors",
        crm_addr=mesh.crm_addr,
        conductor_addr=mesh.conductor_addr,
        lease_seconds=int(HOUR),
        token=None,
        company_id="",
    )
    forwarder.start()
    try:
        # When a student writes to the linked number
        forwarder.incoming(Incoming("wa-web-doors-1", "919812300002", "Asha", "Is there EMI?"))
        # Then the job, leased for an hour at intake, still starts at once: the conductor has it
        mesh.wait_until(
            lambda: (
                mesh.sql("SELECT count(*) FROM jobs WHERE task_name = 'ai_engage' AND attempts > 0")[0][0]
                == 1
            ),
            timeout=15,
            what="the WhatsApp Web message's job to start",
        )
    finally:
        forwarder.stop()


def test_a_failed_hand_over_gives_the_lease_back_for_the_relay(mesh):
    # Given a message ingested with a dispatch lease, and a conductor that does not answer
    ingested = mesh.crm.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            phone_number="9812300003",
            contact_name="Ravi",
            message_text="hello",
            channel=channel_pb2.CHANNEL_EMAIL,
            email="ravi.doors@example.com",
            dispatch_lease_seconds=int(HOUR),
        )
    )
    leased = Leased.of(ingested)
    assert leased is not None
    with connect(f"127.0.0.1:{free_port()}") as nowhere:
        # When the door hands it over
        outcome = hand_over(
            mesh.crm, conductor_service_pb2_grpc.ConductorServiceStub(nowhere), [leased], timeout=1.0
        )
    # Then the lease is given back: the job is due for the relay now, not in an hour
    assert outcome == {leased.job_id: Outcome.RELEASED}
    assert mesh.sql("SELECT dispatch_until FROM jobs WHERE id = %s", (leased.job_id,)) == [(None,)]


class _CountedCalls(aio.UnaryUnaryClientInterceptor):
    """How many jobs each DispatchJobs call carried; with `hold`, the first call waits for it."""

    def __init__(self, hold: asyncio.Event | None = None) -> None:
        self.jobs_per_call: list[int] = []
        self.first_started = asyncio.Event()
        self._hold = hold

    async def intercept_unary_unary(self, continuation, client_call_details, request):
        self.jobs_per_call.append(len(request.leased_jobs))
        if len(self.jobs_per_call) == 1:
            self.first_started.set()
            if self._hold is not None:
                await self._hold.wait()
        return await continuation(client_call_details, request)


def _fast_dispatch(mesh, conductor_addr: str, counted: _CountedCalls, metrics: Metrics):
    """The gateway's FastDispatch over asyncio channels to the mesh; call inside the event loop."""
    crm = aio_connect(mesh.crm_addr)
    conductor = aio_connect(conductor_addr, deadline_seconds=2.0, interceptors=[counted])
    dispatch = FastDispatch(
        CrmClient.over(crm), conductor_service_pb2_grpc.ConductorServiceStub(conductor), metrics, 2.0
    )
    return dispatch, (crm, conductor)


def _outcomes(metrics: Metrics) -> dict[str, float]:
    return {
        result: metrics.registry.get_sample_value("shvya_gateway_fast_dispatch_total", {"result": result})
        for result in ("dispatched", "released", "lease_gone", "lease_kept")
    }


def _run(coroutine):
    """Runs the coroutine on an event loop of its own thread: a session-wide fixture (Playwright's
    sync API, for the console's tests) may keep a loop running in this one."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _leased_forms(mesh, count: int) -> list[Leased]:
    leased = []
    for _ in range(count):
        suffix = uuid.uuid4().int % 10**8
        ingested = mesh.crm.leads.IngestInboundMessage(
            leads_pb.IngestInboundMessageRequest(
                phone_number=f"+9198{suffix:08d}",
                contact_name="Meera",
                message_text="What is the fee?",
                channel=channel_pb2.CHANNEL_EMAIL,
                email=f"meera.{suffix}@example.com",
                dispatch_lease_seconds=int(HOUR),
            )
        )
        leased.append(Leased.of(ingested))
    return leased


def _hand_over_together(mesh, conductor_addr: str, jobs: list[Leased]) -> tuple[list[int], dict[str, float]]:
    """Hands each job over as a request of its own, all at once, through the gateway's FastDispatch."""
    metrics = Metrics()

    async def run() -> list[int]:
        counted = _CountedCalls()
        dispatch, channels = _fast_dispatch(mesh, conductor_addr, counted, metrics)
        try:
            await asyncio.gather(*(dispatch.hand_over([job]) for job in jobs))
        finally:
            for channel in channels:
                await channel.close()
        return counted.jobs_per_call

    return _run(run()), _outcomes(metrics)


def test_forms_that_arrive_together_are_handed_over_in_one_call_each_job_once(mesh):
    # Given six forms whose jobs are leased to the gateway
    jobs = _leased_forms(mesh, 6)

    # When their requests hand them over at the same moment
    calls, outcomes = _hand_over_together(mesh, mesh.conductor_addr, jobs)

    # Then one DispatchJobs call carried all six, each was dispatched, and each lead got one reply
    assert calls == [6]
    assert outcomes == {"dispatched": 6.0, "released": 0.0, "lease_gone": 0.0, "lease_kept": 0.0}
    for job in jobs:
        mesh.wait_for_job(job.job_id, "completed")
    mesh.smtp.wait_for(7, timeout=1.0)
    assert len(mesh.smtp.messages) == 6


def test_a_failed_batch_gives_every_lease_in_it_back_for_the_relay(mesh):
    # Given four leased jobs, and a conductor that does not answer
    jobs = _leased_forms(mesh, 4)

    # When their requests hand them over together
    calls, outcomes = _hand_over_together(mesh, f"127.0.0.1:{free_port()}", jobs)

    # Then each lease was given back, as a single failed hand-over gives back its own
    assert calls == [4]
    assert outcomes == {"dispatched": 0.0, "released": 4.0, "lease_gone": 0.0, "lease_kept": 0.0}
    for job in jobs:
        assert mesh.sql("SELECT dispatch_until FROM jobs WHERE id = %s", (job.job_id,)) == [(None,)]


def test_jobs_that_arrive_while_a_call_is_in_flight_go_together_in_the_next(mesh):
    # Given one form's job on its way to the conductor, in a call of its own
    first, *later = _leased_forms(mesh, 5)
    metrics = Metrics()

    async def run() -> list[int]:
        hold = asyncio.Event()
        counted = _CountedCalls(hold)
        dispatch, channels = _fast_dispatch(mesh, mesh.conductor_addr, counted, metrics)
        try:
            going = asyncio.ensure_future(dispatch.hand_over([first]))
            await counted.first_started.wait()
            # When four more forms hand theirs over before that call is answered
            waiting = asyncio.gather(*(dispatch.hand_over([job]) for job in later))
            await asyncio.sleep(0)
            hold.set()
            await asyncio.gather(going, waiting)
        finally:
            for channel in channels:
                await channel.close()
        return counted.jobs_per_call

    calls = _run(run())

    # Then they went in one call after it, and every job was dispatched once
    assert calls == [1, 4]
    assert _outcomes(metrics) == {"dispatched": 5.0, "released": 0.0, "lease_gone": 0.0, "lease_kept": 0.0}
    for job in (first, *later):
        mesh.wait_for_job(job.job_id, "completed")
    mesh.smtp.wait_for(6, timeout=1.0)
    assert len(mesh.smtp.messages) == 5
