"""The console's main journeys in headless Chromium against the running mesh, as a course seller
and a counsellor use it."""

from __future__ import annotations

import re
import uuid

import pytest

from shvya_crm.leads.companies import ensure_company
from shvya_crm.storage.db import make_engine, make_sessionmaker
from tests.integration.console.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def post_form(gateway, text: str = "Hi, what is the fee for the Data Science course?") -> dict:
    suffix = uuid.uuid4().int % 10**8
    student = {
        "phone_number": f"+9198{suffix:08d}",
        "contact_name": f"Meera {suffix}",
        "message_text": text,
        "channel": "email",
        "email": f"meera.{suffix}@example.com",
    }
    reply = gateway.post("/inbound-message", json=student)
    assert reply.status_code in (200, 201, 202), reply.text
    student["lead_id"] = reply.json()["lead_id"]
    return student


def wait_for_the_ai_reply(mesh, lead_id: str) -> None:
    def replied() -> bool:
        sql = "SELECT count(*) FROM messages WHERE lead_id = %s AND direction = 'outbound'"
        return mesh.sql(sql, (lead_id,))[0][0] >= 1

    mesh.wait_until(replied, what="the AI's first reply")


def test_signing_in_with_a_wrong_password_shows_an_error_and_no_session(page, console, owner):
    page.goto(f"{console.url}/sign-in")
    page.get_by_label("Email").fill(owner.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("Wrong email or password")
    page.goto(f"{console.url}/inbox")
    assert "/sign-in" in page.url


def test_a_new_form_appears_in_the_inbox_without_a_reload(page, console, owner, gateway, mesh):
    sign_in(page, console, owner)
    page.goto(f"{console.url}/inbox")
    screenshot(page, "inbox-empty")
    student = post_form(gateway, "I want to talk to a person about the Data Science course")
    row = page.locator(f'[data-lead-id="{student["lead_id"]}"]')
    row.wait_for(timeout=20_000)
    assert student["contact_name"] in row.inner_text()
    screenshot(page, "inbox")


def test_a_counsellor_takes_over_and_the_student_receives_the_reply_once(
    page, console, counsellor, gateway, mesh
):
    student = post_form(gateway, "What is the duration of the Data Science course?")
    wait_for_the_ai_reply(mesh, student["lead_id"])
    sign_in(page, console, counsellor)
    page.goto(f"{console.url}/leads/{student['lead_id']}")
    page.get_by_role("button", name="Take over").click()
    page.get_by_role("button", name="Hand back to the AI").wait_for()
    reply = "Hello Meera, this is Ravi. I will call you at 5 pm today about the fees."
    page.get_by_label("Your reply").fill(reply)
    page.get_by_role("button", name="Send").click()
    page.locator(".message.by-person").filter(has_text="I will call you at 5 pm").wait_for()
    screenshot(page, "conversation")

    def received() -> list:
        return [
            m for m in mesh.smtp.messages if student["email"] in m.rcpt_tos and "call you at 5 pm" in m.text
        ]

    mesh.wait_until(lambda: len(received()) >= 1, what="the counsellor's reply by email")
    # Sending again (a double click, a retry) must not send twice: the form carried one key.
    mesh.smtp.wait_for(len(mesh.smtp.messages) + 1, timeout=1.5)
    assert len(received()) == 1
    events = [
        t
        for (t,) in mesh.sql("SELECT type FROM events WHERE lead_id = %s ORDER BY id", (student["lead_id"],))
    ]
    assert "lead.taken_over" in events, events


def test_a_counsellor_cannot_open_another_companys_lead_or_the_team_page(
    page, console, counsellor, gateway, mesh
):
    other_company = uuid.uuid4()
    engine = make_engine(mesh.database_url, 1)
    with make_sessionmaker(engine).begin() as session:
        ensure_company(session, other_company, "Other Academy")
    engine.dispose()
    posted = gateway.post(
        "/inbound-message",
        json={
            "company_id": str(other_company),
            "phone_number": "+919800000001",
            "contact_name": "Not Yours",
            "message_text": "Hello",
            "channel": "email",
            "email": "not.yours@example.com",
        },
    )
    assert posted.status_code in (200, 201, 202), posted.text
    theirs = posted.json()["lead_id"]
    sign_in(page, console, counsellor)
    response = page.goto(f"{console.url}/leads/{theirs}")
    assert response.status in (403, 404)
    assert "Not Yours" not in page.content()
    screenshot(page, "not-found")
    response = page.goto(f"{console.url}/people")
    assert response.status == 403
    assert page.get_by_role("heading", name="You cannot open this").is_visible()
    screenshot(page, "forbidden")


def test_replying_without_taking_over_first_silences_the_ai(page, console, counsellor, gateway, mesh):
    student = post_form(gateway, "When does the next Data Science batch start?")
    wait_for_the_ai_reply(mesh, student["lead_id"])
    sign_in(page, console, counsellor)
    page.goto(f"{console.url}/leads/{student['lead_id']}")
    page.get_by_label("Your reply").fill("I can hold a seat for you in the January batch.")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("button", name="Hand back to the AI").wait_for()
    [(status, human)] = mesh.sql(
        "SELECT status, assigned_user_id::text FROM leads WHERE id = %s", (student["lead_id"],)
    )
    assert (status, human) == ("handed_off", counsellor.id)


def test_a_forgotten_password_is_reset_through_the_emailed_link(page, console, counsellor, mesh):
    page.goto(f"{console.url}/forgot-password")
    page.get_by_label("Email").fill(counsellor.email)
    page.get_by_role("button", name="Email me a link").click()
    page.get_by_text("If that address belongs to an account").wait_for()
    screenshot(page, "forgot-password")

    def reset_mails() -> list:
        return [
            m for m in mesh.smtp.messages if counsellor.email in m.rcpt_tos and "reset-password" in m.text
        ]

    mesh.wait_until(lambda: reset_mails(), what="the reset email")
    token = re.search(r"reset-password\?token=([\w%-]+)", reset_mails()[0].text).group(1)
    page.goto(f"{console.url}/reset-password?token={token}")
    page.get_by_label("New password", exact=True).fill("a-new-password-for-ravi")
    page.get_by_role("button", name="Save the password").click()
    page.get_by_text("Your password is changed").wait_for()

    counsellor.password = "a-new-password-for-ravi"
    sign_in(page, console, counsellor)
    assert page.url.endswith("/inbox")
