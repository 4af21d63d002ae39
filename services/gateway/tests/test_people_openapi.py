"""The OpenAPI document declares how to authenticate and shows an example of every people body."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_testkit.ports import free_port

TOKEN = "s3cret-admin-token-0123"


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


def test_the_openapi_document_declares_session_api_key_and_admin_token_schemes(client):
    schemes = client.get("/openapi.json").json()["components"]["securitySchemes"]
    assert {"sessionToken", "apiKey", "adminToken", "adminTokenHeader"} <= set(schemes)


def test_an_admin_route_accepts_any_of_the_schemes(client):
    operation = client.get("/openapi.json").json()["paths"]["/leads/{lead_id}"]["get"]
    assert {name for requirement in operation["security"] for name in requirement} >= {
        "sessionToken",
        "apiKey",
        "adminToken",
    }


def test_every_people_request_body_has_an_example(client):
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    missing = []
    for path, operations in document["paths"].items():
        if not path.startswith(("/auth", "/users", "/api-keys")):
            continue
        for method, operation in operations.items():
            body = operation.get("requestBody")
            if body is None:
                continue
            schema = body["content"]["application/json"]["schema"]
            if "$ref" in schema:
                schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
            if not schema.get("examples"):
                missing.append(f"{method} {path}")
    assert not missing


def test_a_login_without_a_password_is_refused_before_any_backend_call(client):
    reply = client.post(
        "/auth/login", json={"company_id": "00000000-0000-4000-8000-000000000001", "email": "a@b.c"}
    )
    assert reply.status_code == 422
    assert reply.json()["detail"][0]["loc"] == ["body", "password"]


def test_a_session_on_a_platform_only_route_is_checked_by_the_crm(client):
    # The crm is unreachable here: a session is never taken on trust by the gateway.
    assert client.post("/admin/dlq/replay", headers={"Authorization": "Bearer shvs_x"}).status_code == 503
