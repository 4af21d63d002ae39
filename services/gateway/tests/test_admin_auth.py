"""Admin endpoints require the admin token when one is configured."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_testkit.ports import free_port

TOKEN = "s3cret-admin-token-0123"
COMPANY = "00000000-0000-4000-8000-000000000001"


@pytest.fixture
def client():
    settings = GatewaySettings(
        crm_addr=f"127.0.0.1:{free_port()}",
        conductor_addr=f"127.0.0.1:{free_port()}",
        admin_token=TOKEN,
        request_timeout_seconds=1,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/admin/dlq/replay"),
        ("get", "/leads/6f0e2c56-3f55-4f2a-9f0e-5d1a9b7c2e11"),
        ("get", "/messages/6f0e2c56-3f55-4f2a-9f0e-5d1a9b7c2e11"),
        ("get", f"/admin/companies/{COMPANY}/knowledge"),
        ("post", f"/admin/companies/{COMPANY}/knowledge"),
        ("get", f"/admin/companies/{COMPANY}/knowledge/search?q=fee"),
        ("put", f"/admin/companies/{COMPANY}/knowledge/{COMPANY}"),
        ("delete", f"/admin/companies/{COMPANY}/knowledge/{COMPANY}"),
        ("get", f"/admin/companies/{COMPANY}/ai-model"),
        ("patch", f"/admin/companies/{COMPANY}/ai-model"),
        ("get", f"/admin/companies/{COMPANY}/prompt"),
        ("put", f"/admin/companies/{COMPANY}/prompt"),
        ("get", f"/admin/companies/{COMPANY}/unanswered-questions"),
        ("post", f"/admin/unanswered-questions/{COMPANY}/resolve"),
    ],
)
def test_admin_endpoints_refuse_requests_without_the_token(client, method, path):
    assert getattr(client, method)(path).status_code == 401
    assert getattr(client, method)(path, headers={"Authorization": "Bearer wrong"}).status_code == 403


def test_the_admin_token_is_accepted_as_bearer_or_x_admin_token(client):
    # Past authentication the (unreachable) conductor answers 503, not 401/403.
    assert client.post("/admin/dlq/replay", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 503
    assert client.post("/admin/dlq/replay", headers={"X-Admin-Token": TOKEN}).status_code == 503


def test_replay_validates_max_jobs(client):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert client.post("/admin/dlq/replay", json={"max_jobs": 0}, headers=headers).status_code == 422
    assert client.post("/admin/dlq/replay", json={"max_jobs": 5000}, headers=headers).status_code == 422


def test_public_intake_needs_no_admin_token(client):
    body = {"phone_number": "+919876543210", "message_text": "hi", "channel": "whatsapp_web"}
    assert client.post("/inbound-message", json=body).status_code == 503


def test_outside_development_an_admin_token_is_required():
    with pytest.raises(ValidationError, match="ADMIN_TOKEN"):
        GatewaySettings(env="production", internal_token="x" * 32)


def test_a_short_admin_token_is_refused():
    with pytest.raises(ValidationError, match="at least 16"):
        GatewaySettings(admin_token="short")
