"""Meta's webhook at the gateway: verification, the signature over the raw body, and the payloads read
into records. The backends point at closed ports, so a request that got past the checks answers 503:
every other status below proves the gateway decided by itself."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from fastapi.testclient import TestClient

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_gateway.whatsapp_webhook import parse, valid_signature
from shvya_testkit.ports import free_port

SECRET = "6b1f0c0ffee5ecret"
VERIFY = "shvya-verify-9f2"

INBOUND = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "102290129340398",
            "changes": [
                {
                    "field": "messages",
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {
                            "display_phone_number": "918047181234",
                            "phone_number_id": "106540352242922",
                        },
                        "contacts": [{"profile": {"name": "Priya Sharma"}, "wa_id": "919812345678"}],
                        "messages": [
                            {
                                "from": "919812345678",
                                "id": "wamid.HBgMOTE5ODEyMzQ1Njc4FQIAEhggM0E0QjY1OTlBRUUwMzgxMDE0NEYA",
                                "timestamp": "1749416383",
                                "type": "text",
                                "text": {"body": "Yes, please share the pricing for 20 seats."},
                            }
                        ],
                    },
                }
            ],
        }
    ],
}


def statuses(*items: dict) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "918047181234",
                                "phone_number_id": "106540352242922",
                            },
                            "statuses": list(items),
                        },
                    }
                ],
            }
        ],
    }


def sign(raw: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


@pytest.fixture
def client():
    settings = GatewaySettings(
        crm_addr=f"127.0.0.1:{free_port()}",
        conductor_addr=f"127.0.0.1:{free_port()}",
        request_timeout_seconds=1,
        max_body_bytes=8192,
        whatsapp_verify_token=VERIFY,
        whatsapp_app_secret=SECRET,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


# -- GET: Meta's verification -----------------------------------------------------------------------


def test_the_verification_echoes_the_challenge_as_plain_text(client):
    response = client.get(
        "/webhooks/whatsapp",
        params={"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"},
    )

    assert response.status_code == 200
    assert response.text == "1158201444"
    assert response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY, "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {},
    ],
)
def test_a_wrong_verification_is_forbidden(client, params):
    assert client.get("/webhooks/whatsapp", params=params).status_code == 403


def test_without_a_verify_token_configured_nothing_verifies():
    settings = GatewaySettings(crm_addr=f"127.0.0.1:{free_port()}", conductor_addr=f"127.0.0.1:{free_port()}")
    with TestClient(create_app(settings)) as c:
        response = c.get(
            "/webhooks/whatsapp",
            params={"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"},
        )

    assert response.status_code == 403


# -- POST: the signature ----------------------------------------------------------------------------


def test_a_post_without_a_signature_is_401(client):
    response = client.post(
        "/webhooks/whatsapp", content=json.dumps(INBOUND), headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 401


@pytest.mark.parametrize(
    "signature",
    [
        sign(b"{}"),
        sign(json.dumps(INBOUND).encode(), secret="another-secret"),
        "sha1=" + hashlib.sha1(b"x").hexdigest(),  # noqa: S324 - the wrong algorithm on purpose
        "sha256=",
        "garbage",
    ],
)
def test_a_post_with_a_wrong_signature_is_403(client, signature):
    raw = json.dumps(INBOUND).encode()

    response = client.post("/webhooks/whatsapp", content=raw, headers={"X-Hub-Signature-256": signature})

    assert response.status_code == 403


def test_the_signature_covers_the_raw_bytes_not_the_parsed_json(client):
    # Meta signs the bytes it sent; the same JSON serialised differently no longer matches.
    raw = json.dumps(INBOUND).encode()
    reserialised = json.dumps(INBOUND, indent=2).encode()

    response = client.post(
        "/webhooks/whatsapp", content=reserialised, headers={"X-Hub-Signature-256": sign(raw)}
    )

    assert response.status_code == 403


def test_a_correctly_signed_post_reaches_the_crm(client):
    raw = json.dumps(INBOUND, separators=(",", ":")).encode()

    response = client.post("/webhooks/whatsapp", content=raw, headers={"X-Hub-Signature-256": sign(raw)})

    # The crm is down here, so the message is not recorded, and Meta is asked to deliver it again.
    assert response.status_code == 503
    assert "Retry-After" in response.headers


def test_a_large_batch_from_meta_is_not_refused_for_its_size(client):
    # The API's own limit is 64 KiB (8 KiB in this client's settings); Meta's batches are bigger.
    raw = json.dumps(
        statuses(*[{"id": f"wamid.{i}", "status": "weird", "timestamp": "1"} for i in range(3000)])
    ).encode()
    assert len(raw) > 64 * 1024

    response = client.post("/webhooks/whatsapp", content=raw, headers={"X-Hub-Signature-256": sign(raw)})

    assert response.status_code == 200


def test_a_signed_body_that_is_not_json_is_400(client):
    raw = b"not json"

    response = client.post("/webhooks/whatsapp", content=raw, headers={"X-Hub-Signature-256": sign(raw)})

    assert response.status_code == 400


def test_a_signed_update_with_nothing_to_record_is_acknowledged(client):
    raw = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
        {"field": "message_template_status_update", "value": {"event": "APPROVED"}}]}]}).encode()  # fmt: skip

    response = client.post("/webhooks/whatsapp", content=raw, headers={"X-Hub-Signature-256": sign(raw)})

    assert response.status_code == 200


def test_without_an_app_secret_a_post_is_not_accepted():
    settings = GatewaySettings(crm_addr=f"127.0.0.1:{free_port()}", conductor_addr=f"127.0.0.1:{free_port()}")
    raw = json.dumps(INBOUND).encode()
    with TestClient(create_app(settings)) as c:
        response = c.post("/webhooks/whatsapp", content=raw, headers={"X-Hub-Signature-256": sign(raw)})

    assert response.status_code == 503


def test_the_signature_check_accepts_upper_case_hex():
    raw = b'{"a":1}'
    assert valid_signature(raw, sign(raw).upper().replace("SHA256=", "sha256="), SECRET)


# -- the payloads ------------------------------------------------------------------------------------


def test_an_inbound_text_is_read_with_the_senders_name():
    update = parse(INBOUND)

    [message] = update.messages
    assert message.wamid.startswith("wamid.HBgM")
    assert message.phone == "919812345678"
    assert message.name == "Priya Sharma"
    assert message.text == "Yes, please share the pricing for 20 seats."
    assert message.phone_number_id == "106540352242922"


def test_a_text_longer_than_the_crm_keeps_is_shortened_not_dropped():
    # WhatsApp lets a student write far more than one message's 4,096 characters;
    # the crm refuses longer texts, and a refused message would go unanswered.
    payload = json.loads(json.dumps(INBOUND))
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = "fees? " + "a" * 9000

    [message] = parse(payload).messages

    assert message.text.startswith("fees? aaa")
    assert len(message.text) == 4096


def test_a_delivered_status_is_read_with_its_time():
    update = parse(
        statuses(
            {
                "id": "wamid.X",
                "status": "delivered",
                "timestamp": "1750030073",
                "recipient_id": "919812345678",
            }
        )
    )

    [status] = update.statuses
    assert (status.wamid, status.status, status.recipient) == ("wamid.X", "delivered", "919812345678")
    assert status.timestamp.isoformat() == "2025-06-15T23:27:53+00:00"


def test_a_failed_status_carries_metas_code_and_reason():
    update = parse(
        statuses(
            {
                "id": "wamid.Y",
                "status": "failed",
                "timestamp": "1750030075",
                "recipient_id": "919812345678",
                "errors": [
                    {
                        "code": 131026,
                        "title": "Message undeliverable",
                        "message": "Message undeliverable",
                        "error_data": {"details": "Message Undeliverable."},
                    }
                ],
            }
        )
    )

    [status] = update.statuses
    assert status.error_code == "131026"
    assert status.error_message == "Message undeliverable: Message Undeliverable."


def test_errors_about_the_account_are_read_from_the_value():
    update = parse(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "WABA",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {"phone_number_id": "106540352242922"},
                                "errors": [
                                    {
                                        "code": 131048,
                                        "title": "Spam rate limit hit",
                                        "error_data": {"details": "Too many messages were blocked."},
                                    },
                                    {"title": "no code: skipped"},
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    )

    [error] = update.errors
    assert (error.code, error.phone_number_id) == ("131048", "106540352242922")
    assert error.message == "Spam rate limit hit: Too many messages were blocked."


def test_unknown_statuses_are_ignored():
    update = parse(statuses({"id": "wamid.Z", "status": "deleted", "timestamp": "1"}))

    assert update.statuses == []
    assert update.ignored


def test_a_marketing_stop_is_read_from_user_preferences():
    update = parse(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "102290129340398",
                    "changes": [
                        {
                            "field": "user_preferences",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {"phone_number_id": "106540352242922"},
                                "contacts": [{"wa_id": "919812345678", "profile": {"name": "Priya"}}],
                                "user_preferences": [
                                    {
                                        "wa_id": "919812345678",
                                        "detail": "User requested to stop marketing messages",
                                        "category": "marketing_messages",
                                        "value": "stop",
                                        "timestamp": 1731705721,
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    )

    [preference] = update.preferences
    assert (preference.phone, preference.category, preference.value) == (
        "919812345678",
        "marketing_messages",
        "stop",
    )
    assert preference.timestamp == "1731705721"


@pytest.mark.parametrize(
    ("message", "text"),
    [
        ({"type": "button", "button": {"text": "Interested", "payload": "LEAD_INTERESTED"}}, "Interested"),
        ({"type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "b1", "title": "Call me"}}}, "Call me"),
        ({"type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "l1", "title": "Data Science", "description": "28 weeks"}}}, "Data Science - 28 weeks"),
        ({"type": "image", "image": {"id": "m1", "caption": "my marksheet"}}, "[image] my marksheet"),
        ({"type": "audio", "audio": {"id": "m2"}}, "[audio]"),
    ],
)  # fmt: skip
def test_replies_of_other_types_become_text(message, text):
    payload = json.loads(json.dumps(INBOUND))
    inbound = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    del inbound["text"]
    inbound.update(message)

    [read] = parse(payload).messages

    assert read.text == text


@pytest.mark.parametrize(
    "change",
    [
        {"type": "reaction", "reaction": {"message_id": "wamid.A", "emoji": "👍"}},
        {"type": "unsupported", "errors": [{"code": 131051}]},
        {"from": "", "from_user_id": "IN.1234567890"},  # a username without a number
    ],
)
def test_messages_with_nothing_to_answer_are_ignored(change):
    payload = json.loads(json.dumps(INBOUND))
    payload["entry"][0]["changes"][0]["value"]["messages"][0].update(change)

    update = parse(payload)

    assert update.messages == []
    assert update.ignored


@pytest.mark.parametrize(
    "payload", [None, [], "x", {"object": "page"}, {"object": "whatsapp_business_account", "entry": "x"}]
)
def test_unexpected_shapes_never_raise(payload):
    assert parse(payload).messages == []
