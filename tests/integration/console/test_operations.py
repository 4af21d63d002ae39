"""The operations page: the company's queue, its dead letters and their replay, the WhatsApp
numbers; only for an owner or admin."""

from __future__ import annotations

import pytest

from tests.integration.console.conftest import add_person, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_an_owner_replays_the_selected_dead_letter_and_it_runs(page, console, owner, mesh):
    chosen, left = mesh.dead_first_replies(2)
    sign_in(page, console, owner)
    page.goto(f"{console.url}/operations")
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert "ai_engage" in rows.first.inner_text()
    screenshot(page, "operations")

    page.locator(f'input[value="{chosen}"]').check()
    page.get_by_role("button", name="Replay the selected").click()
    page.get_by_text("1 job(s) replayed.").wait_for()

    mesh.wait_for_job(chosen, "completed")
    assert mesh.job_status(left) == "dlq"
    assert page.locator("tbody tr").count() == 1


def test_a_counsellor_gets_the_forbidden_page_on_operations(page, console, counsellor, mesh):
    sign_in(page, console, counsellor)
    assert page.get_by_role("link", name="Operations").count() == 0
    response = page.goto(f"{console.url}/operations")
    assert response.status == 403


def test_the_whatsapp_numbers_show_their_state_to_an_admin(page, console, mesh):
    admin = add_person(mesh.database_url, "admin")
    sign_in(page, console, admin)
    page.goto(f"{console.url}/operations")
    cloud = page.locator("article.account", has_text="WhatsApp Cloud API")
    assert "Sending" in cloud.inner_text()
