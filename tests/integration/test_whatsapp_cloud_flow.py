"""WhatsApp Cloud API end to end in the mesh: a form is answered with the company's approved template,
the student's reply arrives through Meta's webhook and is answered in free text, statuses show on
the message, opt-outs suppress, and Meta's errors end where they should."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.type.v1 import channel_pb2
from shvya_crm.settings import DEFAULT_COMPANY_ID
from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_testkit import meta_webhooks as meta

INTRO_BODY = (
    "Hi {first_name}, thanks for your interest in {course} at Shvya Demo Academy. "
    "Reply here with any question and a counsellor will answer."
)


@pytest.fixture
def api(mesh) -> Iterator[TestClient]:
    settings = GatewaySettings(
        crm_addr=mesh.crm_addr,
        conductor_addr=mesh.conductor_addr,
        channels_whatsapp_cloud_addr=mesh.channel_addrs["whatsapp_cloud"],
        whatsapp_verify_token=meta.VERIFY_TOKEN,
        whatsapp_app_secret=meta.APP_SECRET,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def intro_template(mesh) -> outreach_pb.Template:
    return mesh.crm.outreach.UpsertTemplate(
        outreach_pb.UpsertTemplateRequest(
            template=outreach_pb.Template(
                company_id=str(DEFAULT_COMPANY_ID),
                name="lead_intro_v1",
                channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
                language="en_US",
                body=INTRO_BODY,
                variables=["first_name", "course"],
            )
        )
    ).template


def phone() -> str:
    return f"+9198{uuid.uuid4().int % 10**8:08d}"


def post_form(api, number: str, text: str = "Interested in the Digital Marketing course") -> dict:
    response = api.post(
        "/inbound-message",
        json={
            "phone_number": number,
            "contact_name": "Priya Sharma",
            "message_text": text,
            "channel": "whatsapp_cloud",
        },
    )
    assert response.status_code == 200, response.text
    return response.json()


def webhook(api, payload: dict):
    raw, headers = meta.signed(payload)
    return api.post("/webhooks/whatsapp", content=raw, headers=headers)


def outbound(mesh, lead_id: str) -> list[tuple]:
    return mesh.sql(
        "SELECT id::text, status, text, external_id, error_message FROM messages "
        "WHERE lead_id = %s AND direction = 'outbound' ORDER BY created_at",
        (lead_id,),
    )


def sends_to(mesh, number: str) -> list:
    return [r for r in mesh.graph.sends() if r.to == number.lstrip("+")]


def test_a_form_on_the_cloud_api_is_answered_with_the_approved_template(api, mesh, intro_template):
    number = phone()

    form = post_form(api, number)
    mesh.wait_for_job(form["job_id"], "completed")

    [sent] = sends_to(mesh, number)
    assert sent.body["type"] == "template"
    assert sent.body["template"]["name"] == "lead_intro_v1"
    assert sent.body["template"]["language"] == {"code": "en_US"}
    params = [p["text"] for p in sent.body["template"]["components"][0]["parameters"]]
    assert params == ["Priya", "Digital Marketing Pro"]
    [(_, status, text, external_id, _)] = outbound(mesh, form["lead_id"])
    assert status == "sent"
    assert text.startswith("Hi Priya, thanks for your interest in Digital Marketing Pro")
    assert external_id.startswith("wamid.")


def test_without_an_approved_template_first_contact_is_not_sent_and_says_why(api, mesh):
    number = phone()

    form = post_form(api, number)
    mesh.wait_for_job(form["job_id"], "dlq")

    assert sends_to(mesh, number) == []
    [(error,)] = mesh.sql("SELECT error_message FROM jobs WHERE id = %s", (form["job_id"],))
    assert "approved template" in error


def test_the_students_whatsapp_reply_continues_the_conversation_in_free_text(api, mesh, intro_template):
    # Given a lead answered with the template
    number = phone()
    form = post_form(api, number)
    mesh.wait_for_job(form["job_id"], "completed")

    # When the student replies on WhatsApp
    response = webhook(
        api, meta.text_message(number, "Priya Sharma", "What is the fee for Digital Marketing Pro?")
    )

    # Then the reply is recorded on the same lead and answered in free text, from the catalogue
    assert response.status_code == 200
    mesh.wait_until(lambda: len(sends_to(mesh, number)) == 2, what="the answer to the reply")
    answer = sends_to(mesh, number)[1]
    assert answer.body["type"] == "text"
    assert "Rs 24,999" in answer.body["text"]["body"]
    conversation = api.get(f"/leads/{form['lead_id']}").json()["messages"]
    assert [(m["direction"], m["channel"]) for m in conversation] == [
        ("inbound", "whatsapp_cloud"),
        ("outbound", "whatsapp_cloud"),
        ("inbound", "whatsapp_cloud"),
        ("outbound", "whatsapp_cloud"),
    ]
    assert conversation[2]["text"] == "What is the fee for Digital Marketing Pro?"
    mesh.wait_until(lambda: api.get(f"/leads/{form['lead_id']}").json()["messages"][3]["status"] == "sent")


def test_a_redelivered_webhook_records_and_answers_nothing_twice(api, mesh, intro_template):
    number = phone()
    payload = meta.text_message(number, "Priya Sharma", "Is there a weekend batch?")

    first = webhook(api, payload)
    mesh.wait_until(lambda: len(sends_to(mesh, number)) == 1, what="the answer")
    again = webhook(api, payload)
    time.sleep(1.0)

    assert (first.status_code, again.status_code) == (200, 200)
    assert len(sends_to(mesh, number)) == 1
    [(messages, jobs)] = mesh.sql(
        "SELECT (SELECT count(*) FROM messages m JOIN leads l ON l.id = m.lead_id WHERE l.phone = %s "
        "AND m.direction = 'inbound'), (SELECT count(*) FROM jobs j JOIN leads l ON l.id = j.lead_id "
        "WHERE l.phone = %s AND j.task_name = 'ai_engage')",
        (number, number),
    )
    assert (messages, jobs) == (1, 1)


def test_statuses_move_the_message_forward_and_show_through_rest(api, mesh, intro_template):
    number = phone()
    form = post_form(api, number)
    mesh.wait_for_job(form["job_id"], "completed")
    [(message_id, _, _, wamid, _)] = outbound(mesh, form["lead_id"])

    for state in ("delivered", "read", "delivered"):
        assert webhook(api, meta.status(wamid, state, number)).status_code == 200

    view = api.get(f"/messages/{message_id}").json()
    assert view["status"] == "read"
    assert view["delivered_at"] is not None
    assert view["read_at"] is not None


def test_a_failed_status_shows_metas_reason_on_the_message(api, mesh, intro_template):
    number = phone()
    form = post_form(api, number)
    mesh.wait_for_job(form["job_id"], "completed")
    [(message_id, _, _, wamid, _)] = outbound(mesh, form["lead_id"])
    errors = [
        {
            "code": 131026,
            "title": "Message undeliverable",
            "message": "Message undeliverable",
            "error_data": {"details": "Message Undeliverable."},
        }
    ]

    webhook(api, meta.status(wamid, "failed", number, errors))

    view = api.get(f"/messages/{message_id}").json()
    assert view["status"] == "failed"
    assert view["error"] == "131026: Message undeliverable: Message Undeliverable."


def test_a_marketing_opt_out_suppresses_the_lead(api, mesh, intro_template):
    number = phone()
    form = post_form(api, number)
    mesh.wait_for_job(form["job_id"], "completed")

    preference = meta.marketing_preference(number, "stop")
    for _ in range(2):  # Meta may deliver the same webhook twice
        assert webhook(api, preference).status_code == 200

    lead = api.get(f"/leads/{form['lead_id']}").json()["lead"]
    assert lead["status"] == "opted_out"
    consents = mesh.crm.leads.ListConsents(leads_pb.ListConsentsRequest(lead_id=form["lead_id"])).consents
    assert [(c.action, c.source) for c in consents] == [
        (leads_pb.CONSENT_ACTION_OPT_OUT, "whatsapp_user_preferences")
    ]


def test_a_reply_held_by_pacing_is_deferred_without_spending_an_attempt_then_sent(
    api, mesh, intro_template, redis_client
):
    # Given another replica messaged this student a moment ago (the pair gap is taken)
    number = phone()
    pair = f"{mesh.conductor_settings.redis_namespace}:channels:whatsapp_cloud:{mesh.graph.phone_id}:to:{number[1:]}"
    redis_client.set(pair, "taken", px=1500)

    # When the student writes
    webhook(api, meta.text_message(number, "Priya Sharma", "What is the fee for data science?"))

    # Then the answer waits for the gap, is sent once, and the wait cost no attempt
    mesh.wait_until(lambda: len(sends_to(mesh, number)) == 1, timeout=20, what="the answer")
    [job_id] = [j for (j,) in mesh.sql(
        "SELECT j.id::text FROM jobs j JOIN leads l ON l.id = j.lead_id "
        "WHERE l.phone = %s AND j.task_name = 'ai_engage'",
        (number,),
    )]  # fmt: skip
    mesh.wait_for_job(job_id, "completed")
    assert (
        mesh.sql("SELECT count(*) FROM events WHERE entity_id = %s AND type = 'job.deferred'", (job_id,))[0][
            0
        ]
        >= 1
    )
    assert mesh.sql("SELECT attempts FROM jobs WHERE id = %s", (job_id,)) == [(1,)]


def test_a_number_not_on_whatsapp_fails_the_message_for_good(api, mesh, intro_template):
    number = phone()
    mesh.graph.fail_next(131026)

    form = post_form(api, number)
    mesh.wait_for_job(form["job_id"], "dlq")

    [(_, status, _, _, error)] = outbound(mesh, form["lead_id"])
    assert status == "failed"
    assert "not on WhatsApp" in error


def test_a_restricted_account_is_stopped_for_every_lead_and_shows_to_admins(api, mesh, intro_template):
    mesh.graph.fail_next(368)
    first = post_form(api, phone())
    mesh.wait_for_job(first["job_id"], "dlq")

    second_number = phone()
    second = post_form(api, second_number)
    mesh.wait_for_job(second["job_id"], "dlq")

    assert sends_to(mesh, second_number) == []
    status = api.get("/admin/whatsapp-cloud/status").json()
    assert status["stopped"] is True
    assert status["stop_code"] == "368"
    resumed = api.post("/admin/whatsapp-cloud/resume", json={"reason": "Meta lifted the restriction"}).json()
    assert resumed["resumed"] is True
    assert api.post("/admin/dlq/replay", json={"max_jobs": 10}).json()["replayed"] == 2
    mesh.wait_for_job(second["job_id"], "completed")
    assert len(sends_to(mesh, second_number)) == 1


def test_a_restriction_meta_reports_in_a_status_webhook_stops_the_account(api, mesh, intro_template):
    # Given a lead answered with the template
    number = phone()
    form = post_form(api, number)
    mesh.wait_for_job(form["job_id"], "completed")
    [(_, _, _, wamid, _)] = outbound(mesh, form["lead_id"])
    # When Meta later reports, in a failed status, that the business account is restricted
    errors = [
        {
            "code": 368,
            "title": "Temporarily blocked for policies violations",
            "error_data": {"details": "The account is restricted."},
        }
    ]
    response = webhook(api, meta.status(wamid, "failed", number, errors))

    # Then the account is stopped, exactly as if a send had been refused with 368
    assert response.status_code == 200
    assert response.json()["account_stops"] == 1
    status = api.get("/admin/whatsapp-cloud/status").json()
    assert (status["stopped"], status["stop_code"]) == (True, "368")
    assert "reported in a webhook" in status["stop_reason"]
    # and the next lead gets nothing from it until an admin resumes the account
    other = phone()
    second = post_form(api, other)
    mesh.wait_for_job(second["job_id"], "dlq")
    assert sends_to(mesh, other) == []


def test_an_account_error_outside_any_status_stops_the_account(api, mesh):
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "WABA",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"display_phone_number": "15550001111", "phone_number_id": "1"},
                            "errors": [{"code": 131048, "title": "Spam rate limit hit"}],
                        },
                    }
                ],
            }
        ],
    }

    response = webhook(api, payload)

    assert response.status_code == 200
    assert api.get("/admin/whatsapp-cloud/status").json()["stop_code"] == "131048"


def test_an_ordinary_failure_in_a_status_does_not_stop_the_account(api, mesh, intro_template):
    number = phone()
    form = post_form(api, number)
    mesh.wait_for_job(form["job_id"], "completed")
    [(_, _, _, wamid, _)] = outbound(mesh, form["lead_id"])

    webhook(api, meta.status(wamid, "failed", number, [{"code": 131026, "title": "Message undeliverable"}]))

    assert api.get("/admin/whatsapp-cloud/status").json()["stopped"] is False
