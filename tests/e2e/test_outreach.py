"""Follow-ups and sequences end to end, every service its own process, on the crm's clock moved
through POST /admin/clock: restarts never lose or repeat a step, quiet hours defer to the morning,
a one-click unsubscribe stops everything after it."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

pytestmark = pytest.mark.e2e

DAY = 24 * 3600
ALL = ("crm", "ai", "channels-email", "conductor", "worker-p1", "worker-p2", "gateway")
STEP_SUBJECTS = ("Step 1 for {first_name}", "Step 2: {course}", "Step 3: last call")


def api(mesh, method: str, path: str, **kwargs) -> httpx.Response:
    return httpx.request(method, f"{mesh.gateway}{path}", timeout=10, **kwargs)


def clock_now(mesh) -> datetime:
    return datetime.fromisoformat(api(mesh, "GET", "/admin/clock").json()["now"].replace("Z", "+00:00"))


def advance(mesh, seconds: float) -> None:
    assert api(mesh, "POST", "/admin/clock", json={"advance_seconds": seconds}).status_code == 200


def move_to_india(mesh, hour: int) -> None:
    local = (clock_now(mesh) + timedelta(minutes=1)).astimezone(ZoneInfo("Asia/Kolkata"))
    target = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if target <= local:
        target += timedelta(days=1)
    assert api(mesh, "POST", "/admin/clock", json={"at": target.isoformat()}).status_code == 200


def company_id(mesh) -> str:
    return str(mesh.sql("SELECT id FROM companies")[0][0])


def configure(mesh, **settings) -> None:
    assert api(mesh, "PATCH", f"/companies/{company_id(mesh)}/settings", json=settings).status_code == 200


def create_sequence(mesh, course: str) -> dict:
    cid = company_id(mesh)
    steps = []
    for i, (subject, delay) in enumerate(zip(STEP_SUBJECTS, (0, DAY, DAY), strict=True), start=1):
        template = api(
            mesh,
            "POST",
            f"/companies/{cid}/templates",
            json={
                "name": f"e2e_{course.lower().replace(' ', '_')}_{i}",
                "channel": "email",
                "subject": subject,
                "body": f"Hi {{first_name}}, message {i} about {{course}}.",
            },
        )
        assert template.status_code == 201, template.text
        steps.append({"channel": "email", "template_id": template.json()["id"], "delay_seconds": delay})
    response = api(
        mesh,
        "POST",
        f"/companies/{cid}/sequences",
        json={"name": f"{course} e2e", "trigger": {"course": course}, "steps": steps},
    )
    assert response.status_code == 201, response.text
    return response.json()


def form(course: str = "") -> dict:
    suffix = uuid.uuid4().int % 10**8
    return {
        "phone_number": f"+9194{suffix:08d}",
        "contact_name": "Meera Nair",
        "message_text": "Please share the course details",
        "channel": "email",
        "email": f"meera.{suffix}@example.com",
        "course": course,
    }


def to(mesh, address: str, subject_prefix: str = "") -> list:
    return [
        m
        for m in mesh.smtp.messages
        if address in m.rcpt_tos and str(m.message["Subject"]).startswith(subject_prefix)
    ]


def wait(mesh, address: str, count: int, prefix: str = "") -> list:
    mesh.wait_until(lambda: len(to(mesh, address, prefix)) >= count, what=f"{count} email(s) '{prefix}'")
    return to(mesh, address, prefix)


def scheduled(mesh, lead_id: str, position: int) -> None:
    mesh.wait_until(
        lambda: (
            mesh.sql(
                "SELECT count(*) FROM jobs WHERE lead_id = %s AND payload->>'position' = %s",
                (lead_id, str(position)),
            )[0][0]
            == 1
        ),
        what=f"step {position} to be scheduled",
    )


def test_a_restart_of_every_service_during_a_sequence_sends_each_step_exactly_once(process_mesh):
    mesh = process_mesh
    configure(mesh, max_bumps=0)
    move_to_india(mesh, 11)
    create_sequence(mesh, "Restart Proof")
    body = form("Restart Proof")
    lead_id = api(mesh, "POST", "/inbound-message", json=body).json()["lead_id"]
    wait(mesh, body["email"], 1, "Step 1")
    scheduled(mesh, lead_id, 2)
    # Every service restarts between steps
    mesh.stop(*ALL)
    mesh.start(*ALL)
    advance(mesh, DAY + 1)
    wait(mesh, body["email"], 1, "Step 2")
    scheduled(mesh, lead_id, 3)
    # Step 3 falls due while the conductor is down, then everything restarts
    mesh.stop("conductor", "worker-p1", "worker-p2")
    advance(mesh, DAY + 1)
    time.sleep(1.0)
    assert to(mesh, body["email"], "Step 3") == []
    mesh.stop("crm", "ai", "channels-email", "gateway")
    mesh.start(*ALL)
    wait(mesh, body["email"], 1, "Step 3")
    advance(mesh, 5 * DAY)
    time.sleep(2.0)
    subjects = [str(m.message["Subject"]) for m in to(mesh, body["email"], "Step")]
    assert subjects == ["Step 1 for Meera", "Step 2: Restart Proof", "Step 3: last call"]
    [enrolment] = api(mesh, "GET", f"/leads/{lead_id}/enrolments").json()
    assert enrolment["status"] == "completed"


def test_quiet_hours_defer_a_follow_up_to_the_morning_then_send_it(process_mesh):
    mesh = process_mesh
    configure(mesh, max_bumps=1, followup_delay_seconds=11 * 3600)
    move_to_india(mesh, 11)
    body = form()
    lead_id = api(mesh, "POST", "/inbound-message", json=body).json()["lead_id"]
    [reply] = wait(mesh, body["email"], 1)
    mesh.wait_until(
        lambda: (
            mesh.sql(
                "SELECT count(*) FROM jobs WHERE lead_id = %s AND task_name = 'followup_bumpup'", (lead_id,)
            )[0][0]
            == 1
        ),
        what="the follow-up to be scheduled",
    )
    # At 22:00 in India the follow-up is due, and waits
    advance(mesh, 11 * 3600 + 1)
    mesh.wait_until(
        lambda: (
            mesh.sql("SELECT count(*) FROM events WHERE lead_id = %s AND type = 'job.deferred'", (lead_id,))[
                0
            ][0]
            == 1
        ),
        what="the follow-up to be deferred",
    )
    time.sleep(1.0)
    assert len(to(mesh, body["email"])) == 1
    # In the morning it is sent, in the reply's thread
    move_to_india(mesh, 9)
    [_, bump] = wait(mesh, body["email"], 2)
    assert bump.message["In-Reply-To"] == reply.message["Message-ID"]
    assert str(bump.message["Subject"]).startswith("Re: ")


def test_a_one_click_unsubscribe_between_steps_stops_every_later_message(process_mesh):
    mesh = process_mesh
    configure(mesh, max_bumps=3, followup_delay_seconds=DAY)
    move_to_india(mesh, 11)
    create_sequence(mesh, "Opt Out Proof")
    body = form("Opt Out Proof")
    lead_id = api(mesh, "POST", "/inbound-message", json=body).json()["lead_id"]
    [step] = wait(mesh, body["email"], 1, "Step 1")
    scheduled(mesh, lead_id, 2)
    url = step.message["List-Unsubscribe"].strip("<>")
    assert url.startswith(mesh.gateway)
    # The mailbox provider's one-click POST
    click = httpx.post(url, content=b"List-Unsubscribe=One-Click", timeout=10,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert click.status_code == 200
    before = len(to(mesh, body["email"]))
    advance(mesh, 3 * DAY)
    time.sleep(2.0)
    assert len(to(mesh, body["email"])) == before  # no step, no follow-up
