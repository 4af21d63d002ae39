"""The console's admin pages in headless Chromium against the running mesh: the knowledge base
and its "try a question" box, the settings, and the team with its API keys."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.integration.console.conftest import add_person, sign_in
from tests.integration.console.conftest import screenshot as _screenshot

pytestmark = pytest.mark.browser

# A fact no seeded document holds: only the document a test adds can answer it.
SCHOLARSHIP = "The Shakti scholarship takes 40 percent off the fee of any course for women in tech."


def screenshot(page, name: str) -> None:
    # From the top: a full-page shot of a scrolled page draws the sticky top bar mid-page.
    page.evaluate("window.scrollTo(0, 0)")
    _screenshot(page, name)


def _accept_confirmations(page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def add_document(page, console, title: str, content: str) -> None:
    page.goto(f"{console.url}/knowledge")
    page.get_by_role("link", name="Add a document").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Content").fill(content)
    page.get_by_label("Tags (comma separated)").fill("fees, offers")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/knowledge\?done=saved$"))


def test_a_document_added_in_the_console_answers_the_next_form(page, console, owner, gateway, mesh):
    sign_in(page, console, owner)
    add_document(page, console, "Scholarships", SCHOLARSHIP)
    assert page.locator(".doc", has_text="Scholarships").is_visible()
    screenshot(page, "knowledge")

    suffix = uuid.uuid4().int % 10**8
    reply = gateway.post(
        "/inbound-message",
        json={
            "phone_number": f"+9197{suffix:08d}",
            "contact_name": f"Kavya {suffix}",
            "message_text": "Hello, do you offer any scholarship for women?",
            "channel": "email",
            "email": f"kavya.{suffix}@example.com",
        },
    )
    assert reply.status_code in (200, 201, 202), reply.text
    lead_id = reply.json()["lead_id"]

    def answered() -> bool:
        rows = mesh.sql(
            "SELECT text FROM messages WHERE lead_id = %s AND direction = 'outbound' AND status IN ('sent', 'delivered')",
            (lead_id,),
        )
        return any("Shakti scholarship" in text for (text,) in rows)

    mesh.wait_until(answered, timeout=30, what="an AI reply quoting the new document")


def test_trying_a_question_shows_the_answer_and_the_document_it_used(page, console, owner):
    sign_in(page, console, owner)
    add_document(page, console, "Scholarships", SCHOLARSHIP)

    page.get_by_label("The student writes").fill("Is there a scholarship?")
    page.get_by_role("button", name="Ask").click()

    answer = page.locator(".try-answer")
    answer.wait_for()
    assert "Shakti scholarship" in answer.locator(".try-text").inner_text()
    assert "Scholarships" in answer.locator(".try-documents a").all_inner_texts()
    assert "offline" in answer.locator(".try-provider").inner_text()
    assert answer.locator(".try-intent").inner_text().strip() not in ("", "—")
    screenshot(page, "knowledge-try")


def test_an_unanswered_question_is_listed_and_can_be_resolved(page, console, owner, gateway, mesh):
    suffix = uuid.uuid4().int % 10**8
    reply = gateway.post(
        "/inbound-message",
        json={
            "phone_number": f"+9195{suffix:08d}",
            "message_text": "Is there a hostel near your campus?",
            "channel": "email",
            "email": f"hostel.{suffix}@example.com",
        },
    )
    assert reply.status_code in (200, 201, 202), reply.text
    mesh.wait_until(
        lambda: mesh.sql("SELECT count(*) FROM unanswered_questions WHERE resolved_at IS NULL")[0][0] > 0,
        timeout=30,
        what="an unanswered question",
    )
    sign_in(page, console, owner)
    _accept_confirmations(page)
    page.goto(f"{console.url}/knowledge")
    question = page.locator(".question", has_text="Is there a hostel near your campus?")
    screenshot(page, "knowledge-questions")

    question.get_by_role("link", name="Answer it in a new document").click()
    assert page.get_by_label("Content").input_value() == "Is there a hostel near your campus?"
    page.go_back()

    question.get_by_label("What was done").fill("Added the hostel note")
    question.get_by_role("button", name="Mark as dealt with").click()
    page.wait_for_url(re.compile(r"/knowledge\?done=resolved$"))
    assert page.locator(".question", has_text="Is there a hostel near your campus?").count() == 0
    assert mesh.sql("SELECT resolution FROM unanswered_questions") == [("Added the hostel note",)]


def test_a_document_can_be_edited_and_deleted(page, console, owner):
    sign_in(page, console, owner)
    _accept_confirmations(page)
    add_document(page, console, "Hostel", "There is no hostel.")
    document = page.locator(".doc", has_text="Hostel")
    document.get_by_role("link", name="Edit").click()
    page.get_by_label("Content").fill("A hostel room costs Rs 8,000 a month.")
    screenshot(page, "knowledge-form")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/knowledge\?done=saved$"))
    assert "Rs 8,000" in page.locator(".doc", has_text="Hostel").inner_text()

    page.locator(".doc", has_text="Hostel").get_by_role("button", name="Delete").click()
    page.wait_for_url(re.compile(r"/knowledge\?done=deleted$"))
    assert page.locator(".doc", has_text="Hostel").count() == 0


def test_inviting_someone_emails_them_the_invitation(page, console, owner, mesh):
    sign_in(page, console, owner)
    page.goto(f"{console.url}/people")
    email = f"new.{uuid.uuid4().hex[:8]}@academy.example"
    page.get_by_label("Email").fill(email)
    page.get_by_label("Name", exact=True).fill("Nisha New")
    page.get_by_label("Role", exact=True).select_option("counsellor")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url(re.compile(r"/people\?done=invited$"))

    assert page.locator(f'tr[data-email="{email}"]').get_by_text("Invited").is_visible()
    mesh.wait_until(
        lambda: any(email in m.rcpt_tos for m in mesh.smtp.messages), timeout=20, what="the invitation email"
    )
    invitation = next(m for m in mesh.smtp.messages if email in m.rcpt_tos)
    assert "accept-invitation" in invitation.text or "invitation" in invitation.text.lower()
    screenshot(page, "people")


def test_an_invitation_asks_for_the_name_keeps_it_when_the_password_is_refused_and_leads_to_sign_in(
    page, console, owner, mesh
):
    sign_in(page, console, owner)
    page.goto(f"{console.url}/people")
    email = f"joining.{uuid.uuid4().hex[:8]}@academy.example"
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url(re.compile(r"/people\?done=invited$"))
    mesh.wait_until(
        lambda: any(email in m.rcpt_tos for m in mesh.smtp.messages), timeout=20, what="the invitation email"
    )
    invitation = next(m for m in mesh.smtp.messages if email in m.rcpt_tos)
    link = re.search(r"https?://\S+/accept-invitation\?token=[\w-]+", invitation.text).group(0)
    page.context.clear_cookies()

    page.goto(f"{console.url}/accept-invitation?{link.split('?', 1)[1]}")
    assert page.get_by_label("Your name").get_attribute("required") is not None
    page.get_by_label("Your name").fill("Joy Joining")
    page.get_by_label("New password").fill("short")
    # The browser would refuse a short password itself; the server must say so too.
    page.evaluate("document.querySelector('#password').removeAttribute('minlength')")
    page.get_by_role("button", name="Save the password").click()

    assert page.locator(".alert-error").is_visible()
    assert page.get_by_label("Your name").input_value() == "Joy Joining"

    page.get_by_label("New password").fill("a long enough password")
    page.get_by_role("button", name="Save the password").click()
    # Signing in needs only the new password: the email is filled in.
    assert page.get_by_label("Email").input_value() == email
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/inbox$"))


def test_an_api_key_is_shown_once_and_can_be_revoked(page, console, owner, gateway):
    sign_in(page, console, owner)
    _accept_confirmations(page)
    page.goto(f"{console.url}/people")
    page.get_by_label("What it is for").fill("Website forms")
    page.get_by_role("button", name="Make the key").click()

    key = page.locator("[data-new-key]").inner_text().strip()
    row = page.locator('tr[data-key-name="Website forms"]')
    assert key.startswith(row.locator("code").inner_text().rstrip("…"))
    bearer = {"Authorization": f"Bearer {key}"}
    assert gateway.get("/auth/me", headers=bearer).status_code == 200
    screenshot(page, "people-new-key")

    page.goto(f"{console.url}/people")
    assert page.locator("[data-new-key]").count() == 0
    assert key not in page.content()

    page.locator('tr[data-key-name="Website forms"]').get_by_role("button", name="Revoke").click()
    page.wait_for_url(re.compile(r"/people\?done=revoked$"))
    assert page.locator('tr[data-key-name="Website forms"]').get_by_text("Revoked").is_visible()
    assert gateway.get("/auth/me", headers=bearer).status_code == 401


def test_a_role_change_is_saved_by_the_crm(page, console, owner, mesh):
    colleague = add_person(mesh.database_url, "counsellor", name="Ravi Colleague")
    sign_in(page, console, owner)
    page.goto(f"{console.url}/people")
    row = page.locator(f'tr[data-user-id="{colleague.id}"]')
    row.get_by_label(f"Role of {colleague.email}").select_option("admin")
    row.get_by_role("button", name="Change").click()
    page.wait_for_url(re.compile(r"/people\?done=role$"))

    assert mesh.sql("SELECT role FROM users WHERE id = %s", (colleague.id,)) == [("admin",)]


def test_a_deactivated_person_can_no_longer_sign_in(page, console, owner, mesh, browser):
    colleague = add_person(mesh.database_url, "counsellor", name="Ravi Colleague")
    sign_in(page, console, owner)
    _accept_confirmations(page)
    page.goto(f"{console.url}/people")
    page.locator(f'tr[data-user-id="{colleague.id}"]').get_by_role("button", name="Deactivate").click()
    page.wait_for_url(re.compile(r"/people\?done=deactivated$"))
    assert (
        page.locator(f'tr[data-user-id="{colleague.id}"]').get_by_role("button", name="Activate").is_visible()
    )

    other = browser.new_context().new_page()
    try:
        other.goto(f"{console.url}/sign-in")
        other.get_by_label("Email").fill(colleague.email)
        other.get_by_label("Password").fill(colleague.password)
        other.get_by_role("button", name="Sign in").click()
        assert other.get_by_role("alert").inner_text().startswith("Wrong email or password")
    finally:
        other.context.close()


def test_the_availability_switch_decides_who_takes_new_leads(page, console, owner, mesh):
    colleague = add_person(mesh.database_url, "counsellor", name="Ravi Colleague")
    sign_in(page, console, owner)
    page.goto(f"{console.url}/people")
    switch = page.locator(f'tr[data-user-id="{colleague.id}"]').get_by_role("switch")
    before = switch.get_attribute("aria-checked")
    after = "false" if before == "true" else "true"
    switch.click()

    # htmx swaps the switch in place: the page stays where it was.
    page.locator(f'tr[data-user-id="{colleague.id}"] [role="switch"][aria-checked="{after}"]').wait_for()
    assert page.url.endswith("/people")
    assert page.locator("#alerts").inner_text().startswith("Takes")
    stored = mesh.sql("SELECT available FROM users WHERE id = %s", (colleague.id,))
    assert stored == [(after == "true",)]


def test_the_availability_switch_works_without_javascript(browser, console, owner, mesh):
    colleague = add_person(mesh.database_url, "counsellor", name="Ravi Colleague")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, console, owner)
        page.goto(f"{console.url}/people")
        switch = page.locator(f'tr[data-user-id="{colleague.id}"]').get_by_role("switch")
        before = switch.get_attribute("aria-checked")
        switch.click()
        page.wait_for_url(re.compile(r"/people\?done=(un)?available$"))

        after = (
            page.locator(f'tr[data-user-id="{colleague.id}"]')
            .get_by_role("switch")
            .get_attribute("aria-checked")
        )
        assert after != before
        assert mesh.sql("SELECT available FROM users WHERE id = %s", (colleague.id,)) == [(after == "true",)]
    finally:
        context.close()


def test_a_counsellor_gets_the_403_page_on_the_team(page, console, counsellor):
    sign_in(page, console, counsellor)
    response = page.goto(f"{console.url}/people")
    assert response.status == 403
    assert page.get_by_role("heading", name="You cannot open this").is_visible()
    assert page.get_by_role("link", name="Team").count() == 0
    screenshot(page, "people-forbidden")


def test_a_counsellor_reads_the_knowledge_base_and_settings_without_edit_controls(page, console, counsellor):
    sign_in(page, console, counsellor)
    page.goto(f"{console.url}/knowledge")
    assert page.get_by_role("heading", name="Documents").is_visible()
    assert page.get_by_role("link", name="Add a document").count() == 0
    assert page.get_by_role("button", name="Delete").count() == 0
    assert page.get_by_role("button", name="Mark as dealt with").count() == 0
    # Trying a question is reading: a counsellor may.
    assert page.get_by_role("button", name="Ask").is_visible()
    screenshot(page, "knowledge-counsellor")

    page.goto(f"{console.url}/settings/company")
    assert page.get_by_text("You can read these settings").is_visible()
    screenshot(page, "settings-company-counsellor")
    assert page.get_by_role("button", name="Save company settings").count() == 0
    assert page.get_by_label("Time zone", exact=True).is_disabled()


def test_invalid_settings_show_the_crms_message_beside_the_form(page, console, owner):
    sign_in(page, console, owner)
    page.goto(f"{console.url}/settings/company")
    page.get_by_label("Time zone", exact=True).fill("Mars/Olympus_Mons")
    page.get_by_role("button", name="Save company settings").click()

    error = page.locator("#company-title ~ .form-error")
    assert "must be an IANA time zone" in error.inner_text()
    # The form keeps what was typed, to correct it.
    assert page.get_by_label("Time zone", exact=True).input_value() == "Mars/Olympus_Mons"
    screenshot(page, "settings-company-invalid")


def test_the_ai_settings_say_which_provider_answers(page, console, owner, gateway, mesh):
    sign_in(page, console, owner)
    page.goto(f"{console.url}/settings")
    screenshot(page, "settings")
    page.get_by_role("link", name="AI counsellor").first.click()
    assert page.get_by_text("No AI reply yet").is_visible()

    page.get_by_label("Instructions (system prompt)").fill("You are Asha. Sign off as Team Academy.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/settings/ai\?done=saved$"))
    assert page.get_by_label("Instructions (system prompt)").input_value().startswith("You are Asha")

    suffix = uuid.uuid4().int % 10**8
    reply = gateway.post(
        "/inbound-message",
        json={
            "phone_number": f"+9196{suffix:08d}",
            "message_text": "What is the fee for the Data Science course?",
            "channel": "email",
            "email": f"dev.{suffix}@example.com",
        },
    )
    lead_id = reply.json()["lead_id"]
    mesh.wait_until(
        lambda: mesh.sql("SELECT count(*) FROM ai_sessions WHERE lead_id = %s", (lead_id,))[0][0] > 0,
        timeout=30,
        what="an AI turn",
    )
    page.reload()
    assert page.locator(".answered-by .badge-offline").inner_text() == "offline"
    screenshot(page, "settings-ai")


def test_a_template_and_a_sequence_of_two_steps_are_made_in_the_editor(page, console, owner):
    sign_in(page, console, owner)
    _accept_confirmations(page)
    page.goto(f"{console.url}/settings/templates")
    page.get_by_label("Name", exact=True).fill("welcome_nudge")
    page.get_by_label("Channel").select_option(label="Email")
    page.get_by_label("Subject (email)").fill("Still thinking about {course}?")
    page.get_by_label("Text", exact=True).fill("Hi {first_name}, any questions about {course}?")
    page.get_by_role("button", name="Save the template").click()
    page.wait_for_url(re.compile(r"/settings/templates\?done=saved$"))
    assert page.locator("tr", has_text="welcome_nudge").is_visible()
    screenshot(page, "settings-templates")

    page.goto(f"{console.url}/settings/sequences/new")
    page.get_by_label("Name", exact=True).fill("Nudges")
    page.get_by_label("Leads about the course").fill("Data Science")
    page.locator("#step-0-template").select_option(label="welcome_nudge (Email, en)")
    page.locator("#step-0-channel").select_option(label="Email")
    page.get_by_role("button", name="Add a step").click()
    page.locator("#step-1-template").select_option(label="welcome_nudge (Email, en)")
    page.locator("#step-1-delay").fill("3")
    screenshot(page, "settings-sequence")
    page.get_by_role("button", name="Save the sequence").click()
    page.wait_for_url(re.compile(r"/settings/sequences\?done=saved$"))

    sequence = page.locator(".doc", has_text="Nudges")
    assert sequence.locator(".steps-summary li").count() == 2
    assert "after 3 days" in sequence.locator(".steps-summary li").nth(1).inner_text()
    screenshot(page, "settings-sequences")


def test_a_sequence_without_a_template_shows_the_crms_message(page, console, owner):
    sign_in(page, console, owner)
    page.goto(f"{console.url}/settings/sequences/new")
    page.get_by_label("Name", exact=True).fill("Broken")
    page.get_by_role("button", name="Save the sequence").click()
    assert "template_id" in page.locator(".form-error").inner_text()
    assert page.get_by_label("Name", exact=True).input_value() == "Broken"


def test_a_webhook_shows_its_signing_secret_once(page, console, owner):
    sign_in(page, console, owner)
    page.goto(f"{console.url}/settings/webhooks")
    page.get_by_label("Address (https://…)").fill("https://hooks.academy.example/shvya")
    page.get_by_role("button", name="Save the webhook").click()
    secret = page.locator("[data-secret]").inner_text().strip()
    assert len(secret) >= 16
    assert page.locator("tr", has_text="hooks.academy.example").is_visible()
    screenshot(page, "settings-webhooks")

    page.goto(f"{console.url}/settings/webhooks")
    assert secret not in page.content()


def test_a_webhooks_events_are_changed_from_its_edit_link(page, console, owner):
    sign_in(page, console, owner)
    page.goto(f"{console.url}/settings/webhooks")
    page.get_by_label("Address (https://…)").fill("https://hooks.academy.example/shvya")
    page.get_by_role("button", name="Save the webhook").click()
    page.goto(f"{console.url}/settings/webhooks")

    page.locator("tr", has_text="hooks.academy.example").get_by_role("link", name="Edit").click()
    assert page.get_by_label("Address (https://…)").input_value() == "https://hooks.academy.example/shvya"
    page.get_by_label("A lead turns hot").uncheck()
    page.get_by_role("button", name="Save the webhook").click()

    events = page.locator("tr", has_text="hooks.academy.example").locator(".chip").all_inner_texts()
    assert "lead.hot" not in events
    assert "lead.created" in events
