"""The operations page: the company's queue, its dead letters and their replay, the WhatsApp
numbers; only for an owner or admin."""

from __future__ import annotations

import uuid

import pytest

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.type.v1 import channel_pb2
from tests.integration.console.conftest import add_person, screenshot, sign_in

pytestmark = pytest.mark.browser


def dead_first_replies(mesh, count: int) -> list[str]:
    """First replies that died because SMTP stayed down longer than the mesh waits out an outage."""
    mesh.smtp.stop()
    job_ids = []
    for _ in range(count):
        suffix = uuid.uuid4().int % 10**8
        job_ids.append(
            mesh.crm.leads.IngestInboundMessage(
                leads_pb.IngestInboundMessageRequest(
                    phone_number=f"+9198{suffix:08d}",
                    contact_name=f"Priya {suffix}",
                    message_text="What is the fee for the Digital Marketing course?",
                    channel=channel_pb2.CHANNEL_EMAIL,
                    email=f"priya.{suffix}@example.com",
                )
            ).job_id
        )
    for job_id in job_ids:
        mesh.wait_for_job(job_id, "dlq")
    mesh.smtp.start()
    return job_ids


def test_an_owner_replays_the_selected_dead_letter_and_it_runs(page, console, owner, mesh):
    chosen, left = dead_first_replies(mesh, 2)
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
