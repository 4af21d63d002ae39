"""People through the gateway and the real mesh, and a matrix over every admin route."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import psycopg2
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from shvya_crm.settings import DEFAULT_COMPANY_ID
from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings

PASSWORD = "correct horse battery"
OTHER = "00000000-0000-4000-8000-0000000000b2"


def _sql(mesh, statement: str, params: tuple = ()) -> list[tuple]:
    conn = psycopg2.connect(mesh.database_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement, params)
            return cur.fetchall() if cur.description else []
    finally:
        conn.close()


def _person(mesh, company: str, role: str) -> str:
    """A user with PASSWORD, hashed with argon2's smallest parameters so signing in is quick."""
    hashed = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    email = f"{role}.{uuid.uuid4().hex[:6]}@{company[-4:]}.example"
    _sql(
        mesh,
        "INSERT INTO users (id, company_id, email, name, role, password_hash) VALUES (%s, %s, %s, %s, %s, %s)",
        (str(uuid.uuid4()), company, email, role, role, hashed),
    )
    return email


@pytest.fixture
def api(mesh) -> Iterator[TestClient]:
    settings = GatewaySettings(
        crm_addr=mesh.crm_addr, conductor_addr=mesh.conductor_addr, admin_token=mesh.admin_token
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def _login(api, company: str, email: str, password: str = PASSWORD) -> dict[str, str]:
    reply = api.post("/auth/login", json={"company_id": company, "email": email, "password": password})
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['session_token']}"}


def _lead(api) -> str:
    posted = api.post(
        "/inbound-message",
        json={
            "phone_number": f"+9197{uuid.uuid4().int % 10**8:08d}",
            "message_text": "Fees?",
            "channel": "email",
            "email": "student@example.com",
        },
    )
    return posted.json()["lead_id"]


def test_an_owner_invites_a_counsellor_who_signs_in_and_opens_a_lead(api, mesh):
    owner = _login(api, str(DEFAULT_COMPANY_ID), _person(mesh, str(DEFAULT_COMPANY_ID), "owner"))
    invited = api.post("/users", json={"email": "neha@academy.example", "role": "counsellor"}, headers=owner)
    assert invited.status_code == 201, invited.text
    accepted = api.post(
        "/auth/invitations/accept",
        json={"token": invited.json()["invitation_token"], "name": "Neha", "password": PASSWORD},
    )
    assert accepted.status_code == 200, accepted.text
    counsellor = _login(api, str(DEFAULT_COMPANY_ID), "neha@academy.example")

    assert api.get(f"/leads/{_lead(api)}", headers=counsellor).status_code == 200
    assert api.get("/auth/me", headers=counsellor).json()["user"]["role"] == "counsellor"


def test_a_password_reset_email_arrives_through_the_email_channel(api, mesh):
    email = _person(mesh, str(DEFAULT_COMPANY_ID), "counsellor")
    reply = api.post("/auth/password-reset", json={"company_id": str(DEFAULT_COMPANY_ID), "email": email})
    assert reply.status_code == 202
    mesh.wait_until(lambda: any(email in m.rcpt_tos for m in mesh.smtp.messages), what="the reset email")
    (mail,) = [m for m in mesh.smtp.messages if email in m.rcpt_tos]
    token = re.search(r"confirm: (shvt_\S+)\)", mail.text).group(1)
    confirmed = api.post(
        "/auth/password-reset/confirm", json={"token": token, "password": "a new long password"}
    )
    assert confirmed.status_code == 204
    assert _login(api, str(DEFAULT_COMPANY_ID), email, "a new long password")


def test_a_wrong_password_or_a_spent_token_is_a_401_not_an_upstream_error(api, mesh):
    company = str(DEFAULT_COMPANY_ID)
    email = _person(mesh, company, "counsellor")

    wrong = api.post("/auth/login", json={"company_id": company, "email": email, "password": "not it"})
    spent = api.post("/auth/password-reset/confirm", json={"token": "shvr_spent", "password": "a new one!"})

    assert wrong.status_code == 401, wrong.text
    assert spent.status_code in (401, 422), spent.text


def test_an_api_key_reads_leads_until_it_is_revoked(api, mesh):
    owner = _login(api, str(DEFAULT_COMPANY_ID), _person(mesh, str(DEFAULT_COMPANY_ID), "owner"))
    created = api.post("/api-keys", json={"name": "crm sync", "scopes": ["leads:read"]}, headers=owner).json()
    key = {"Authorization": f"Bearer {created['key']}"}
    lead = _lead(api)
    assert api.get(f"/leads/{lead}", headers=key).status_code == 200
    api.delete(f"/api-keys/{created['api_key']['id']}", headers=owner)
    assert api.get(f"/leads/{lead}", headers=key).status_code == 401


def test_the_admin_token_still_opens_every_company(api, mesh):
    admin = {"Authorization": f"Bearer {mesh.admin_token}"}
    assert api.get(f"/leads/{_lead(api)}", headers=admin).status_code == 200
    assert api.get("/auth/me", headers=admin).json()["kind"] == "platform"


# -- The matrix over every admin route of the OpenAPI document ------------------------------------


def _admin_operations(api) -> list[tuple[str, str, dict]]:
    found = []
    for path, operations in api.app.openapi()["paths"].items():
        for method, operation in operations.items():
            if operation.get("security"):
                found.append((method, path, operation))
    return found


def _example(operation: dict) -> dict:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    examples = content.get("schema", {}).get("examples") or []
    return dict(examples[0]) if examples else {}


def test_no_admin_route_serves_another_company_or_more_than_a_counsellor_may(api, mesh):
    """Every admin route, called by company B's owner on company A's things, by A's counsellor and
    by A's intake-only API key."""
    company = str(DEFAULT_COMPANY_ID)
    api.post(
        "/inbound-message",
        json={
            "company_id": OTHER,
            "phone_number": "+919700000001",
            "message_text": "hi",
            "channel": "email",
            "email": "b@example.com",
        },
    )
    other_owner = _login(api, OTHER, _person(mesh, OTHER, "owner"))
    counsellor = _login(api, company, _person(mesh, company, "counsellor"))
    owner = _login(api, company, _person(mesh, company, "owner"))
    intake_key = api.post("/api-keys", json={"name": "forms", "scopes": ["intake"]}, headers=owner).json()[
        "key"
    ]
    intake_only = {"Authorization": f"Bearer {intake_key}"}
    lead = _lead(api)
    (message,) = _sql(mesh, "SELECT id FROM messages WHERE lead_id = %s LIMIT 1", (lead,))[0]
    (user,) = _sql(mesh, "SELECT id FROM users WHERE company_id = %s LIMIT 1", (company,))[0]
    (document,) = _sql(mesh, "SELECT id FROM ai_kb_docs WHERE company_id = %s LIMIT 1", (company,))[0]
    ids = {
        "company_id": company,
        "lead_id": lead,
        "message_id": str(message),
        "user_id": str(user),
        "document_id": str(document),
    }
    operations = _admin_operations(api)
    assert len(operations) > 40  # every admin route, not a hand-picked few
    served_across, served_above, served_beyond_scope = [], [], []
    for method, path, operation in operations:
        params = re.findall(r"{(\w+)}", path)
        if "kind" in params:
            continue  # the WhatsApp channels: the platform's alone (checked in the gateway's own tests)
        url = path.format(**{p: ids.get(p, str(uuid.uuid4())) for p in params})
        body = _example(operation)
        if method in ("post", "put", "patch") and "company_id" in body:
            body["company_id"] = company
        call = getattr(api, method) if method in ("get", "delete") else None

        def send(headers, url=url, method=method, body=body, call=call):
            if call is not None:
                return call(url, headers=headers)
            return api.request(method.upper(), url, json=body, headers=headers)

        assert send({}).status_code == 401, f"{method} {path} without a credential"
        assert send({"Authorization": "Bearer shvs_not-a-session"}).status_code == 401, f"{method} {path}"
        if path.startswith("/auth/"):
            continue  # about the caller themself
        if 200 <= send(other_owner).status_code < 300 and params:
            served_across.append(f"{method} {path}")
        # Reading the clock tells nothing about any company; moving it is the platform's.
        manages = path.startswith(("/users", "/api-keys", "/admin/dlq")) or (
            method != "get"
            and not path.startswith(("/leads", "/enrolments", "/sequences/{sequence_id}/enrol"))
        )
        if manages and 200 <= send(counsellor).status_code < 300:
            served_above.append(f"{method} {path}")
        # A key that may only post leads is served nothing else (the clock's time apart).
        if path != "/admin/clock" and 200 <= send(intake_only).status_code < 300:
            served_beyond_scope.append(f"{method} {path}")
    assert not served_across, f"served company A's data to company B's owner: {served_across}"
    assert not served_above, f"served a counsellor what only an admin or owner may do: {served_above}"
    assert not served_beyond_scope, f"served an intake-only API key: {served_beyond_scope}"
