"""The endpoints that find and work leads, at the gateway alone: admin-only, every request body with
an example in the OpenAPI document, and bad input refused by the gateway itself, naming the
parameter. The backends point at closed ports: anything that got past the gateway would answer 503."""

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
ROUTES = [
    ("get", "/leads"),
    ("get", "/leads/counts"),
    ("get", "/leads/export.csv"),
    ("get", "/conversations/recent"),
    ("get", "/admin/dead-letters"),
    ("post", f"/leads/{ID}/stage"),
    ("post", f"/leads/{ID}/enrolled"),
    ("post", f"/leads/{ID}/lost"),
    ("post", f"/leads/{ID}/notes"),
    ("get", f"/leads/{ID}/notes"),
    ("post", f"/leads/{ID}/tags"),
    ("patch", f"/leads/{ID}"),
    ("post", "/leads/import"),
]


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


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_finding_and_working_leads_needs_the_admin_token(client, method, path):
    assert getattr(client, method)(path).status_code == 401


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r[0] != "get"])
def test_every_request_body_has_an_example(client, method, path):
    document = client.get("/openapi.json").json()
    template = path.replace(ID, "{lead_id}")
    body = document["paths"][template][method]["requestBody"]
    examples = []
    for content in body["content"].values():
        examples += [content["example"]] if "example" in content else []
        ref = content.get("schema", {}).get("$ref", "")
        if ref:
            examples += document["components"]["schemas"][ref.split("/")[-1]].get("examples", [])
    assert examples


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=sleeping", "query.status.0"),
        ("channel=sms", "query.channel.0"),
        ("limit=201", "query.limit"),
        ("sort=price", "query.sort"),
        ("created_after=yesterday", "query.created_after"),
        ("company_id=acme", "query.company_id"),
    ],
)
def test_a_bad_list_query_is_refused_naming_the_parameter(client, query, field):
    response = client.get(f"/leads?{query}", headers=ADMIN)

    assert response.status_code == 422
    assert locations(response) == {field}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (f"/leads/{ID}/stage", {}, "body.stage"),
        (f"/leads/{ID}/lost", {"reason": ""}, "body.reason"),
        (f"/leads/{ID}/notes", {"text": "x" * 4001}, "body.text"),
        (f"/leads/{ID}/tags", {"add": [""]}, "body.add.0"),
    ],
)
def test_a_bad_body_is_refused_naming_the_field(client, path, body, field):
    response = client.post(path, json=body, headers=ADMIN)

    assert response.status_code == 422
    assert locations(response) == {field}


def test_a_correction_must_change_something(client):
    response = client.patch(f"/leads/{ID}", json={}, headers=ADMIN)

    assert response.status_code == 422


def test_an_import_must_be_csv(client):
    response = client.post("/leads/import", json={"phone": "9876543210"}, headers=ADMIN)

    assert response.status_code == 415
