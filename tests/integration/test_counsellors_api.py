"""Counsellors through the REST API, as a course seller works: the hand-off reaches a counsellor's
inbox, their reply reaches the student once, the AI waits until the lead is handed back; and the
settings behind it (rules, reassign-after, availability) refuse bad input without changing anything."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from shvya_crm.settings import DEFAULT_COMPANY_ID
from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings

TOKEN = "admin-token-for-tests-0123"
COMPANY = str(DEFAULT_COMPANY_ID)


def inbox(mesh, user_id: str) -> list:
    [(email,)] = mesh.sql("SELECT email FROM users WHERE id = %s", (user_id,))
    return [m for m in mesh.smtp.messages if email in m.rcpt_tos]


def wait_for_inbox(mesh, user_id: str, count: int) -> list:
    mesh.wait_until(lambda: len(inbox(mesh, user_id)) >= count, what=f"{count} emails to {user_id}")
    return inbox(mesh, user_id)


def quiet_moment(mesh) -> None:
    """Long enough for a send nobody should make to have been made."""
    mesh.smtp.wait_for(len(mesh.smtp.messages) + 1, timeout=1.5)


@pytest.fixture
def api(mesh) -> Iterator[TestClient]:
    settings = GatewaySettings(crm_addr=mesh.crm_addr, conductor_addr=mesh.conductor_addr, admin_token=TOKEN)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        client.headers["Authorization"] = f"Bearer {TOKEN}"
        yield client


class Student:
    def __init__(self, api, mesh) -> None:
        self.api, self.mesh = api, mesh
        suffix = uuid.uuid4().int % 10**8
        self.phone = f"+9194{suffix:08d}"
        self.email = f"rohan.{suffix}@example.com"
        self.id = ""

    def writes(self, text: str) -> None:
        posted = self.api.post(
            "/inbound-message",
            json={
                "phone_number": self.phone,
                "contact_name": "Rohan Das",
                "message_text": text,
                "channel": "email",
                "email": self.email,
            },
        )
        assert posted.status_code == 200, posted.text
        self.id = posted.json()["lead_id"]
        self.mesh.wait_for_job(posted.json()["job_id"], "completed")

    def emails(self) -> list:
        return [m for m in self.mesh.smtp.messages if self.email in m.rcpt_tos]

    def lead(self) -> dict:
        return self.api.get(f"/leads/{self.id}").json()["lead"]


def test_a_course_seller_answers_a_hand_off_from_shvya_and_hands_it_back(api, mesh):
    # Given two counsellors and a student who asks for a call
    asha, bilal = mesh.add_counsellors("Asha", "Bilal")
    student = Student(api, mesh)
    student.writes("Please call me about the data science course")

    # Then the lead is Asha's (round robin) and she has an email about it
    assert (student.lead()["status"], student.lead()["assigned_user_id"]) == ("handed_off", asha)
    assert "New lead for you" in wait_for_inbox(mesh, asha, 1)[0].message["Subject"]

    # When Asha replies through the API, and her client retries the request
    body = {"text": "Hello Rohan, Asha here. Is 6 pm a good time to call?", "author_user_id": asha}
    first = api.post(f"/leads/{student.id}/messages", json=body, headers={"Idempotency-Key": "asha-rohan-1"})
    retry = api.post(f"/leads/{student.id}/messages", json=body, headers={"Idempotency-Key": "asha-rohan-1"})

    # Then Rohan receives it by email, once, and the conversation shows who wrote it
    assert (first.status_code, retry.status_code) == (202, 202)
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json()["message"]["id"] == first.json()["message"]["id"]
    mesh.wait_for_job(first.json()["job_id"], "completed")
    quiet_moment(mesh)
    assert len([m for m in student.emails() if "Asha here" in m.text]) == 1
    shown = api.get(f"/leads/{student.id}").json()["messages"][-1]
    assert (shown["author"], shown["purpose"], shown["status"]) == (asha, "counsellor", "sent")

    # When Rohan writes again, the AI stays silent and Asha hears of it
    received = len(student.emails())
    student.writes("Yes, 6 pm is fine")
    quiet_moment(mesh)
    assert len(student.emails()) == received
    assert "Yes, 6 pm is fine" in wait_for_inbox(mesh, asha, 2)[-1].text

    # When Asha hands the lead back, the AI answers Rohan's next message
    handed_back = api.post(f"/leads/{student.id}/hand-back", json={"actor": asha})
    assert handed_back.json()["status"] == "active"
    student.writes("What is the fee for the data science course?")
    mesh.wait_until(lambda: len(student.emails()) == received + 1, what="the AI's answer")
    assert inbox(mesh, bilal) == []


def test_take_over_then_put_assignee_moves_the_lead_and_notifies_the_new_counsellor(api, mesh):
    asha, bilal = mesh.add_counsellors("Asha", "Bilal")
    student = Student(api, mesh)
    student.writes("Hi, I am interested in the UI/UX course")

    taken = api.post(f"/leads/{student.id}/take-over", json={"user_id": asha})
    moved = api.put(f"/leads/{student.id}/assignee", json={"user_id": bilal})

    assert (taken.json()["status"], taken.json()["assigned_user_id"]) == ("handed_off", asha)
    assert (moved.json()["changed"], moved.json()["lead"]["assigned_user_id"]) == (True, bilal)
    assert "New lead for you" in wait_for_inbox(mesh, bilal, 1)[0].message["Subject"]


def test_a_reply_without_an_idempotency_key_is_refused_naming_it(api, mesh):
    student = Student(api, mesh)
    student.writes("Hello")

    refused = api.post(f"/leads/{student.id}/messages", json={"text": "Hi"})

    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert [m["direction"] for m in api.get(f"/leads/{student.id}").json()["messages"]].count("outbound") == 1


def test_a_reply_to_an_opted_out_lead_is_a_conflict(api, mesh):
    student = Student(api, mesh)
    student.writes("STOP")

    refused = api.post(f"/leads/{student.id}/messages", json={"text": "Hi", "idempotency_key": "k-1"})

    assert refused.status_code == 409
    assert "opted out" in refused.json()["detail"]


def test_handing_back_a_lead_nobody_took_is_a_conflict(api, mesh):
    student = Student(api, mesh)
    student.writes("Hello")

    refused = api.post(f"/leads/{student.id}/hand-back")

    assert refused.status_code == 409
    assert student.lead()["status"] == "active"


def test_assignment_settings_round_trip_and_a_stranger_in_a_rule_is_refused(api, mesh):
    [asha] = mesh.add_counsellors("Asha")
    good = {"reassign_after_minutes": 15, "rules": [{"course": "Data Science and AI", "user_ids": [asha]}]}
    stranger = {"reassign_after_minutes": 5, "rules": [{"course": "UX", "user_ids": [str(uuid.uuid4())]}]}

    saved = api.put(f"/companies/{COMPANY}/assignment", json=good)
    refused = api.put(f"/companies/{COMPANY}/assignment", json=stranger)

    assert saved.status_code == 200
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "rules", "0", "user_ids", "0"]
    shown = api.get(f"/companies/{COMPANY}/assignment").json()
    assert (shown["reassign_after_minutes"], shown["rules"]) == (15, good["rules"])
    assert [c["id"] for c in shown["counsellors"]] == [asha]


def test_availability_and_working_hours_are_set_and_bad_hours_refused(api, mesh):
    [asha] = mesh.add_counsellors("Asha")
    hours = {"days": [1, 2, 3, 4, 5], "start": "09:30", "end": "18:30", "timezone": "Asia/Kolkata"}

    away = api.patch(f"/users/{asha}/availability", json={"available": False, "working_hours": hours})
    bad = api.patch(
        f"/users/{asha}/availability", json={"available": True, "working_hours": {"start": "09:30"}}
    )

    assert (away.status_code, away.json()["available"], away.json()["working_hours"]) == (200, False, hours)
    assert bad.status_code == 422
    assert mesh.sql("SELECT available FROM users WHERE id = %s", (asha,)) == [(False,)]
