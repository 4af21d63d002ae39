"""Hostile bodies, paths and headers get a 4xx naming what is wrong, never a 5xx.

The backends point at closed ports: a request that got past the checks answers 503, so
every 422 below proves the gateway refused the input itself. The bodies here are the
inputs that once produced a 500 or a 502, kept as regression cases.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from fastapi.testclient import TestClient

from shvya_gateway import bounded_json
from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_testkit.ports import free_port

VALID = {
    "phone_number": "+919876543210",
    "contact_name": "Rahul Kumar",
    "message_text": "Interested in Digital Marketing course",
    "channel": "email",
    "email": "rahul@example.com",
    "course": "Digital Marketing",
    "consent_text": "I agree",
}
SECRET = "6b1f0c0ffee5ecret"


@pytest.fixture
def client():
    settings = GatewaySettings(
        crm_addr=f"127.0.0.1:{free_port()}",
        conductor_addr=f"127.0.0.1:{free_port()}",
        request_timeout_seconds=1,
        whatsapp_app_secret=SECRET,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


def post_json(client, raw: bytes, path: str = "/inbound-message"):
    return client.post(path, content=raw, headers={"Content-Type": "application/json"})


def errors(response) -> dict[str, str]:
    return {".".join(str(p) for p in e["loc"]): e["type"] for e in response.json()["detail"]}


def test_thirty_thousand_open_brackets_are_a_422_not_a_recursion_error(client):
    response = post_json(client, b"[" * 30_000)

    assert response.status_code == 422
    assert errors(response) == {"body": "json_too_deep"}


def test_nesting_deeper_than_the_bound_inside_an_object_is_refused(client):
    raw = json.dumps({**VALID, "utm": json.loads("[" * 40 + "]" * 40)}).encode()

    assert errors(post_json(client, raw)) == {"body": "json_too_deep"}


def test_brackets_inside_strings_do_not_count_as_nesting(client):
    raw = json.dumps({**VALID, "message_text": "[" * 500 + "{" * 500}).encode()

    assert post_json(client, raw).status_code == 503  # past validation; the backends are down


def test_an_integer_of_five_thousand_digits_is_a_422_not_a_500(client):
    raw = (
        b'{"phone_number": "+919876543210", "channel": "email", "message_text": "hi", "x": '
        + b"9" * 5000
        + b"}"
    )

    response = post_json(client, raw)

    assert response.status_code == 422
    assert errors(response) == {"body": "number_too_long"}


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity", b"1e999", b"9223372036854775808"])
def test_numbers_json_does_not_have_or_int64_cannot_hold_are_refused(literal):
    with pytest.raises(bounded_json.JsonRefused):
        bounded_json.loads(b'{"n": ' + literal + b"}")


@pytest.mark.parametrize(
    "field", ["phone_number", "contact_name", "message_text", "email", "course", "consent_text"]
)
@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_a_control_character_in_any_text_field_is_a_422_naming_the_field(client, field, character):
    response = client.post("/inbound-message", json={**VALID, field: f"ab{character}cd"})

    assert response.status_code == 422
    assert errors(response)[f"body.{field}"] == "control_character"


def test_tabs_and_line_breaks_are_text(client):
    body = {**VALID, "message_text": "line one\r\nline two\tend", "contact_name": "Rahul\tKumar"}

    assert client.post("/inbound-message", json=body).status_code == 503


def test_invalid_utf8_in_a_json_body_is_a_422(client):
    raw = json.dumps(VALID).encode().replace(b"Rahul", b"Ra\xffhul")

    response = post_json(client, raw)

    assert response.status_code == 422
    assert errors(response) == {"body": "utf8_invalid"}


def test_a_lone_surrogate_escape_in_json_is_a_422_naming_the_field(client):
    raw = json.dumps(VALID).encode().replace(b"Rahul", b"Ra\\ud800hul")

    response = post_json(client, raw)

    assert errors(response) == {"body.contact_name": "utf8_invalid"}


def test_an_invalid_utf8_escape_in_a_form_post_is_a_422_not_a_replacement_character(client):
    raw = b"phone_number=%2B919876543210&channel=whatsapp_web&message_text=hi&contact_name=Ra%FFhul"

    response = client.post(
        "/inbound-message", content=raw, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )

    assert response.status_code == 422
    assert errors(response) == {"body.contact_name": "utf8_invalid"}


def test_raw_invalid_utf8_in_a_form_post_is_a_422(client):
    raw = b"phone_number=%2B919876543210&channel=whatsapp_web&message_text=h\xffi"

    response = client.post(
        "/inbound-message", content=raw, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )

    assert errors(response) == {"body": "utf8_invalid"}


def test_a_nul_in_a_form_post_is_a_422_naming_the_field(client):
    raw = b"phone_number=%2B919876543210&channel=whatsapp_web&message_text=hi&course=Data%00Science"

    response = client.post(
        "/inbound-message", content=raw, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )

    assert errors(response) == {"body.course": "control_character"}


def test_a_field_name_with_a_nul_is_refused_and_echoed_escaped(client):
    response = client.post("/inbound-message", json={**VALID, "utm\x00source": "x"})

    assert response.status_code == 422
    assert errors(response) == {"body.utm\\x00source": "control_character"}


def test_a_nul_in_a_query_parameter_is_a_422_naming_it(client):
    response = client.get("/admin/companies/00000000-0000-4000-8000-000000000001/knowledge/search?q=fee%00s")

    assert response.status_code == 422
    assert errors(response) == {"query.q": "control_character"}


def test_invalid_utf8_in_the_path_is_a_422(client):
    response = client.get("/leads/%FF")

    assert response.status_code == 422
    assert errors(response) == {"path": "utf8_invalid"}


def test_a_control_character_in_the_idempotency_key_is_a_422(client):
    response = client.post("/inbound-message", json=VALID, headers={"Idempotency-Key": "key\x7f1"})

    assert errors(response) == {"header.idempotency-key": "control_character"}


def signed(raw: bytes) -> dict[str, str]:
    digest = hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}


def test_a_signed_webhook_nested_too_deep_is_a_400_not_a_500(client):
    raw = b"[" * 30_000

    response = client.post("/webhooks/whatsapp", content=raw, headers=signed(raw))

    assert response.status_code == 400


def test_a_webhook_message_whose_text_has_a_nul_is_skipped_not_recorded(client):
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messages": [
                                {
                                    "from": "919812345678",
                                    "id": "wamid.1",
                                    "type": "text",
                                    "text": {"body": "a\x00b"},
                                }
                            ]
                        },
                    }
                ]
            }
        ],
    }
    raw = json.dumps(payload).encode()

    response = client.post("/webhooks/whatsapp", content=raw, headers=signed(raw))

    # Nothing reached the crm (it is down: recording would have been a 503)
    assert response.status_code == 200
    assert response.json()["messages"] == 0
