"""End to end, as a user meets it: HTTP in, an email out, every service its own process."""

from __future__ import annotations

import json
import time
import uuid

import httpx
import pytest

pytestmark = pytest.mark.e2e


def form(**overrides) -> dict:
    suffix = uuid.uuid4().int % 10**8
    body = {
        "phone_number": f"+9198{suffix:08d}",
        "contact_name": "Rahul Kumar",
        "message_text": "Interested in Digital Marketing course. What is the fee?",
        "channel": "email",
        "email": f"rahul.{suffix}@example.com",
    }
    body.update(overrides)
    return body


def emails_to(mesh, address: str):
    return [m for m in mesh.smtp.messages if address in m.rcpt_tos]


def post(mesh, body, **kwargs) -> httpx.Response:
    return httpx.post(f"{mesh.gateway}/inbound-message", json=body, timeout=10, **kwargs)


def test_a_form_post_produces_exactly_one_email_by_name_with_a_catalogue_fact(process_mesh):
    mesh = process_mesh
    body = form()
    response = post(mesh, body)
    assert response.status_code == 200
    reply = response.json()
    assert reply["status"] == "ok"
    # Well inside the 30 s dispatch lease taken at intake: nothing waited the lease out.
    mesh.wait_until(lambda: emails_to(mesh, body["email"]), timeout=10, what="the reply email")
    time.sleep(1.0)  # anything duplicated would arrive by now
    [email] = emails_to(mesh, body["email"])
    assert email.message["To"].addresses[0].display_name == "Rahul Kumar"
    assert "Hi Rahul" in email.text
    assert "Rs 24,999" in email.text  # the Digital Marketing Pro fee in the demo catalogue
    assert email.html.startswith("<!doctype html>")
    assert mesh.job_status(reply["job_id"]) == "completed"


def test_the_same_post_and_idempotency_key_returns_the_same_ids_and_nothing_more(process_mesh):
    mesh = process_mesh
    body, key = form(), str(uuid.uuid4())
    first = post(mesh, body, headers={"Idempotency-Key": key})
    mesh.wait_until(lambda: emails_to(mesh, body["email"]), what="the first reply")
    second = post(mesh, body, headers={"Idempotency-Key": key})
    assert second.status_code == 200
    assert second.json() == first.json()
    time.sleep(1.5)
    assert len(emails_to(mesh, body["email"])) == 1
    [(leads, jobs)] = mesh.sql(
        "SELECT count(DISTINCT l.id), count(DISTINCT j.id) FROM leads l JOIN jobs j ON j.lead_id = l.id "
        "WHERE l.email = %s AND j.task_name = 'ai_engage'",
        (body["email"],),
    )
    assert (leads, jobs) == (1, 1)


def test_a_lead_posted_while_the_conductor_is_down_is_answered_once_it_starts(process_mesh):
    mesh = process_mesh
    # Given the conductor and its lane workers are stopped (and shut down cleanly)
    codes = mesh.stop("conductor", "worker-p1", "worker-p2")
    assert codes == {"conductor": 0, "worker-p1": 0, "worker-p2": 0}
    try:
        # When a student submits the form
        body = form()
        response = post(mesh, body)
        assert response.status_code == 200
        job_id = response.json()["job_id"]
        time.sleep(1.5)
        assert emails_to(mesh, body["email"]) == []
        assert mesh.job_status(job_id) == "queued"
        # the gateway gave up the job's dispatch lease when its fast dispatch failed, so the
        # relay does not wait the lease out
        assert mesh.sql("SELECT dispatch_until FROM jobs WHERE id = %s", (job_id,)) == [(None,)]
    finally:
        # Then, once the conductor is back, the lead is answered
        mesh.start("conductor", "worker-p1", "worker-p2")
    mesh.wait_until(lambda: emails_to(mesh, body["email"]), what="the reply after restart")
    mesh.wait_until(lambda: mesh.job_status(job_id) == "completed", what="job completion")
    time.sleep(1.0)
    assert len(emails_to(mesh, body["email"])) == 1


def test_a_send_that_fails_ends_in_the_dlq_and_a_replay_delivers_it_once(process_mesh):
    mesh = process_mesh
    # Given the SMTP server is down
    mesh.smtp.stop()
    try:
        body = form()
        job_id = post(mesh, body).json()["job_id"]
        # Then the job is retried and dead-lettered
        mesh.wait_until(lambda: mesh.job_status(job_id) == "dlq", what="the job to be dead-lettered")
        stats = httpx.get(f"{mesh.gateway}/queue/stats", timeout=5).json()
        assert stats["dlq"] >= 1
    finally:
        mesh.smtp.start()
    # When the channel works again and an admin replays the dead letters
    replay = httpx.post(f"{mesh.gateway}/admin/dlq/replay", json={"max_jobs": 10}, timeout=10)
    assert replay.status_code == 200
    assert job_id in replay.json()["job_ids"]
    # Then the reply is delivered exactly once
    mesh.wait_until(lambda: emails_to(mesh, body["email"]), what="the replayed reply")
    mesh.wait_until(lambda: mesh.job_status(job_id) == "completed", what="job completion")
    time.sleep(1.0)
    assert len(emails_to(mesh, body["email"])) == 1


def test_bad_input_gets_a_clear_error_and_changes_nothing(process_mesh):
    mesh = process_mesh
    before = mesh.sql(
        "SELECT (SELECT count(*) FROM leads), (SELECT count(*) FROM messages), (SELECT count(*) FROM jobs)"
    )
    cases = [
        (form(phone_number="not a phone"), 422, "phone_number"),
        (form(message_text=""), 422, "message_text"),
        (form(channel="telegram"), 422, "channel"),
        (form(channel="email", email=None), 422, "email"),
    ]
    for body, status, field in cases:
        response = post(mesh, body)
        assert response.status_code == status, body
        assert field in str(response.json()["detail"])
    big = httpx.post(
        f"{mesh.gateway}/inbound-message",
        content=b"{" + b" " * 200_000 + b"}",
        timeout=10,
        headers={"Content-Type": "application/json"},
    )
    assert big.status_code == 413
    after = mesh.sql(
        "SELECT (SELECT count(*) FROM leads), (SELECT count(*) FROM messages), (SELECT count(*) FROM jobs)"
    )
    assert after == before


def test_every_service_stops_gracefully_on_sigterm(process_mesh):
    mesh = process_mesh
    names = ("channels-email", "ai", "crm", "gateway")
    codes = mesh.stop(*names)
    mesh.start(*names)
    # The gRPC services exit 0 after draining; uvicorn finishes its shutdown,
    # then re-raises SIGTERM so that the exit status says what stopped it.
    assert codes == {"channels-email": 0, "ai": 0, "crm": 0, "gateway": -15}
    assert "Finished server process" in mesh.services["gateway"].log.read_text()


def test_the_ai_eval_scores_a_running_mesh_through_its_gateway(process_mesh, tmp_path):
    # A sample of bench/ai_eval, end to end: a grounded answer, an off-catalogue question, a call
    # request, a keyword opt-out, one the AI reads, and a follow-up that needs the earlier turn.
    from bench.ai_eval.__main__ import main

    results = tmp_path / "gateway.json"
    sample = "fee-ds-hinglish,off-hostel,call-hinglish,optout-stop,optout-hostile,history-fee-after-ds"

    main(["--gateway", process_mesh.gateway, "--part", "tuning", "--only", sample, "--json", str(results)])

    [report] = json.loads(results.read_text())["tuning"]
    assert report["cases"] == 6
    assert report["errors"] == 0
    assert report["grounding_accuracy"] == 1.0
    assert report["invented_facts"] == 0
    assert report["intent_accuracy"] == 1.0
    assert report["opt_out_recall"] == 1.0
