"""The outreach REST API against the real crm: consent on the form and by API, templates, webhooks
and settings, with the crm's own field errors named as in the REST body."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings

CONSENT = "I agree that Shvya Demo Academy may contact me about its courses."


@pytest.fixture
def api(mesh) -> Iterator[TestClient]:
    settings = GatewaySettings(crm_addr=mesh.crm_addr, conductor_addr=mesh.conductor_addr)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def company_id(mesh) -> str:
    return str(mesh.sql("SELECT id FROM companies")[0][0])


def form(**overrides) -> dict:
    suffix = uuid.uuid4().int % 10**8
    body = {
        "phone_number": f"+9198{suffix:08d}",
        "contact_name": "Rahul Kumar",
        "message_text": "Interested in Digital Marketing course",
        "channel": "email",
        "email": f"rahul.{suffix}@example.com",
    }
    body.update(overrides)
    return body


def test_a_form_with_the_consent_box_ticked_records_the_opt_in_and_its_text(api):
    lead_id = api.post("/inbound-message", json=form(consent=True, consent_text=CONSENT)).json()["lead_id"]
    [entry] = api.get(f"/leads/{lead_id}/consents").json()
    assert (entry["action"], entry["source"], entry["channel"], entry["text_shown"]) == (
        "opt_in",
        "form",
        "email",
        CONSENT,
    )
    assert entry["created_at"] is not None


def test_an_html_form_post_with_a_checked_box_counts_as_consent(api):
    body = form(consent="on", consent_text=CONSENT)
    response = api.post("/inbound-message", data=body)
    assert response.status_code == 200
    [entry] = api.get(f"/leads/{response.json()['lead_id']}/consents").json()
    assert entry["action"] == "opt_in"


def test_an_opt_out_by_api_suppresses_the_lead(api):
    lead_id = api.post("/inbound-message", json=form()).json()["lead_id"]
    response = api.post(
        f"/leads/{lead_id}/consent",
        json={"action": "opt_out", "source": "counsellor", "evidence": {"call": "2026-11-24"}},
    )
    assert response.status_code == 200
    assert response.json()["lead_status"] == "opted_out"
    assert response.json()["consent"]["evidence"] == {"call": "2026-11-24"}


def test_templates_are_created_replaced_listed_and_deleted(api, company_id):
    body = {"name": "welcome", "channel": "email", "subject": "Hi {first_name}", "body": "About {course}"}
    created = api.post(f"/companies/{company_id}/templates", json=body)
    again = api.post(f"/companies/{company_id}/templates", json={**body, "body": "About {course}!"})
    assert (created.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == created.json()["id"]
    assert again.json()["variables"] == ["course"]
    replaced = api.put(
        f"/companies/{company_id}/templates/{created.json()['id']}", json={**body, "name": "welcome_v2"}
    )
    assert replaced.json()["name"] == "welcome_v2"
    assert [t["name"] for t in api.get(f"/companies/{company_id}/templates?channel=email").json()] == [
        "welcome_v2"
    ]
    assert api.get(f"/companies/{company_id}/templates?channel=whatsapp_cloud").json() == []
    assert api.delete(f"/templates/{created.json()['id']}").status_code == 204
    assert api.delete(f"/templates/{created.json()['id']}").status_code == 404


def test_the_crms_template_errors_are_named_as_in_the_body(api, company_id):
    response = api.post(
        f"/companies/{company_id}/templates", json={"name": "Welcome Mail", "channel": "email", "body": "Hi"}
    )
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "name"]]


def test_webhook_subscriptions_are_managed_and_the_secret_rotates(api, company_id):
    body = {"url": "https://hooks.example.com/in", "events": ["lead.created", "hand_off"]}
    created = api.post(f"/companies/{company_id}/webhooks", json=body)
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert len(secret) == 64
    again = api.post(f"/companies/{company_id}/webhooks", json={**body, "events": ["enrolled"]})
    assert (again.status_code, again.json()["events"], again.json()["secret"]) == (200, ["enrolled"], secret)
    [listed] = api.get(f"/companies/{company_id}/webhooks").json()
    assert "secret" not in listed
    rotated = api.post(f"/companies/{company_id}/webhooks/secret").json()["secret"]
    assert rotated != secret
    assert api.delete(f"/webhooks/{listed['id']}").status_code == 204
    assert api.get(f"/companies/{company_id}/webhooks").json() == []


def test_settings_changes_read_back_and_the_crms_errors_name_the_field(api, company_id):
    changed = api.patch(
        f"/companies/{company_id}/settings",
        json={"followup_delay_seconds": 7200, "max_bumps": 2, "quiet_hours_end": "08:30"},
    )
    assert changed.status_code == 200
    assert api.get(f"/companies/{company_id}/settings").json() == changed.json()
    assert (changed.json()["max_bumps"], changed.json()["quiet_hours_end"]) == (2, "08:30")
    refused = api.patch(f"/companies/{company_id}/settings", json={"timezone": "Mars/Olympus"})
    assert refused.status_code == 422
    assert [e["loc"] for e in refused.json()["detail"]] == [["body", "timezone"]]


def test_a_companys_attempt_settings_are_null_until_set_and_read_back_once_set(api, company_id):
    before = api.get(f"/companies/{company_id}/settings").json()
    changed = api.patch(
        f"/companies/{company_id}/settings", json={"max_attempts": 8, "retry_max_seconds": 1800}
    )
    assert (before["max_attempts"], before["retry_max_seconds"]) == (None, None)
    assert (changed.json()["max_attempts"], changed.json()["retry_max_seconds"]) == (8, 1800)
