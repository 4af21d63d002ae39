"""A student's data on request through the REST API, against a real crm, PostgreSQL and Redis: an
admin erases a lead (its rows, its rate-limit counters and its send-ledger entries) and exports one."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import redis
from fastapi.testclient import TestClient

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_channels.ledger import SendLedger
from shvya_channels.outcome import Kind, Outcome
from shvya_crm.server import run_server as run_crm
from shvya_crm.settings import CrmSettings
from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_rpc.client import connect
from shvya_rpc.crm_client import CrmClient
from shvya_testkit.ports import free_port
from shvya_testkit.postgres import query

TOKEN = "admin-token-for-tests-0123"
PHONE = "+919812340077"
EMAIL = "priya.erase@example.com"


@dataclass
class World:
    api: TestClient
    crm: CrmClient
    redis: redis.Redis
    prefix: str
    database_url: str

    def form(self, text: str = "Fees for the data science course?") -> dict:
        response = self.api.post(
            "/inbound-message",
            json={
                "phone_number": PHONE,
                "contact_name": "Priya Sharma",
                "message_text": text,
                "channel": "email",
                "email": EMAIL,
            },
        )
        assert response.status_code == 200, response.text
        return response.json()

    def lead_of(self, message_id: str) -> str:
        [(lead_id,)] = query(self.database_url, "SELECT lead_id FROM messages WHERE id = %s", (message_id,))
        return str(lead_id)

    def redis_keys(self) -> list[str]:
        return [k.decode() for k in self.redis.scan_iter(match=f"{self.prefix}:*", count=1000)]


@pytest.fixture
def world(database_url: str, redis_url: str, redis_client: redis.Redis) -> Iterator[World]:
    prefix = f"shvya_test_{uuid.uuid4().hex[:10]}"
    settings = CrmSettings(
        env="development", database_url=database_url, internal_token=None, max_workers=8, admin_token=TOKEN
    )
    with run_crm(settings, port=0) as crm:
        gateway = GatewaySettings(
            crm_addr=f"127.0.0.1:{crm.port}",
            conductor_addr=f"127.0.0.1:{free_port()}",
            admin_token=TOKEN,
            redis_url=redis_url,
            redis_prefix=prefix,
            request_timeout_seconds=5,
        )
        channel = connect(f"127.0.0.1:{crm.port}")
        with TestClient(create_app(gateway), raise_server_exceptions=False) as client:
            client.headers["Authorization"] = f"Bearer {TOKEN}"
            yield World(client, CrmClient.over(channel), redis_client, prefix, database_url)
        channel.close()
    for key in redis_client.scan_iter(match=f"{prefix}:*", count=1000):
        redis_client.delete(key)


def sent_reply(world: World, lead_id: str) -> str:
    """A reply the email channel sent, remembered in its send ledger under the conductor's key."""
    message = world.crm.conversations.ReserveOutboundMessage(
        conversations_pb.ReserveOutboundMessageRequest(
            lead_id=lead_id,
            channel=channel_pb2.CHANNEL_EMAIL,
            text="Hello Priya",
            idempotency_key=f"reply-{lead_id}",
            purpose=crm_pb.SEND_PURPOSE_REPLY,
        )
    ).message
    ledger = SendLedger(world.redis, prefix=world.prefix, lease_seconds=60, memory_seconds=3600)
    claim = ledger.begin(f"message:{message.id}")
    ledger.finish(claim, Outcome(Kind.SENT, external_id="<m1@mail.example>"))
    return message.id


def test_an_admin_erases_a_lead_everywhere_and_the_same_phone_is_a_new_lead_later(world):
    # Given a lead who wrote through the form and was answered
    lead_id = world.lead_of(world.form()["message_id"])
    reply_id = sent_reply(world, lead_id)
    assert any(PHONE.lstrip("+") in k for k in world.redis_keys())  # the rate limits counted the phone
    assert f"{world.prefix}:channels:send:message:{reply_id}" in world.redis_keys()

    # When an admin erases it
    response = world.api.post(f"/admin/leads/{lead_id}/erase", json={"reason": "request 2026-118"})

    # Then nothing of the student is left in PostgreSQL or Redis
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["erased"] is True
    assert report["redis_keys_deleted"] >= 2
    assert not [k for k in world.redis_keys() if PHONE.lstrip("+") in k or "send:message" in k]
    assert query(
        world.database_url, "SELECT count(*) FROM leads WHERE phone = %s OR email = %s", (PHONE, EMAIL)
    ) == [(0,)]
    [(actor,)] = query(world.database_url, "SELECT actor FROM events WHERE type = 'lead.erased'")
    assert actor == "platform"
    # and the same number writing again is a new lead
    again = world.lead_of(world.form("Hello again, any batches in June?")["message_id"])
    assert again != lead_id


def test_the_export_is_a_json_file_with_the_leads_messages_and_consents(world):
    lead_id = world.lead_of(world.form()["message_id"])
    world.api.post(f"/leads/{lead_id}/consent", json={"action": "opt_out", "source": "api"})

    response = world.api.get(f"/admin/leads/{lead_id}/export")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"] == f'attachment; filename="lead-{lead_id}.json"'
    document = json.loads(response.content)
    assert document["lead"]["phone"] == PHONE
    assert [m["text"] for m in document["messages"]] == ["Fees for the data science course?"]
    assert [c["action"] for c in document["consents"]] == ["opt_out"]


def test_erasing_an_unknown_lead_is_404(world):
    response = world.api.post(f"/admin/leads/{uuid.uuid4()}/erase")
    assert response.status_code == 404


def test_erasure_without_an_admin_credential_is_refused(world):
    response = world.api.post(f"/admin/leads/{uuid.uuid4()}/erase", headers={"Authorization": ""})
    assert response.status_code == 401


def test_the_privacy_routes_are_documented(world):
    paths = world.api.get("/openapi.json").json()["paths"]
    assert paths["/admin/leads/{lead_id}/erase"]["post"]["summary"]
    assert "application/json" in paths["/admin/leads/{lead_id}/export"]["get"]["responses"]["200"]["content"]
