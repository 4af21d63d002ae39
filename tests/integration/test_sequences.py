"""Sequences through the REST API and the mesh, on the crm's clock: enrolment by rule or by API,
each step once on schedule, stop conditions, one-click unsubscribe, clear errors."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings

DAY = 24 * 3600
STEPS = (
    ("nurture_1", "Your {course} plan", "Hi {first_name}, here is how {course} at {company} works."),
    ("nurture_2", "{first_name}, a free demo class", "Hi {first_name}, join a free demo class this week."),
    ("nurture_3", "Last seats for {course}", "Hi {first_name}, the next {course} batch is filling up."),
)


@pytest.fixture
def api(mesh) -> Iterator[TestClient]:
    settings = GatewaySettings(crm_addr=mesh.crm_addr, conductor_addr=mesh.conductor_addr)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def company_id(mesh, api) -> str:
    """The demo company, following up never (so that only sequence steps are proactive here)."""
    cid = str(mesh.sql("SELECT id FROM companies")[0][0])
    assert api.patch(f"/companies/{cid}/settings", json={"max_bumps": 0}).status_code == 200
    mesh.move_to_local(11)
    return cid


def nurture(api, company_id: str, *, trigger: dict | None = None, stop_on_reply: bool = True) -> dict:
    template_ids = []
    for name, subject, body in STEPS:
        response = api.post(
            f"/companies/{company_id}/templates",
            json={"name": name, "channel": "email", "subject": subject, "body": body},
        )
        assert response.status_code in (200, 201), response.text
        template_ids.append(response.json()["id"])
    steps = [
        {
            "channel": "email",
            "template_id": tid,
            "delay_seconds": delay,
            "stop_conditions": ["replied"] if stop_on_reply and i else [],
        }
        for i, (tid, delay) in enumerate(zip(template_ids, (0, DAY, 2 * DAY), strict=True))
    ]
    response = api.post(
        f"/companies/{company_id}/sequences",
        json={
            "name": "Digital marketing nurture",
            "trigger": trigger if trigger is not None else {"course": "digital marketing"},
            "steps": steps,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def form(**overrides) -> dict:
    suffix = uuid.uuid4().int % 10**8
    body = {
        "phone_number": f"+9198{suffix:08d}",
        "contact_name": "Rahul Kumar",
        "message_text": "Please send me details",
        "channel": "email",
        "email": f"rahul.{suffix}@example.com",
    }
    body.update(overrides)
    return body


def steps_to(mesh, address: str) -> list:
    return [
        m for m in mesh.smtp.messages if address in m.rcpt_tos and m.message["List-Unsubscribe"] is not None
    ]


def sent_to(mesh, address: str) -> list:
    return [m for m in mesh.smtp.messages if address in m.rcpt_tos]


def wait_steps(mesh, address: str, count: int) -> list:
    mesh.wait_until(lambda: len(steps_to(mesh, address)) >= count, what=f"{count} sequence step(s)")
    return steps_to(mesh, address)


def settle(mesh) -> None:
    """Gives anything that should not happen the time to happen."""
    mesh.smtp.wait_for(len(mesh.smtp.messages) + 1, timeout=1.5)


def enrolment_of(api, lead_id: str) -> dict:
    [enrolment] = api.get(f"/leads/{lead_id}/enrolments").json()
    return enrolment


def step_written(mesh, lead_id: str, position: int) -> None:
    mesh.wait_until(
        lambda: (
            mesh.sql(
                "SELECT count(*) FROM jobs WHERE lead_id = %s AND task_name = 'email_sequence' "
                "AND payload->>'position' = %s",
                (lead_id, str(position)),
            )[0][0]
            == 1
        ),
        what=f"step {position} to be scheduled",
    )


def test_a_form_naming_the_course_enrols_the_lead_and_each_step_goes_out_once_on_schedule(
    mesh, api, company_id
):
    sequence = nurture(api, company_id)
    body = form(course="Digital Marketing")
    lead_id = api.post("/inbound-message", json=body).json()["lead_id"]
    # The first step (no delay) goes out at once, beside the AI's reply
    [first] = wait_steps(mesh, body["email"], 1)
    assert first.message["Subject"] == "Your Digital Marketing plan"
    assert first.text.startswith("Hi Rahul, here is how Digital Marketing at Shvya Demo Academy works.")
    assert first.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    step_written(mesh, lead_id, 2)
    # A day later, the second; two days after that, the third
    mesh.advance(DAY + 1)
    wait_steps(mesh, body["email"], 2)
    step_written(mesh, lead_id, 3)
    mesh.advance(DAY + 1)
    settle(mesh)
    assert len(steps_to(mesh, body["email"])) == 2
    mesh.advance(DAY + 1)
    subjects = [m.message["Subject"] for m in wait_steps(mesh, body["email"], 3)]
    assert subjects == [
        "Your Digital Marketing plan",
        "Rahul, a free demo class",
        "Last seats for Digital Marketing",
    ]
    # And nothing more, ever
    mesh.advance(7 * DAY)
    settle(mesh)
    assert len(steps_to(mesh, body["email"])) == 3
    enrolment = enrolment_of(api, lead_id)
    assert (enrolment["status"], enrolment["sequence_id"], enrolment["source"]) == (
        "completed",
        sequence["id"],
        "rule",
    )


def test_the_course_named_in_the_message_enrols_and_another_course_does_not(mesh, api, company_id):
    nurture(api, company_id)
    matching = form(message_text="Interested in the Digital Marketing course")
    other = form(message_text="Interested in the UI/UX Design course")
    matching_lead = api.post("/inbound-message", json=matching).json()["lead_id"]
    other_lead = api.post("/inbound-message", json=other).json()["lead_id"]
    wait_steps(mesh, matching["email"], 1)
    assert enrolment_of(api, matching_lead)["status"] == "active"
    assert api.get(f"/leads/{other_lead}/enrolments").json() == []


def test_a_reply_stops_the_steps_that_stop_when_the_lead_replies(mesh, api, company_id):
    nurture(api, company_id)
    body = form(course="Digital Marketing")
    lead_id = api.post("/inbound-message", json=body).json()["lead_id"]
    wait_steps(mesh, body["email"], 1)
    step_written(mesh, lead_id, 2)
    # The lead reads the reply to the form first: a message sent while that reply is still pending
    # would be answered in the same reply, leaving no third email to wait for
    mesh.wait_until(lambda: len(sent_to(mesh, body["email"])) == 2, what="the reply to the form")
    # When the lead answers before step 2
    api.post("/inbound-message", json={**body, "message_text": "What is the fee?"})
    mesh.wait_until(lambda: len(sent_to(mesh, body["email"])) == 3, what="the answer to the reply")
    mesh.advance(4 * DAY)
    settle(mesh)
    assert len(steps_to(mesh, body["email"])) == 1
    enrolment = enrolment_of(api, lead_id)
    assert (enrolment["status"], enrolment["stop_reason"]) == (
        "stopped",
        "stop condition 'replied' of step 2",
    )


def test_an_unsubscribe_click_stops_the_sequence_and_a_get_of_the_link_does_not(mesh, api, company_id):
    nurture(api, company_id, stop_on_reply=False)
    body = form(course="Digital Marketing")
    lead_id = api.post("/inbound-message", json=body).json()["lead_id"]
    [first] = wait_steps(mesh, body["email"], 1)
    path = urlsplit(first.message["List-Unsubscribe"].strip("<>")).path
    # A mail scanner's GET shows a page and changes nothing
    page = api.get(path)
    assert page.status_code == 200
    assert '<form method="post">' in page.text
    assert "r***@example.com" in page.text
    assert api.get(f"/leads/{lead_id}").json()["lead"]["status"] == "active"
    # The mailbox provider's one-click POST unsubscribes at once
    click = api.post(path, data={"List-Unsubscribe": "One-Click"})
    assert click.status_code == 200
    assert "unsubscribed" in click.text
    assert api.get(f"/leads/{lead_id}").json()["lead"]["status"] == "opted_out"
    [consent] = api.get(f"/leads/{lead_id}/consents").json()
    assert (consent["action"], consent["source"], consent["channel"]) == (
        "opt_out",
        "email_unsubscribe",
        "email",
    )
    # Then no later step is sent
    mesh.advance(4 * DAY)
    settle(mesh)
    assert len(steps_to(mesh, body["email"])) == 1
    assert enrolment_of(api, lead_id)["status"] == "stopped"
    assert api.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200  # a repeat is harmless


def test_an_unknown_unsubscribe_link_is_a_clear_404(api):
    assert api.get("/u/not-a-real-token-xyz").status_code == 404
    assert api.post("/u/not-a-real-token-xyz").status_code == 404


def test_enrolment_through_the_api_is_idempotent_and_can_be_stopped(mesh, api, company_id):
    sequence = nurture(api, company_id, trigger={})
    body = form(message_text="Interested in the Digital Marketing course")
    lead_id = api.post("/inbound-message", json=body).json()["lead_id"]
    mesh.wait_until(lambda: sent_to(mesh, body["email"]), what="the reply")
    assert api.get(f"/leads/{lead_id}/enrolments").json() == []  # no rule: API only
    first = api.post(f"/leads/{lead_id}/enrolments", json={"sequence_id": sequence["id"]})
    again = api.post(f"/leads/{lead_id}/enrolments", json={"sequence_id": sequence["id"]})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    wait_steps(mesh, body["email"], 1)
    step_written(mesh, lead_id, 2)
    stopped = api.post(f"/enrolments/{first.json()['id']}/stop", json={"reason": "called the lead"})
    assert (stopped.json()["status"], stopped.json()["stop_reason"]) == ("stopped", "called the lead")
    mesh.advance(4 * DAY)
    settle(mesh)
    assert len(steps_to(mesh, body["email"])) == 1


def test_a_step_naming_another_companys_template_is_refused_and_nothing_is_written(mesh, api, company_id):
    before = mesh.sql("SELECT count(*) FROM sequences")[0][0]
    response = api.post(
        f"/companies/{company_id}/sequences",
        json={
            "name": "Broken",
            "steps": [{"channel": "email", "template_id": str(uuid.uuid4()), "delay_seconds": 0}],
        },
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "steps", "0", "template_id"]
    assert "names no template" in error["msg"]
    assert mesh.sql("SELECT count(*) FROM sequences")[0][0] == before


def test_sequences_and_settings_read_back_as_written(api, company_id):
    sequence = nurture(api, company_id, trigger={"course": "digital marketing", "channels": ["email"]})
    fetched = api.get(f"/sequences/{sequence['id']}").json()
    assert fetched == sequence
    assert [s["position"] for s in fetched["steps"]] == [1, 2, 3]
    assert fetched["trigger"]["channels"] == ["email"]
    assert [s["id"] for s in api.get(f"/companies/{company_id}/sequences").json()] == [sequence["id"]]
    settings = api.get(f"/companies/{company_id}/settings").json()
    assert (settings["max_bumps"], settings["followup_delay_seconds"], settings["quiet_hours_start"]) == (
        0,
        86400,
        "21:00",
    )


def test_a_step_due_in_quiet_hours_waits_for_the_morning_then_goes_out(mesh, api, company_id):
    nurture(api, company_id, stop_on_reply=False)
    body = form(course="Digital Marketing")
    lead_id = api.post("/inbound-message", json=body).json()["lead_id"]
    wait_steps(mesh, body["email"], 1)
    step_written(mesh, lead_id, 2)
    # The next day, at 23:00 in India, step 2 is due (since 11:00) and it is quiet hours
    mesh.move_to_local(23)
    mesh.advance(DAY)
    # (step 2's own deferral: the lead's follow-up, due too, is deferred on lane 1 as well)
    mesh.wait_until(
        lambda: (
            mesh.sql(
                "SELECT count(*) FROM events e JOIN jobs j ON j.id = e.entity_id WHERE e.lead_id = %s "
                "AND e.type = 'job.deferred' AND j.payload->>'position' = '2'",
                (lead_id,),
            )[0][0]
            == 1
        ),
        what="step 2 to be deferred",
    )
    settle(mesh)
    assert len(steps_to(mesh, body["email"])) == 1
    [(local_time,)] = mesh.sql(
        "SELECT to_char(run_at AT TIME ZONE 'Asia/Kolkata', 'HH24:MI') FROM jobs "
        "WHERE lead_id = %s AND payload->>'position' = '2'",
        (lead_id,),
    )
    assert local_time == "09:00"
    mesh.move_to_local(9)
    assert [m.message["Subject"] for m in wait_steps(mesh, body["email"], 2)][1] == "Rahul, a free demo class"
