"""Fuzzing the gateway against the real mesh: no generated request gets a 5xx.

Schemathesis generates requests for every operation of the OpenAPI document (bodies,
paths, queries, headers; valid and invalid), and Hypothesis throws raw bytes at the body
parsers of the intake and of Meta's webhook (signed, so that they get past the signature
check). A 503 is allowed: it is the documented answer while a backend is down (the mesh
has no WhatsApp Web channel). The budget is a fixed number of examples per operation, so
the test takes seconds; a bug found here gets its input pinned as a regression test
(services/gateway/tests/test_hostile_input.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings

ADMIN = "fuzz-admin-token-0123456789"
SECRET = "fuzz-app-secret-9f2"
WEBHOOK = "/webhooks/whatsapp"
EXAMPLES_PER_OPERATION = 12
BYTE_EXAMPLES = 150

# Schemathesis's own strategies use the random module, which Hypothesis warns about.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")

BUDGET = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def app(mesh):
    return create_app(
        GatewaySettings(
            crm_addr=mesh.crm_addr,
            conductor_addr=mesh.conductor_addr,
            admin_token=ADMIN,
            whatsapp_app_secret=SECRET,
            whatsapp_verify_token="fuzz-verify",
            request_timeout_seconds=5,
            # Hundreds of forms from one client: a rate limit would stop them short of the crm.
            rate_limits_enabled=False,
        )
    )


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def signature(raw: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()


def send(client: TestClient, case) -> tuple[int, str]:
    """Sends a generated case through the app, as admin, with Meta's signature on the webhook."""
    kwargs = case.as_transport_kwargs(base_url="")
    headers = {k: v for k, v in kwargs["headers"].items() if k.lower() != "authorization"}
    headers["Authorization"] = f"Bearer {ADMIN}"
    if "json" in kwargs:
        content = json.dumps(kwargs["json"]).encode()
    else:
        data = kwargs.get("data")
        if isinstance(data, dict):  # a form body
            data = urlencode(data, doseq=True)
        content = data.encode() if isinstance(data, str) else data
    if case.path == WEBHOOK and case.method == "POST":
        headers["X-Hub-Signature-256"] = signature(content or b"")
    response = client.request(
        kwargs["method"], kwargs["url"], params=kwargs.get("params"), headers=headers, content=content
    )
    return response.status_code, f"{case.method} {kwargs['url']} {kwargs.get('params')} {content!r:.300}"


def server_errors(client: TestClient, strategy) -> list[str]:
    found: list[str] = []

    @given(case=strategy)
    @BUDGET
    def run(case) -> None:
        status, request = send(client, case)
        if status >= 500 and status != 503:
            found.append(f"{status}: {request}")

    # Unsatisfiable: no request can break this operation's schema (a GET without parameters).
    with contextlib.suppress(Unsatisfiable):
        run()
    return found


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_schemathesis_generates_for_any_operation_gets_a_5xx(client, mode):
    # Read through the client already open: loading it from the app would start the app's
    # lifespan a second time, on another event loop.
    schema = schemathesis.openapi.from_dict(client.get("/openapi.json").json())
    found: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        found += server_errors(client, operation.as_strategy(generation_mode=mode))
    assert found == []


VALID_FORM = json.dumps(
    {"phone_number": "+919876543210", "message_text": "hi", "channel": "email", "email": "a@example.com"}
).encode()


# What a fuzzer's dictionary holds for JSON and form bodies: structure, escapes, bytes that
# are not UTF-8, numbers, and the characters a database or a parser chokes on.
TOKENS = [
    b"[",
    b"{",
    b'"',
    b"9",
    b"-1e999",
    b"NaN",
    b"\\u0000",
    b"\\ud800",
    b"\x00",
    b"\x1b",
    b"\xff",
    b"%00",
    b"%FF",
    b"&",
    b"=",
]


def mutated(seed: bytes):
    """Bytes near a valid body: random bytes spliced in, or a token repeated up to 40,000 times
    (deep nesting, long numbers), at a random place; or random bytes outright."""
    place = st.integers(0, len(seed))
    splice = st.tuples(place, st.integers(0, 16), st.binary(max_size=64)).map(
        lambda t: seed[: t[0]] + t[2] + seed[t[0] + t[1] :]
    )
    repeat = st.tuples(place, st.sampled_from(TOKENS), st.sampled_from([1, 2, 40, 5000, 40_000])).map(
        lambda t: seed[: t[0]] + t[1] * t[2] + seed[t[0] :]
    )
    return st.one_of(splice, repeat, st.binary(max_size=2048))


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_no_byte_string_posted_to_the_intake_gets_a_5xx(client, content_type):
    found: list[str] = []

    @given(raw=mutated(VALID_FORM))
    @settings(BUDGET, max_examples=BYTE_EXAMPLES)
    def run(raw: bytes) -> None:
        response = client.post("/inbound-message", content=raw, headers={"Content-Type": content_type})
        if response.status_code >= 500 and response.status_code != 503:
            found.append(f"{response.status_code}: {raw!r}")

    run()
    assert found == []


TEXT_FIELDS = ("phone_number", "contact_name", "message_text", "email", "course", "consent_text")


def test_no_text_in_any_field_of_an_otherwise_valid_form_gets_a_5xx(client):
    # Random text in one field of a form the crm would accept reaches the database, where a
    # byte PostgreSQL refuses turns into a 5xx unless the gateway refused it first.
    found: list[str] = []
    serial = iter(range(10**8))

    @given(field=st.sampled_from(TEXT_FIELDS), text=st.text(max_size=40), form=st.booleans())
    @settings(BUDGET, max_examples=BYTE_EXAMPLES)
    def run(field: str, text: str, form: bool) -> None:
        n = next(serial)
        body = {
            "phone_number": f"+9197{n:08d}",
            "contact_name": "Priya",
            "message_text": f"fees for course {n}?",
            "channel": "email",
            "email": f"priya.{n}@example.com",
            "course": "Data Science",
            "consent_text": "I agree",
            field: text,
        }
        if form:
            response = client.post("/inbound-message", data=body)
        else:
            response = client.post("/inbound-message", json=body)
        if response.status_code >= 500 and response.status_code != 503:
            found.append(f"{response.status_code}: {field}={text!r}")

    run()
    assert found == []


WEBHOOK_BODY = json.dumps(
    {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "contacts": [{"profile": {"name": "Priya"}, "wa_id": "919812345678"}],
                            "messages": [
                                {
                                    "from": "919812345678",
                                    "id": "wamid.F",
                                    "type": "text",
                                    "text": {"body": "hi"},
                                }
                            ],
                        },
                    }
                ]
            }
        ],
    }
).encode()


def test_no_signed_byte_string_posted_to_meta_s_webhook_gets_a_5xx(client):
    found: list[str] = []

    @given(raw=mutated(WEBHOOK_BODY))
    @settings(BUDGET, max_examples=BYTE_EXAMPLES)
    def run(raw: bytes) -> None:
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature(raw)}
        response = client.post(WEBHOOK, content=raw, headers=headers)
        if response.status_code >= 500 and response.status_code != 503:
            found.append(f"{response.status_code}: {raw!r}")

    run()
    assert found == []
