"""Bad input gets a clear 4xx that names the field and the reason; nothing reaches the backends.

The backends here point at closed ports: a request that got past validation
would answer 503, so every 4xx below proves the gateway refused it itself.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_testkit.ports import free_port

VALID = {
    "phone_number": "+919876543210",
    "contact_name": "Rahul Kumar",
    "message_text": "Interested in Digital Marketing course",
    "channel": "whatsapp_web",
}


@pytest.fixture
def client():
    settings = GatewaySettings(
        crm_addr=f"127.0.0.1:{free_port()}",
        conductor_addr=f"127.0.0.1:{free_port()}",
        request_timeout_seconds=1,
        max_body_bytes=8192,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


def fields(response) -> dict[str, str]:
    return {".".join(str(p) for p in e["loc"]): e["msg"] for e in response.json()["detail"]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"message_text": ""}, "body.message_text"),
        ({"message_text": "   "}, "body.message_text"),
        ({"channel": "sms"}, "body.channel"),
        ({"phone_number": ""}, "body.phone_number"),
        ({"email": "not-an-email"}, "body.email"),
        ({"company_id": "acme"}, "body.company_id"),
        ({"message_text": "x" * 4097}, "body.message_text"),
    ],
)
def test_an_invalid_field_is_refused_with_422_naming_it(client, change, field):
    response = client.post("/inbound-message", json={**VALID, **change})
    assert response.status_code == 422
    assert field in fields(response)


@pytest.mark.parametrize("blank", [{"email": ""}, {"company_id": ""}, {"email": " ", "company_id": "  "}])
def test_an_optional_field_a_form_left_empty_counts_as_absent(client, blank):
    # A website form posts its empty inputs as "": that is no e-mail, not a bad one.
    response = client.post("/inbound-message", json={**VALID, **blank})
    assert response.status_code == 503  # past validation; the backends are down


def test_every_missing_field_is_named_at_once(client):
    response = client.post("/inbound-message", json={"contact_name": "Rahul"})
    assert response.status_code == 422
    assert {"body.phone_number", "body.message_text", "body.channel"} <= set(fields(response))


def test_malformed_json_is_a_422_not_a_500(client):
    response = client.post(
        "/inbound-message", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_a_json_array_is_refused(client):
    response = client.post("/inbound-message", json=[VALID])
    assert response.status_code == 422
    assert fields(response) == {"body": "must be a JSON object"}


def test_an_oversized_body_is_refused_with_413(client):
    response = client.post("/inbound-message", json={**VALID, "notes": "x" * 9000})
    assert response.status_code == 413


def test_an_unsupported_content_type_is_refused_with_415(client):
    response = client.post("/inbound-message", content=b"hello", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_an_overlong_idempotency_key_is_refused(client):
    response = client.post("/inbound-message", json=VALID, headers={"Idempotency-Key": "k" * 300})
    assert response.status_code == 422
    assert "header.idempotency-key" in fields(response)


def test_a_valid_request_with_backends_down_is_a_503_with_retry_after(client):
    response = client.post("/inbound-message", json=VALID)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"


def test_readiness_reports_each_unreachable_backend(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert set(response.json()["checks"]) == {"crm", "conductor"}
    assert client.get("/healthz").json() == {"status": "ok"}


def test_openapi_documents_json_and_form_bodies_for_intake(client):
    spec = client.get("/openapi.json").json()
    content = spec["paths"]["/inbound-message"]["post"]["requestBody"]["content"]
    assert set(content) == {"application/json", "application/x-www-form-urlencoded"}
    assert {"phone_number", "message_text", "channel"} <= set(
        content["application/json"]["schema"]["required"]
    )


COMPANY = "00000000-0000-4000-8000-000000000001"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"content": "The fee is Rs 24,999."}, "body.title"),
        ({"title": "Fees", "content": "  "}, "body.content"),
        ({"title": "x" * 301, "content": "c"}, "body.title"),
        ({"title": "Fees", "content": "c", "tags": [""]}, "body.tags.0"),
    ],
)
def test_a_knowledge_document_without_its_fields_is_refused_naming_them(client, body, field):
    response = client.post(f"/admin/companies/{COMPANY}/knowledge", json=body)

    assert response.status_code == 422
    assert field in fields(response)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"temperature": 3}, "body.temperature"),
        ({"max_tokens": 0}, "body.max_tokens"),
        ({"provider": "anthropic"}, "body.provider"),
        ({"base_url": "ftp://models"}, "body.base_url"),
        ({"colour": "blue"}, "body.colour"),
    ],
)
def test_an_ai_model_change_out_of_range_is_refused_naming_the_field(client, body, field):
    response = client.patch(f"/admin/companies/{COMPANY}/ai-model", json=body)

    assert response.status_code == 422
    assert field in fields(response)


def test_a_malformed_company_id_in_an_admin_path_is_refused(client):
    response = client.get("/admin/companies/acme/knowledge")

    assert response.status_code == 422
    assert "path.company_id" in fields(response)


def test_a_search_needs_words(client):
    response = client.get(f"/admin/companies/{COMPANY}/knowledge/search?q=")

    assert response.status_code == 422
    assert "query.q" in fields(response)
