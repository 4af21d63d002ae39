"""The OpenAPI document: security schemes, every error answer in one problem-details schema, an example
for every request body, every reference resolvable; and the error answers are problem details."""

from __future__ import annotations

import json
import uuid

import pytest
from fastapi.testclient import TestClient

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_testkit.ports import free_port

PROBLEM = "#/components/schemas/Problem"


def settings(**overrides) -> GatewaySettings:
    return GatewaySettings(
        crm_addr=f"127.0.0.1:{free_port()}", conductor_addr=f"127.0.0.1:{free_port()}", **overrides
    )


@pytest.fixture(scope="module")
def document() -> dict:
    with TestClient(create_app(settings())) as client:
        return client.get("/openapi.json").json()


def operations(document: dict):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_every_request_body_has_an_example(document):
    missing = [
        f"{name} {media_type}"
        for name, operation in operations(document)
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items()
        if "example" not in media and "examples" not in media
    ]
    assert missing == []


def test_admin_routes_name_the_admin_token_schemes(document):
    schemes = document["components"]["securitySchemes"]
    clock = document["paths"]["/admin/clock"]["post"]

    for bearer in ("sessionToken", "apiKey", "adminToken"):
        assert schemes[bearer] == {
            "type": "http",
            "scheme": "bearer",
            "description": schemes[bearer]["description"],
        }
    assert schemes["adminTokenHeader"]["name"] == "X-Admin-Token"
    assert clock["security"] == [
        {"sessionToken": []},
        {"apiKey": []},
        {"adminToken": []},
        {"adminTokenHeader": []},
    ]
    assert {"401", "403"} <= set(clock["responses"])
    assert "security" not in document["paths"]["/inbound-message"]["post"]


def test_every_error_answer_is_documented_as_problem_details(document):
    shapes = {
        f"{name} {code}": media["schema"].get("$ref")
        for name, operation in operations(document)
        for code, response in operation["responses"].items()
        if code.isdigit() and int(code) >= 400 and code != "400"
        for media in response.get("content", {}).values()
    }
    assert shapes
    assert {shape for shape in shapes.values()} == {PROBLEM}


def test_intake_documents_the_errors_it_can_give(document):
    responses = document["paths"]["/inbound-message"]["post"]["responses"]
    assert {"409", "413", "415", "422", "503"} <= set(responses)


def test_every_reference_resolves(document):
    text = json.dumps(document)
    refs = {part.split('"')[0] for part in text.split('"$ref": "')[1:]}
    schemas = document["components"]["schemas"]
    assert refs
    assert [ref for ref in refs if ref.removeprefix("#/components/schemas/") not in schemas] == []


def test_a_field_error_is_answered_as_problem_details_listing_the_fields():
    with TestClient(create_app(settings())) as client:
        response = client.post("/inbound-message", json={"channel": "email"})

    problem = response.json()
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert (problem["type"], problem["title"], problem["status"]) == (
        "about:blank",
        "Unprocessable Entity",
        422,
    )
    assert ["body", "phone_number"] in [error["loc"] for error in problem["detail"]]


def test_a_backend_down_is_answered_as_problem_details():
    with TestClient(create_app(settings())) as client:
        response = client.get(f"/leads/{uuid.uuid4()}")

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Service Unavailable"
    assert response.headers["retry-after"] == "1"


def test_a_refused_admin_token_is_answered_as_problem_details():
    with TestClient(create_app(settings(admin_token="s3cret-admin-token-of-length"))) as client:
        response = client.get("/admin/clock", headers={"X-Admin-Token": "wrong"})

    assert response.status_code == 403
    assert response.json() == {
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
        "detail": "invalid admin token",
    }
