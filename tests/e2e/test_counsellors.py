"""A course seller's counsellor in the loop, every service its own process: the hand-off is assigned
round robin and the counsellor emailed, their reply reaches the student once even across a conductor
restart, the AI stays silent until the lead is handed back, and an unanswered lead is reassigned on
the crm's clock."""

from __future__ import annotations

import uuid

import httpx
import psycopg2
import pytest

pytestmark = pytest.mark.e2e

ALL = ("crm", "ai", "channels-email", "conductor", "worker-p1", "worker-p2", "gateway")


def api(mesh, method: str, path: str, **kwargs) -> httpx.Response:
    return httpx.request(method, f"{mesh.gateway}{path}", timeout=10, **kwargs)


def company_id(mesh) -> str:
    return str(mesh.sql("SELECT id FROM companies")[0][0])


def add_counsellors(mesh, *names: str) -> list[str]:
    """Counsellors of the company, in this order of seniority (the round robin's order)."""
    ids = []
    conn = psycopg2.connect(mesh.database_url)
    try:
        with conn, conn.cursor() as cur:
            # Earlier tests' counsellors step aside, so each test knows who is next.
            cur.execute("UPDATE users SET is_active = false")
            for i, name in enumerate(names):
                user_id = str(uuid.uuid4())
                cur.execute(
                    "INSERT INTO users (id, company_id, email, name, role, created_at) "
                    "VALUES (%s, %s, %s, %s, 'counsellor', now() + make_interval(secs => %s))",
                    (user_id, company_id(mesh), f"{name.lower()}.{user_id[:8]}@academy.example", name, i),
                )
                ids.append(user_id)
    finally:
        conn.close()
    return ids


def mails_to(mesh, address_part: str) -> list:
    return [m for m in mesh.smtp.messages if any(address_part in to for to in m.rcpt_tos)]


def post_form(mesh, email: str, phone: str, text: str) -> dict:
    posted = api(
        mesh,
        "POST",
        "/inbound-message",
        json={
            "phone_number": phone,
            "contact_name": "Kiran Rao",
            "message_text": text,
            "channel": "email",
            "email": email,
        },
    )
    assert posted.status_code == 200, posted.text
    return posted.json()


def job_done(mesh, job_id: str) -> None:
    mesh.wait_until(lambda: mesh.job_status(job_id) == "completed", what=f"job {job_id} completed")


def test_a_hand_off_reaches_a_counsellor_whose_reply_the_student_gets_once(process_mesh):
    mesh = process_mesh
    asha, _ = add_counsellors(mesh, "Asha", "Bilal")
    suffix = uuid.uuid4().int % 10**8
    student, phone = f"kiran.{suffix}@example.com", f"+9192{suffix:08d}"

    # Given a student who asks for a call: the lead is handed off and Asha is emailed
    first = post_form(mesh, student, phone, "Please call me about the data science course")
    job_done(mesh, first["job_id"])
    lead_id = first["lead_id"]
    mesh.wait_until(lambda: mails_to(mesh, f"asha.{asha[:8]}"), what="Asha's notice")
    assert api(mesh, "GET", f"/leads/{lead_id}").json()["lead"]["assigned_user_id"] == asha

    # When Asha replies and the conductor restarts before her client's retry
    body = {"text": "Hello Kiran, Asha here. Shall I call at 6?", "author_user_id": asha}
    sent = api(
        mesh, "POST", f"/leads/{lead_id}/messages", json=body, headers={"Idempotency-Key": "asha-kiran"}
    )
    assert sent.status_code == 202, sent.text
    job_done(mesh, sent.json()["job_id"])
    mesh.stop("conductor", "worker-p1")
    mesh.start("conductor", "worker-p1")
    again = api(
        mesh, "POST", f"/leads/{lead_id}/messages", json=body, headers={"Idempotency-Key": "asha-kiran"}
    )

    # Then Kiran has her message once
    assert again.json()["message"]["id"] == sent.json()["message"]["id"]
    mesh.smtp.wait_for(len(mesh.smtp.messages) + 1, timeout=2.0)
    assert len([m for m in mails_to(mesh, student) if "Asha here" in m.text]) == 1

    # When Kiran writes again, the AI is silent and Asha is told; after the hand-back the AI answers
    received = len(mails_to(mesh, student))
    later = post_form(mesh, student, phone, "6 is fine")
    job_done(mesh, later["job_id"])
    mesh.wait_until(lambda: len(mails_to(mesh, f"asha.{asha[:8]}")) == 2, what="Asha hears of it")
    assert len(mails_to(mesh, student)) == received
    assert api(mesh, "POST", f"/leads/{lead_id}/hand-back").json()["status"] == "active"
    last = post_form(mesh, student, phone, "What is the fee for data science?")
    job_done(mesh, last["job_id"])
    mesh.wait_until(lambda: len(mails_to(mesh, student)) == received + 1, what="the AI's answer")


def test_an_unanswered_lead_is_reassigned_when_the_clock_passes_the_deadline(process_mesh):
    mesh = process_mesh
    asha, bilal = add_counsellors(mesh, "Asha", "Bilal")
    put = api(mesh, "PUT", f"/companies/{company_id(mesh)}/assignment", json={"reassign_after_minutes": 10})
    assert put.status_code == 200, put.text
    suffix = uuid.uuid4().int % 10**8
    first = post_form(mesh, f"kiran.{suffix}@example.com", f"+9192{suffix:08d}", "Please call me")
    job_done(mesh, first["job_id"])
    assert api(mesh, "GET", f"/leads/{first['lead_id']}").json()["lead"]["assigned_user_id"] == asha

    assert api(mesh, "POST", "/admin/clock", json={"advance_seconds": 10 * 60 + 1}).status_code == 200

    mesh.wait_until(
        lambda: api(mesh, "GET", f"/leads/{first['lead_id']}").json()["lead"]["assigned_user_id"] == bilal,
        what="the lead to move to Bilal",
    )
    mesh.wait_until(lambda: mails_to(mesh, f"bilal.{bilal[:8]}"), what="Bilal's notice")
