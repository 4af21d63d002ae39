"""The console's main journeys in headless Chromium against the running mesh, as a course seller
and a counsellor use it."""

from __future__ import annotations

import uuid

import pytest

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
