"""End to end on WhatsApp, every service its own process: a form answered with the approved template,
then the student's WhatsApp reply (Meta's signed webhook) continues the conversation, and Meta's
statuses show on the message through the REST API."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.type.v1 import channel_pb2
from shvya_rpc.client import connect
from shvya_rpc.crm_client import CrmClient
from shvya_testkit import meta_webhooks as meta

pytestmark = pytest.mark.e2e

DEFAULT_COMPANY = "00000000-0000-4000-8000-000000000001"


@pytest.fixture(scope="module")
def intro_template(process_mesh) -> None:
    """The company's approved template, registered as an internal team would: over gRPC."""
    with connect(process_mesh.env["CRM_ADDR"]) as channel:
        CrmClient.over(channel).outreach.UpsertTemplate(
            outreach_pb.UpsertTemplateRequest(
                template=outreach_pb.Template(
                    company_id=DEFAULT_COMPANY,
                    name="lead_intro_v1",
                    channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
                    language="en",
                    body="Hi {first_name}, thanks for asking about {course}. Reply here with any question.",
                    variables=["first_name", "course"],
                )
            ),
            timeout=10,
        )


def phone() -> str:
    return f"+9197{uuid.uuid4().int % 10**8:08d}"


def webhook(mesh, payload: dict) -> httpx.Response:
    raw, headers = meta.signed(payload)
    return httpx.post(f"{mesh.gateway}/webhooks/whatsapp", content=raw, headers=headers, timeout=10)


def sends_to(mesh, number: str) -> list:
    return [r for r in mesh.graph.sends() if r.to == number.lstrip("+")]


def conversation(mesh, lead_id: str) -> list[dict]:
    return httpx.get(f"{mesh.gateway}/leads/{lead_id}", timeout=10).json()["messages"]


def test_meta_verifies_the_webhook(process_mesh):
    response = httpx.get(
        f"{process_mesh.gateway}/webhooks/whatsapp",
        params={"hub.mode": "subscribe", "hub.verify_token": meta.VERIFY_TOKEN, "hub.challenge": "8814"},
        timeout=10,
    )

    assert (response.status_code, response.text) == (200, "8814")


def test_a_students_whatsapp_reply_continues_the_conversation(process_mesh, intro_template):
    mesh = process_mesh
    number = phone()
    # Given a form that asked to be contacted on WhatsApp, answered with the approved template
    form = httpx.post(
        f"{mesh.gateway}/inbound-message",
        json={
            "phone_number": number,
            "contact_name": "Priya Sharma",
            "message_text": "Interested in the Data Science course",
            "channel": "whatsapp_cloud",
        },
        timeout=10,
    ).json()
    mesh.wait_until(lambda: len(sends_to(mesh, number)) == 1, what="the template")
    [template] = sends_to(mesh, number)
    assert template.body["type"] == "template"
    assert [p["text"] for p in template.body["template"]["components"][0]["parameters"]] == [
        "Priya",
        "Data Science and AI",
    ]

    # When the student replies on WhatsApp (Meta posts the signed webhook)
    reply = webhook(mesh, meta.text_message(number, "Priya Sharma", "What is the fee for Data Science?"))
    assert reply.status_code == 200

    # Then the same conversation continues with a free-text answer from the catalogue
    mesh.wait_until(lambda: len(sends_to(mesh, number)) == 2, what="the answer")
    answer = sends_to(mesh, number)[1]
    assert answer.body["type"] == "text"
    assert "Rs 59,999" in answer.body["text"]["body"]
    messages = conversation(mesh, form["lead_id"])
    assert [m["direction"] for m in messages] == ["inbound", "outbound", "inbound", "outbound"]
    assert messages[2]["text"] == "What is the fee for Data Science?"


def test_statuses_from_meta_show_on_the_message(process_mesh, intro_template):
    mesh = process_mesh
    number = phone()
    webhook(mesh, meta.text_message(number, "Arjun Mehta", "Do you have a weekend batch?"))
    mesh.wait_until(lambda: sends_to(mesh, number), what="the answer")

    def answered() -> dict | None:
        [(lead_id,)] = mesh.sql("SELECT id::text FROM leads WHERE phone = %s", (number,))
        sent = [m for m in conversation(mesh, lead_id) if m["direction"] == "outbound" and m["external_id"]]
        return sent[0] if sent else None

    mesh.wait_until(answered, what="the recorded answer")
    message = answered()
    for state in ("sent", "delivered", "read"):
        assert webhook(mesh, meta.status(message["external_id"], state, number)).status_code == 200

    view = httpx.get(f"{mesh.gateway}/messages/{message['id']}", timeout=10).json()
    assert view["status"] == "read"


def test_a_redelivered_reply_is_answered_once(process_mesh, intro_template):
    mesh = process_mesh
    number = phone()
    payload = meta.text_message(number, "Neha Gupta", "Is placement guaranteed?")

    assert webhook(mesh, payload).status_code == 200
    mesh.wait_until(lambda: sends_to(mesh, number), what="the answer")
    assert webhook(mesh, payload).status_code == 200
    time.sleep(1.5)

    assert len(sends_to(mesh, number)) == 1


def test_a_mis_signed_webhook_is_refused_and_records_nothing(process_mesh):
    mesh = process_mesh
    number = phone()
    raw, headers = meta.signed(meta.text_message(number, "Mallory", "hello"), secret="not-the-app-secret")

    response = httpx.post(f"{mesh.gateway}/webhooks/whatsapp", content=raw, headers=headers, timeout=10)

    assert response.status_code == 403
    assert mesh.sql("SELECT count(*) FROM leads WHERE phone = %s", (number,)) == [(0,)]
