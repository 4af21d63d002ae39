"""The outreach endpoints (settings, templates, sequences, enrolments, webhooks, consent, unsubscribe):
admin-only where they manage, public where a student clicks, and bad input refused by the gateway
itself, naming the field. The backends point at closed ports: anything that got past the gateway
would answer 503."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_testkit.ports import free_port

TOKEN = "s3cret-admin-token-0123"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
ID = str(uuid.uuid4())


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


def locations(response) -> set[str]:
    return {".".join(str(p) for p in e["loc"]) for e in response.json()["detail"]}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", f"/companies/{ID}/settings"),
        ("patch", f"/companies/{ID}/settings"),
        ("get", f"/companies/{ID}/templates"),
        ("post", f"/companies/{ID}/templates"),
        ("delete", f"/templates/{ID}"),
        ("get", f"/companies/{ID}/sequences"),
        ("post", f"/companies/{ID}/sequences"),
        ("get", f"/sequences/{ID}"),
        ("put", f"/sequences/{ID}"),
        ("delete", f"/sequences/{ID}"),
        ("post", f"/leads/{ID}/enrolments"),
        ("get", f"/leads/{ID}/enrolments"),
        ("post", f"/enrolments/{ID}/stop"),
        ("get", f"/companies/{ID}/webhooks"),
        ("post", f"/companies/{ID}/webhooks"),
        ("delete", f"/webhooks/{ID}"),
        ("post", f"/companies/{ID}/webhooks/secret"),
        ("post", f"/leads/{ID}/consent"),
        ("get", f"/leads/{ID}/consents"),
    ],
)
def test_managing_outreach_needs_the_admin_token(client, method, path):
    assert getattr(client, method)(path).status_code == 401


def test_the_unsubscribe_link_needs_no_token(client):
    # Past the gateway, the unreachable crm answers 503: no 401 for a student's click.
    assert client.get("/u/AbCdEfGh12345678").status_code == 503
    assert client.post("/u/AbCdEfGh12345678", data={"List-Unsubscribe": "One-Click"}).status_code == 503


def test_a_malformed_unsubscribe_token_is_refused_before_the_backend(client):
    assert client.post("/u/bad%20token!").status_code == 422


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"quiet_hours_start": "9pm"}, {"body.quiet_hours_start"}),
        ({"max_bumps": 11, "followup_delay_seconds": 10}, {"body.max_bumps", "body.followup_delay_seconds"}),
        ({"followup_template": "Follow up"}, {"body.followup_template"}),
        ({"bumps": 3}, {"body.bumps"}),
    ],
)
def test_bad_settings_are_refused_naming_the_field(client, body, fields):
    response = client.patch(f"/companies/{ID}/settings", json=body, headers=ADMIN)
    assert response.status_code == 422
    assert locations(response) == fields


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": "x", "steps": [{"channel": "sms", "template_id": ID}]}, {"body.steps.0.channel"}),
        ({"name": "x", "steps": [{"channel": "email", "template_id": "nope"}]}, {"body.steps.0.template_id"}),
        (
            {"name": "x", "steps": [{"channel": "email", "template_id": ID, "stop_conditions": ["clicked"]}]},
            {"body.steps.0.stop_conditions.0"},
        ),
        ({"name": "", "trigger": {"channels": ["fax"]}}, {"body.name", "body.trigger.channels.0"}),
    ],
)
def test_bad_sequences_are_refused_naming_the_field(client, body, fields):
    response = client.post(f"/companies/{ID}/sequences", json=body, headers=ADMIN)
    assert response.status_code == 422
    assert locations(response) == fields


def test_a_webhook_must_name_known_events(client):
    response = client.post(
        f"/companies/{ID}/webhooks",
        json={"url": "https://x.example", "events": ["lead.deleted"]},
        headers=ADMIN,
    )
    assert response.status_code == 422
    assert locations(response) == {"body.events.0"}


def test_consent_by_api_needs_a_known_action(client):
    response = client.post(f"/leads/{ID}/consent", json={"action": "maybe"}, headers=ADMIN)
    assert response.status_code == 422
    assert locations(response) == {"body.action"}


def test_the_form_refuses_an_overlong_consent_text(client):
    body = {
        "phone_number": "+919876543210",
        "message_text": "hi",
        "channel": "whatsapp_web",
        "consent": True,
        "consent_text": "x" * 2001,
    }
    response = client.post("/inbound-message", json=body)
    assert response.status_code == 422
    assert locations(response) == {"body.consent_text"}
