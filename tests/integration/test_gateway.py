"""The REST API against the real mesh: the bodies integrations post, idempotency, errors, admin."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_testkit.ports import free_port


@pytest.fixture
def api(mesh) -> Iterator[TestClient]:
    settings = GatewaySettings(crm_addr=mesh.crm_addr, conductor_addr=mesh.conductor_addr)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def form(**overrides) -> dict:
    suffix = uuid.uuid4().int % 10**8
    body = {
        "phone_number": f"+9198{suffix:08d}",
        "contact_name": "Rahul Kumar",
        "message_text": "Interested in Digital Marketing course",
        "channel": "email",
        "email": f"rahul.{suffix}@example.com",
    }
    body.update(overrides)
    return body


def counts(mesh) -> tuple[int, int, int]:
    return tuple(
        mesh.sql(
            "SELECT (SELECT count(*) FROM leads), (SELECT count(*) FROM messages), (SELECT count(*) FROM jobs)"
        )[0]
    )


def test_the_reference_request_gets_the_reference_response_and_a_reply(api, mesh):
    response = api.post("/inbound-message", json=form())
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert uuid.UUID(body["message_id"])
    assert uuid.UUID(body["job_id"])
    mesh.wait_for_job(body["job_id"], "completed")
    [email] = mesh.smtp.wait_for(1)
    assert "Hi Rahul" in email.text


def fast_dispatches(api) -> dict[str, float]:
    return {
        result: next(
            float(line.rsplit(" ", 1)[1])
            for line in api.get("/metrics").text.splitlines()
            if line.startswith(f'shvya_gateway_fast_dispatch_total{{result="{result}"}}')
        )
        for result in ("dispatched", "released", "lease_gone", "lease_kept")
    }


def test_a_form_s_job_is_leased_at_intake_and_handed_straight_to_the_conductor(api, mesh):
    # When a student submits the form
    response = api.post("/inbound-message", json=form())
    job_id = response.json()["job_id"]
    # Then the gateway asked the crm to lease the job for dispatch and handed it over itself
    # (the relay, which would also answer it, never claimed it), and the reply went out
    assert fast_dispatches(api) == {"dispatched": 1.0, "released": 0.0, "lease_gone": 0.0, "lease_kept": 0.0}
    mesh.wait_for_job(job_id, "completed")
    assert mesh.smtp.wait_for(1)


def test_when_the_hand_off_fails_the_lease_is_released_for_the_relay(mesh):
    # Given a gateway whose conductor does not answer (nothing listens at its address)
    settings = GatewaySettings(
        crm_addr=mesh.crm_addr, conductor_addr=f"127.0.0.1:{free_port()}", request_timeout_seconds=2
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as api:
        # When a student submits the form
        job_id = api.post("/inbound-message", json=form()).json()["job_id"]
        # Then the gateway gave the job's dispatch lease back
        assert fast_dispatches(api) == {
            "dispatched": 0.0,
            "released": 1.0,
            "lease_gone": 0.0,
            "lease_kept": 0.0,
        }
    # And the mesh's relay answers the lead at its next pass, not after the 30 s lease
    mesh.wait_for_job(job_id, "completed", timeout=10)
    assert mesh.smtp.wait_for(1)


def test_the_same_post_with_the_same_idempotency_key_returns_the_same_ids_and_sends_once(api, mesh):
    body, key = form(), str(uuid.uuid4())
    first = api.post("/inbound-message", json=body, headers={"Idempotency-Key": key})
    mesh.wait_for_job(first.json()["job_id"], "completed")
    before = counts(mesh)
    second = api.post("/inbound-message", json=body, headers={"Idempotency-Key": key})
    assert second.status_code == 200
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert counts(mesh) == before
    mesh.smtp.wait_for(2, timeout=1.0)
    assert len(mesh.smtp.messages) == 1


def test_reusing_an_idempotency_key_with_another_body_is_refused_and_changes_nothing(api, mesh):
    key = str(uuid.uuid4())
    first = api.post("/inbound-message", json=form(), headers={"Idempotency-Key": key})
    mesh.wait_for_job(first.json()["job_id"], "completed")  # its reply is written too
    before = counts(mesh)
    response = api.post(
        "/inbound-message", json=form(message_text="Something else"), headers={"Idempotency-Key": key}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert counts(mesh) == before


def test_an_identical_re_post_without_a_key_is_recognised(api, mesh):
    body = form()
    first = api.post("/inbound-message", json=body).json()
    mesh.wait_for_job(first["job_id"], "completed")  # its reply is written too
    before = counts(mesh)
    second = api.post("/inbound-message", json=body).json()
    assert second == first
    assert counts(mesh) == before


def test_a_website_form_can_post_urlencoded(api, mesh):
    response = api.post("/inbound-message", data=form(utm_source="google"))
    assert response.status_code == 200
    mesh.wait_for_job(response.json()["job_id"], "completed")


def test_an_invalid_phone_is_a_422_naming_the_field_and_reason(api, mesh):
    before = counts(mesh)
    response = api.post("/inbound-message", json=form(phone_number="12345"))
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "phone_number"]
    assert "not a valid phone number" in error["msg"]
    assert counts(mesh) == before


def test_every_invalid_field_is_reported_at_once(api):
    response = api.post("/inbound-message", json=form(phone_number="abc", email=None))
    assert response.status_code == 422
    locs = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert locs == {("body", "phone_number"), ("body", "email")}


def test_an_email_a_form_left_empty_is_still_required_for_the_email_channel(api):
    response = api.post("/inbound-message", json=form(email=""))
    assert response.status_code == 422
    assert [tuple(e["loc"]) for e in response.json()["detail"]] == [("body", "email")]


def test_a_national_number_is_stored_in_e164(api, mesh):
    response = api.post("/inbound-message", json=form(phone_number="098765 43210"))
    lead_id = response.json()["lead_id"]
    assert mesh.sql("SELECT phone FROM leads WHERE id = %s", (lead_id,))[0][0] == "+919876543210"


def test_an_unknown_company_is_created_with_its_pipeline(api, mesh):
    company_id = str(uuid.uuid4())
    response = api.post("/inbound-message", json=form(company_id=company_id))
    assert response.status_code == 200
    stages = mesh.sql(
        "SELECT s.key FROM stages s JOIN pipelines p ON p.id = s.pipeline_id WHERE p.company_id = %s ORDER BY s.position",
        (company_id,),
    )
    assert [s for (s,) in stages] == ["new", "contacted", "qualified", "enrolled", "lost"]


def test_queue_stats_have_the_reference_shape(api, mesh):
    job_id = api.post("/inbound-message", json=form()).json()["job_id"]
    mesh.wait_for_job(job_id, "completed")
    stats = api.get("/queue/stats").json()
    assert {key: stats[key] for key in ("queued", "processing", "completed", "failed", "dlq")} == {
        "queued": 1,  # the follow-up, waiting for a day of silence
        "processing": 0,
        "completed": 1,
        "failed": 0,
        "dlq": 0,
    }


def test_queue_stats_tell_a_follow_up_due_tomorrow_from_a_job_due_now(api, mesh):
    job_id = api.post("/inbound-message", json=form()).json()["job_id"]
    mesh.wait_for_job(job_id, "completed")

    stats = api.get("/queue/stats").json()

    assert (stats["queued"], stats["due_now"], stats["scheduled_later"]) == (1, 0, 1)
    assert stats["oldest_due_seconds"] == 0


def test_replay_with_the_reference_body_requeues_dead_letters(api, mesh):
    mesh.smtp.refuse_recipients("550 5.1.1 no such user")
    job_id = api.post("/inbound-message", json=form()).json()["job_id"]
    mesh.wait_for_job(job_id, "dlq")
    mesh.smtp.refuse_recipients(None)
    response = api.post("/admin/dlq/replay", json={"max_jobs": 10})
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "replayed": 1, "job_ids": [job_id]}
    mesh.wait_for_job(job_id, "completed")
    assert len(mesh.smtp.wait_for(1)) == 1


def test_replay_of_named_job_ids_requeues_only_those(api, mesh):
    mesh.smtp.refuse_recipients("550 5.1.1 no such user")
    chosen = api.post("/inbound-message", json=form()).json()["job_id"]
    left = api.post("/inbound-message", json=form()).json()["job_id"]
    mesh.wait_for_job(chosen, "dlq")
    mesh.wait_for_job(left, "dlq")
    mesh.smtp.refuse_recipients(None)

    response = api.post("/admin/dlq/replay", json={"job_ids": [chosen]})

    assert response.json() == {"status": "ok", "replayed": 1, "job_ids": [chosen]}
    mesh.wait_for_job(chosen, "completed")
    assert mesh.job_status(left) == "dlq"


def test_replay_of_a_job_that_is_not_dead_replays_nothing(api, mesh):
    job_id = api.post("/inbound-message", json=form()).json()["job_id"]
    mesh.wait_for_job(job_id, "completed")

    response = api.post("/admin/dlq/replay", json={"job_ids": [job_id]})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "job_ids"]
    assert mesh.job_status(job_id) == "completed"


def test_the_conversation_shows_each_message_with_its_delivery_status(api, mesh):
    body = api.post("/inbound-message", json=form()).json()
    mesh.wait_for_job(body["job_id"], "completed")
    conversation = api.get(f"/leads/{body['lead_id']}").json()
    assert conversation["lead"]["stage"] == "contacted"
    assert [(m["direction"], m["status"]) for m in conversation["messages"]] == [
        ("inbound", "received"),
        ("outbound", "sent"),
    ]
    outbound = conversation["messages"][1]
    assert outbound["external_id"].startswith("<")
    assert outbound["sent_at"]
    assert api.get(f"/messages/{outbound['id']}").json()["status"] == "sent"


def test_an_unknown_lead_is_a_404(api):
    assert api.get(f"/leads/{uuid.uuid4()}").status_code == 404


def test_readiness_is_green_when_the_backends_answer(api):
    response = api.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"crm": "SERVING", "conductor": "SERVING"}
