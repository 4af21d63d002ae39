"""followup_bumpup in the mesh, on the crm's clock: a bump after a day of silence, threaded and
with one-click unsubscribe; varied wording up to the limit; cancelled by a reply, an opt-out or a
hand-off; deferred by quiet hours to the morning, then sent."""

from __future__ import annotations

import re
import uuid

from shvya.conductor.v1 import conductor_service_pb2 as conductor_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.type.v1 import channel_pb2
from shvya_conductor.clients import make_clients
from shvya_conductor.outreach import send_outreach
from shvya_conductor.runner import TaskContext
from shvya_crm import reactions
from shvya_crm.storage import events
from shvya_crm.storage.clock import Clock
from shvya_crm.storage.db import Database, make_engine, make_sessionmaker
from shvya_crm.storage.models import Lead

DAY = 24 * 3600


def phone() -> str:
    return f"+9197{uuid.uuid4().int % 10**8:08d}"


def ingest(mesh, number: str, text: str, **extra) -> leads_pb.IngestInboundMessageResponse:
    result = mesh.crm.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            phone_number=number,
            contact_name="Neha Gupta",
            message_text=text,
            channel=channel_pb2.CHANNEL_EMAIL,
            email=f"neha.{number[-8:]}@example.com",
            **extra,
        )
    )
    mesh.conductor.DispatchJobs(conductor_pb.DispatchJobsRequest(job_ids=[result.job_id]))
    return result


def followup_jobs(mesh, lead_id: str) -> list[tuple[str, str]]:
    return mesh.sql(
        "SELECT status, error_message FROM jobs WHERE lead_id = %s AND task_name = 'followup_bumpup' "
        "ORDER BY created_at",
        (lead_id,),
    )


def settle(mesh, count: int) -> list:
    """Waits a moment for anything beyond `count` emails to arrive, and returns them all."""
    return mesh.smtp.wait_for(count + 1, timeout=1.5)


def bump_jobs_written(mesh, lead_id: str, count: int) -> None:
    """Waits until the send of the latest message has been recorded (and its bump written)."""
    mesh.wait_until(lambda: len(followup_jobs(mesh, lead_id)) >= count, what=f"{count} follow-up job(s)")


def started_lead(mesh, text: str = "Interested in Digital Marketing. What is the fee?"):
    """A lead in daytime India who got the first reply (and whose first bump is scheduled)."""
    mesh.move_to_local(11)
    result = ingest(mesh, phone(), text)
    mesh.wait_for_job(result.job_id, "completed")
    mesh.smtp.wait_for(1)
    bump_jobs_written(mesh, result.lead_id, 1)
    return result


def test_a_silent_lead_gets_one_bump_after_a_day_in_the_same_thread(mesh):
    # Given a lead who got a reply and then said nothing
    lead = started_lead(mesh)
    [reply] = mesh.smtp.messages
    # When a day passes on the crm's clock
    mesh.advance(DAY + 1)
    # Then one follow-up arrives, in the reply's thread
    emails = mesh.smtp.wait_for(2)
    assert len(settle(mesh, 2)) == 2
    bump = emails[1].message
    assert bump["In-Reply-To"] == reply.message["Message-ID"]
    assert reply.message["Message-ID"] in bump["References"]
    assert bump["Subject"] == f"Re: {reply.message['Subject']}"
    assert "Hi Neha" in emails[1].text
    assert "Digital Marketing Pro" in emails[1].text  # the course the lead named
    [(status, _)] = followup_jobs(mesh, lead.lead_id)[:1]
    assert status == "completed"


def test_a_bump_carries_one_click_unsubscribe_headers_and_a_visible_link(mesh):
    started_lead(mesh)
    mesh.advance(DAY + 1)
    bump = mesh.smtp.wait_for(2)[1]
    header = bump.message["List-Unsubscribe"]
    assert re.fullmatch(r"<http://localhost:8000/u/[A-Za-z0-9_-]{16,}>", header)
    assert bump.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header.strip("<>") in bump.text
    # The first reply answered the student's own question: not marketing, no unsubscribe header.
    assert mesh.smtp.messages[0].message["List-Unsubscribe"] is None


def test_bumps_stop_at_the_limit_and_never_repeat_their_wording(mesh):
    lead = started_lead(mesh)
    for count in (2, 3):
        mesh.advance(DAY + 1)
        mesh.smtp.wait_for(count)
        bump_jobs_written(mesh, lead.lead_id, count)
    mesh.advance(DAY + 1)
    mesh.smtp.wait_for(4)
    mesh.wait_until(lambda: followup_jobs(mesh, lead.lead_id)[-1][0] == "completed", what="the third bump")
    mesh.advance(DAY + 1)
    emails = settle(mesh, 4)
    assert len(emails) == 4  # the reply and three bumps (the default limit)
    bodies = [e.text.split("\n\n--")[0] for e in emails[1:]]
    assert len(set(bodies)) == 3
    assert "last note" in bodies[2]
    assert [s for s, _ in followup_jobs(mesh, lead.lead_id)] == ["completed"] * 3


def test_a_reply_cancels_the_waiting_bump_and_the_next_follows_the_new_answer(mesh):
    lead = started_lead(mesh)
    mesh.advance(6 * 3600)
    # When the lead writes again before the bump is due
    again = ingest(mesh, mesh.sql("SELECT phone FROM leads WHERE id = %s", (lead.lead_id,))[0][0], "EMI?")
    mesh.wait_for_job(again.job_id, "completed")
    second_reply = mesh.smtp.wait_for(2)[1]
    # Then the first bump is cancelled, and a day after the new answer exactly one bump arrives
    mesh.advance(DAY + 1)
    emails = mesh.smtp.wait_for(3)
    assert len(settle(mesh, 3)) == 3
    assert emails[2].message["In-Reply-To"] == second_reply.message["Message-ID"]
    jobs = followup_jobs(mesh, lead.lead_id)
    assert [status for status, _ in jobs[:2]] == ["cancelled", "completed"]
    assert jobs[0][1] == "the lead replied"


def test_an_opt_out_before_the_bump_is_due_cancels_it(mesh):
    lead = started_lead(mesh)
    mesh.crm.leads.RecordConsent(
        leads_pb.RecordConsentRequest(
            lead_id=lead.lead_id, action=leads_pb.CONSENT_ACTION_OPT_OUT, source="api"
        )
    )
    mesh.advance(DAY + 1)
    assert len(settle(mesh, 1)) == 1
    assert followup_jobs(mesh, lead.lead_id) == [("cancelled", "lead opted out (api)")]


def test_an_opt_out_after_the_bump_was_prepared_stops_it_at_send_time(mesh):
    # Given a bump whose job already started and reserved its message
    lead = started_lead(mesh)
    mesh.workers["p1"].stop(5.0)
    mesh.advance(DAY + 1)
    [(job_id,)] = mesh.sql(
        "SELECT id FROM jobs WHERE lead_id = %s AND task_name = 'followup_bumpup'", (lead.lead_id,)
    )
    job = mesh.crm.jobs.StartJob(jobs_pb.StartJobRequest(job_id=str(job_id), lease_seconds=30)).job
    prepared = mesh.crm.outreach.PrepareOutreach(outreach_pb.PrepareOutreachRequest(job_id=job.id))
    assert prepared.proceed
    # When the student opts out before it leaves
    mesh.crm.leads.RecordConsent(
        leads_pb.RecordConsentRequest(
            lead_id=lead.lead_id, action=leads_pb.CONSENT_ACTION_OPT_OUT, source="email_unsubscribe"
        )
    )
    clients = make_clients(mesh.conductor_settings)
    try:
        completed = send_outreach(TaskContext(mesh.conductor_settings, clients), job)
    finally:
        clients.close()
    # Then nothing is sent, and the conversation says why
    assert completed is False
    assert len(settle(mesh, 1)) == 1
    [(status, error)] = mesh.sql(
        "SELECT status, error_message FROM messages WHERE id = %s", (prepared.message.id,)
    )
    assert (status, error) == ("failed", "not sent: the lead opted out")


def test_a_hand_off_recorded_by_any_code_path_cancels_the_bump(mesh):
    lead = started_lead(mesh)
    # When another part of the crm hands the lead to a counsellor (as the AI's hand-off does)
    engine = make_engine(mesh.database_url, 1)
    try:
        db = Database(make_sessionmaker(engine), Clock(), reactions.subscriptions())
        with db.transaction() as session:
            row = session.get(Lead, uuid.UUID(lead.lead_id))
            row.status = "handed_off"
            events.record(
                session, "lead.handed_off", "lead", row.id, company_id=row.company_id, lead_id=row.id
            )
    finally:
        engine.dispose()
    mesh.advance(DAY + 1)
    assert len(settle(mesh, 1)) == 1
    assert followup_jobs(mesh, lead.lead_id) == [("cancelled", "a counsellor took over the conversation")]


def test_quiet_hours_defer_a_bump_to_the_morning_then_send_it(mesh):
    # Given a company that follows up after 11 hours, and a lead answered at 11:00 in India
    mesh.move_to_local(11)
    company_id = mesh.sql("SELECT id FROM companies")[0][0]
    mesh.crm.outreach.UpdateCompanySettings(
        outreach_pb.UpdateCompanySettingsRequest(
            settings=outreach_pb.CompanySettings(company_id=str(company_id), followup_delay_seconds=11 * 3600)
        )
    )
    lead = ingest(mesh, phone(), "What are the batch dates?")
    mesh.smtp.wait_for(1)
    bump_jobs_written(mesh, lead.lead_id, 1)
    # When its bump falls due at 22:00
    mesh.advance(11 * 3600 + 1)
    # Then nothing is sent at night: the job waits, without spending an attempt, until 09:00
    mesh.wait_until(
        lambda: (
            mesh.sql(
                "SELECT count(*) FROM events WHERE type = 'job.deferred' AND lead_id = %s", (lead.lead_id,)
            )[0][0]
            == 1
        ),
        what="the bump to be deferred",
    )
    assert len(settle(mesh, 1)) == 1
    [(status, attempts, local_time)] = mesh.sql(
        "SELECT status, attempts, to_char(run_at AT TIME ZONE 'Asia/Kolkata', 'HH24:MI') FROM jobs "
        "WHERE lead_id = %s AND task_name = 'followup_bumpup'",
        (lead.lead_id,),
    )
    assert (status, attempts, local_time) == ("queued", 0, "09:00")
    # When the morning comes, it is sent
    mesh.move_to_local(9, 0)
    assert len(mesh.smtp.wait_for(2)) == 2
    assert "Hi Neha" in mesh.smtp.messages[1].text


def test_no_bump_follows_an_opt_out_confirmation(mesh):
    mesh.move_to_local(11)
    result = ingest(mesh, phone(), "STOP")
    mesh.wait_for_job(result.job_id, "completed")
    mesh.advance(DAY + 1)
    assert len(settle(mesh, 1)) == 1
    assert followup_jobs(mesh, result.lead_id) == []
