"""webhook_reminder in the mesh: a company's URL receives signed JSON for the events it chose,
raised from the crm's own audit events; failures retry with backoff, then dead-letter."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import redis

from shvya.conductor.v1 import conductor_service_pb2 as conductor_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.type.v1 import channel_pb2
from shvya_conductor.clients import make_clients
from shvya_conductor.outages import Outages
from shvya_conductor.runner import Runner, TaskContext
from shvya_conductor.tasks import task_functions
from shvya_crm import reactions
from shvya_crm.storage import events
from shvya_crm.storage.clock import Clock
from shvya_crm.storage.db import Database, make_engine, make_sessionmaker
from shvya_crm.storage.models import Lead


@dataclass
class Delivery:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A company's webhook endpoint on 127.0.0.1: answers with `statuses` in turn, then 200."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def accepted(self) -> list[Delivery]:
        with self.lock:
            return [d for d, s in zip(self.deliveries, self.answered, strict=True) if s == 200]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with state.lock:
                status = state.statuses.pop(0) if state.statuses else 200
                state.deliveries.append(Delivery({k.lower(): v for k, v in self.headers.items()}, body))
                state.answered.append(status)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/shvya"
    yield state
    server.shutdown()
    server.server_close()


def company_id(mesh) -> str:
    return str(mesh.sql("SELECT id FROM companies")[0][0])


def subscribe(mesh, receiver: Receiver, names: list[str]) -> str:
    reply = mesh.crm.outreach.UpsertWebhookSubscription(
        outreach_pb.UpsertWebhookSubscriptionRequest(
            subscription=outreach_pb.WebhookSubscription(
                company_id=company_id(mesh), url=receiver.url, events=names, active=True
            )
        )
    )
    return reply.secret


def ingest(mesh, text: str = "Fee for data science?") -> leads_pb.IngestInboundMessageResponse:
    number = f"+9195{uuid.uuid4().int % 10**8:08d}"
    result = mesh.crm.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            phone_number=number,
            contact_name="Kavya Iyer",
            message_text=text,
            channel=channel_pb2.CHANNEL_EMAIL,
            email=f"kavya.{number[-8:]}@example.com",
        )
    )
    mesh.conductor.DispatchJobs(conductor_pb.DispatchJobsRequest(job_ids=[result.job_id]))
    return result


def webhook_jobs(mesh) -> list[tuple[str, str, int]]:
    return mesh.sql(
        "SELECT payload->>'event', status, attempts FROM jobs WHERE task_name = 'webhook_reminder' "
        "ORDER BY created_at"
    )


def record_event(mesh, type_: str, lead_id: str, status: str | None = None) -> None:
    """Records an audit event the way any crm code path does (the AI's hand-off, for example)."""
    engine = make_engine(mesh.database_url, 1)
    try:
        with Database(make_sessionmaker(engine), Clock(), reactions.subscriptions()).transaction() as session:
            lead = session.get(Lead, uuid.UUID(lead_id))
            if status:
                lead.status = status
            events.record(session, type_, "lead", lead.id, company_id=lead.company_id, lead_id=lead.id)
    finally:
        engine.dispose()


def test_a_new_lead_is_posted_as_signed_json(mesh, receiver):
    secret = subscribe(mesh, receiver, ["lead.created"])
    lead = ingest(mesh)
    mesh.wait_until(lambda: receiver.accepted(), what="the lead.created webhook")
    [delivery] = receiver.accepted()
    expected = "sha256=" + hmac.new(secret.encode(), delivery.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(delivery.headers["x-shvya-signature-256"], expected)
    assert delivery.headers["x-shvya-event"] == "lead.created"
    assert delivery.headers["content-type"] == "application/json"
    body = delivery.json
    assert (body["type"], body["company_id"], body["lead"]["id"]) == (
        "lead.created",
        company_id(mesh),
        lead.lead_id,
    )
    assert body["lead"]["name"] == "Kavya Iyer"


def test_a_company_without_a_subscription_gets_no_webhook_job(mesh, receiver):
    result = ingest(mesh)
    mesh.wait_for_job(result.job_id, "completed")
    assert webhook_jobs(mesh) == []


def test_only_the_subscribed_events_are_posted(mesh, receiver):
    subscribe(mesh, receiver, ["opted_out", "hand_off", "enrolled", "lead.hot"])
    stopper = ingest(mesh, "STOP")
    mesh.wait_until(lambda: len(receiver.accepted()) == 1, what="the opted_out webhook")
    other = ingest(mesh)
    record_event(mesh, "lead.hot", other.lead_id)
    record_event(mesh, "lead.handed_off", other.lead_id, status="handed_off")
    record_event(mesh, "lead.enrolled", other.lead_id, status="enrolled")
    mesh.wait_until(lambda: len(receiver.accepted()) == 4, what="four webhooks")
    types = sorted(d.json["type"] for d in receiver.accepted())
    assert types == ["enrolled", "hand_off", "lead.hot", "opted_out"]  # no lead.created
    [opted_out] = [d.json for d in receiver.accepted() if d.json["type"] == "opted_out"]
    assert opted_out["lead"]["id"] == stopper.lead_id
    assert opted_out["data"]["source"] == "keyword"


def test_a_failing_endpoint_is_retried_with_backoff_and_delivered_once_it_recovers(mesh, receiver):
    subscribe(mesh, receiver, ["lead.created"])
    receiver.statuses = [500, 503]
    ingest(mesh)
    mesh.wait_until(lambda: receiver.accepted(), what="the delivery after two failures")
    assert receiver.answered == [500, 503, 200]
    mesh.wait_until(lambda: webhook_jobs(mesh) == [("lead.created", "completed", 3)], what="job completion")
    # Every attempt carried the same delivery id, so the company can de-duplicate
    assert len({d.headers["x-shvya-delivery"] for d in receiver.deliveries}) == 1


def test_an_endpoint_that_keeps_failing_ends_in_the_dead_letter_queue(mesh, receiver):
    subscribe(mesh, receiver, ["lead.created"])
    receiver.statuses = [500] * 10
    ingest(mesh)
    mesh.wait_until(lambda: webhook_jobs(mesh) and webhook_jobs(mesh)[0][1] == "dlq", what="the dead letter")
    assert webhook_jobs(mesh) == [("lead.created", "dlq", mesh.conductor_settings.max_attempts)]
    assert len(receiver.deliveries) == mesh.conductor_settings.max_attempts
    # An admin replays it once the endpoint works again
    receiver.statuses = []
    mesh.conductor.ReplayDeadLetters(conductor_pb.ReplayDeadLettersRequest(max_jobs=10))
    mesh.wait_until(lambda: receiver.accepted(), what="the replayed delivery")
    mesh.wait_until(lambda: webhook_jobs(mesh)[0][1] == "completed", what="completion")


def test_a_deleted_subscription_posts_nothing_more(mesh, receiver):
    subscribe(mesh, receiver, ["lead.created"])
    mesh.workers["p2"].stop(5.0)
    ingest(mesh)
    [(subscription_id,)] = mesh.sql("SELECT id FROM webhook_subscriptions")
    mesh.crm.outreach.DeleteWebhookSubscription(
        outreach_pb.DeleteWebhookSubscriptionRequest(subscription_id=str(subscription_id))
    )
    [(job_id,)] = mesh.sql("SELECT id FROM jobs WHERE task_name = 'webhook_reminder'")
    settings = mesh.conductor_settings
    clients, client = make_clients(settings), redis.Redis.from_url(settings.redis_url)
    try:
        outages = Outages(client, settings.redis_namespace, max_seconds=2, base=0.1, cap=0.5)
        Runner(TaskContext(settings, clients), task_functions(), outages).run(str(job_id))
    finally:
        clients.close()
        client.close()
    assert receiver.deliveries == []
    assert mesh.job_status(str(job_id)) == "completed"
