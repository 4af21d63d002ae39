"""A lead's message becomes exactly one sent reply, whatever fails or repeats along the way."""

from __future__ import annotations

import contextlib
import dataclasses
import time
import uuid

import dramatiq
import grpc
import pytest

from shvya.conductor.v1 import conductor_service_pb2 as conductor_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.type.v1 import channel_pb2
from shvya_rpc.errors import field_violations


def ingest(
    mesh, *, text="What is the fee for the Digital Marketing course?", channel=channel_pb2.CHANNEL_EMAIL
):
    suffix = uuid.uuid4().int % 10**8
    return mesh.crm.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            phone_number=f"+9198{suffix:08d}",
            contact_name="Priya Sharma",
            message_text=text,
            channel=channel,
            email=f"priya.{suffix}@example.com",
        )
    )


def dispatch(mesh, job_id):
    return mesh.conductor.DispatchJobs(conductor_pb.DispatchJobsRequest(job_ids=[job_id]))


def test_inbound_message_is_answered_by_exactly_one_grounded_email(mesh):
    # Given a lead asking about a course in the demo catalogue
    result = ingest(mesh)
    # When the job is dispatched on the fast path (the relay, polling every
    # 50 ms, may claim it first: then the fast path finds nothing to claim)
    assert list(dispatch(mesh, result.job_id).dispatched_job_ids) in ([result.job_id], [])
    # Then one email reaches the SMTP server, addressed by name, quoting the fee
    mesh.wait_for_job(result.job_id, "completed")
    [email] = mesh.smtp.wait_for(1)
    assert email.message["To"].addresses[0].display_name == "Priya Sharma"
    assert "Hi Priya" in email.text
    assert "Rs 24,999" in email.text
    # And the crm records the reply as sent under the email's Message-ID
    [(status, external_id, stage)] = mesh.sql(
        "SELECT m.status, m.external_id, s.key FROM messages m JOIN leads l ON l.id = m.lead_id "
        "JOIN stages s ON s.id = l.stage_id WHERE m.lead_id = %s AND m.direction = 'outbound'",
        (result.lead_id,),
    )
    # (a fee question about a catalogue course qualifies the lead)
    assert (status, external_id, stage) == ("sent", email.message["Message-ID"], "qualified")
    assert (
        mesh.sql(
            "SELECT count(*) FROM events WHERE type = 'message.sent' AND lead_id = %s", (result.lead_id,)
        )[0][0]
        == 1
    )


def test_a_job_leased_at_intake_is_handed_to_its_lane_without_a_claim(mesh):
    # Given a form whose job was leased for dispatch at intake (as the gateway does), so the
    # relay leaves it alone
    result = _leased(mesh)
    assert result.job_leased
    # When the caller hands it to the conductor
    handed = mesh.conductor.DispatchJobs(
        conductor_pb.DispatchJobsRequest(
            leased_jobs=[conductor_pb.LeasedJob(id=result.job_id, task_name=result.task_name)]
        )
    )
    # Then it goes to its lane and is answered, once
    assert list(handed.dispatched_job_ids) == [result.job_id]
    mesh.wait_for_job(result.job_id, "completed")
    assert len(mesh.smtp.wait_for(1)) == 1


def _leased(mesh):
    """A form's job leased for an hour at intake: neither the relay nor anyone else takes it."""
    suffix = uuid.uuid4().int % 10**8
    return mesh.crm.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            phone_number=f"+9198{suffix:08d}",
            contact_name="Priya Sharma",
            message_text="What is the fee for the Digital Marketing course?",
            channel=channel_pb2.CHANNEL_EMAIL,
            email=f"priya.{suffix}@example.com",
            dispatch_lease_seconds=3600,
        )
    )


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("leased_jobs", {"leased_jobs": [conductor_pb.LeasedJob(id="job-1", task_name="ai_engage")]}),
        (
            "leased_jobs",
            {"leased_jobs": [conductor_pb.LeasedJob(id=str(uuid.uuid4()), task_name="no_such_task")]},
        ),
        ("job_ids", {"job_ids": ["not-a-uuid"]}),
    ],
)
def test_a_malformed_dispatch_is_refused_and_nothing_is_dispatched(mesh, field, bad):
    # Given a job leased at intake, named in a call that also names something malformed
    result = _leased(mesh)
    good = conductor_pb.LeasedJob(id=result.job_id, task_name=result.task_name)
    request = conductor_pb.DispatchJobsRequest(leased_jobs=[good, *bad.get("leased_jobs", [])])
    request.job_ids.extend(bad.get("job_ids", []))

    with pytest.raises(grpc.RpcError) as raised:
        mesh.conductor.DispatchJobs(request)

    # Then the call is refused naming the field, and the good job was not handed to its lane
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in field_violations(raised.value)
    time.sleep(1.0)
    assert mesh.sql("SELECT status, attempts FROM jobs WHERE id = %s", (result.job_id,)) == [("queued", 0)]


def test_the_relay_answers_a_job_nobody_dispatched(mesh):
    # Given a job written by intake whose fast-path dispatch never happened
    result = ingest(mesh)
    # Then the relay finds it in the ledger and it is answered anyway
    mesh.wait_for_job(result.job_id, "completed")
    assert len(mesh.smtp.wait_for(1)) == 1


def test_a_job_delivered_twice_sends_one_email(mesh):
    # Given a job that has completed
    result = ingest(mesh)
    dispatch(mesh, result.job_id)
    mesh.wait_for_job(result.job_id, "completed")
    mesh.smtp.wait_for(1)
    # When Redis delivers its message again (at-least-once delivery)
    mesh.workers["p1"]._broker.enqueue(
        dramatiq.Message(
            queue_name="p1", actor_name="ai_engage", args=(result.job_id,), kwargs={}, options={}
        )
    )
    # Then the rerun does nothing: still one email, one outbound message
    mesh.wait_until(
        lambda: (
            mesh.sql(
                "SELECT count(*) FROM events WHERE entity_id = %s AND type = 'job.completed'",
                (result.job_id,),
            )[0][0]
            == 1
        ),
        what="completion event",
    )
    mesh.smtp.wait_for(2, timeout=1.0)
    assert len(mesh.smtp.messages) == 1
    assert (
        mesh.sql(
            "SELECT count(*) FROM messages WHERE lead_id = %s AND direction = 'outbound'", (result.lead_id,)
        )[0][0]
        == 1
    )


def test_a_worker_lost_after_sending_does_not_send_twice(mesh):
    # Given a job whose worker sent the email but died before recording it:
    # stop the lane, run the job's first steps by hand up to the send.
    mesh.workers["p1"].stop(5.0)
    result = ingest(mesh)
    started = mesh.crm.jobs.StartJob(jobs_pb.StartJobRequest(job_id=result.job_id, lease_seconds=1))
    assert started.proceed
    from shvya_conductor.clients import make_clients
    from shvya_conductor.engage import ai_engage
    from shvya_conductor.runner import TaskContext

    clients = make_clients(mesh.conductor_settings)
    try:
        crm = clients.crm

        class DiesBeforeRecording:
            def __getattr__(self, name):
                if name == "MarkMessageSent":
                    raise SystemExit("worker killed")
                return getattr(crm.conversations, name)

        clients.crm = dataclasses.replace(crm, conversations=DiesBeforeRecording())
        with contextlib.suppress(SystemExit):
            ai_engage(TaskContext(mesh.conductor_settings, clients), started.job)
    finally:
        clients.close()
    assert len(mesh.smtp.wait_for(1)) == 1
    assert mesh.job_status(result.job_id) == "processing"
    # When the run lease expires and a new worker picks the job up
    from shvya_conductor.worker import LaneWorker

    worker = LaneWorker(mesh.conductor_settings, "p1")
    worker.start()
    try:
        mesh.wait_for_job(result.job_id, "completed")
    finally:
        worker.stop(5.0)
    # Then the send ledger recognises the send: still exactly one email
    assert len(mesh.smtp.messages) == 1
    [(status, attempts)] = mesh.sql("SELECT status, attempts FROM jobs WHERE id = %s", (result.job_id,))
    assert (status, attempts) == ("completed", 2)


def test_an_smtp_server_down_longer_than_the_outage_limit_dead_letters_naming_it_and_replay_delivers_once(
    mesh,
):
    # Given the SMTP server is down for longer than the mesh waits out an outage (2 s)
    mesh.smtp.stop()
    result = ingest(mesh)
    dispatch(mesh, result.job_id)
    # Then the job waits without spending attempts, and is dead-lettered saying SMTP was down
    mesh.wait_for_job(result.job_id, "dlq")
    [(attempts, error)] = mesh.sql("SELECT attempts, error_message FROM jobs WHERE id = %s", (result.job_id,))
    assert attempts == 1
    assert error.startswith("SMTP down for ")
    assert "unreachable" in error
    # When the server is back and an admin replays the dead letters
    mesh.smtp.start()
    replayed = mesh.conductor.ReplayDeadLetters(conductor_pb.ReplayDeadLettersRequest(max_jobs=10))
    assert list(replayed.job_ids) == [result.job_id]
    # Then the reply is delivered exactly once
    mesh.wait_for_job(result.job_id, "completed")
    assert len(mesh.smtp.wait_for(1)) == 1
    mesh.smtp.wait_for(2, timeout=0.5)
    assert len(mesh.smtp.messages) == 1


def deferrals(mesh, job_id: str) -> int:
    return mesh.sql("SELECT count(*) FROM events WHERE type = 'job.deferred' AND entity_id = %s", (job_id,))[
        0
    ][0]


def test_a_first_reply_waits_out_an_smtp_outage_without_spending_attempts_and_goes_once_it_returns(make_mesh):
    # Given a mesh that waits out outages of up to a minute, and its SMTP server down
    mesh = make_mesh(conductor_values={"outage_max_seconds": 60, "max_attempts": 2})
    mesh.smtp.stop()
    result = ingest(mesh)
    dispatch(mesh, result.job_id)
    # When the outage lasts longer than every attempt's backoff together
    mesh.wait_until(
        lambda: deferrals(mesh, result.job_id) >= 5,
        what="the job to wait out several tries",
    )
    assert mesh.job_status(result.job_id) == "queued"
    # Then, once the server is back, the reply goes out exactly once
    mesh.smtp.start()
    mesh.wait_for_job(result.job_id, "completed")
    [(attempts,)] = mesh.sql("SELECT attempts FROM jobs WHERE id = %s", (result.job_id,))
    assert attempts == 1
    assert len(mesh.smtp.wait_for(1)) == 1
    mesh.smtp.wait_for(2, timeout=0.5)
    assert len(mesh.smtp.messages) == 1


def test_a_hard_bounce_dead_letters_at_once_with_the_reason_on_the_message(mesh):
    # Given the mail server refuses the recipient permanently
    mesh.smtp.refuse_recipients("550 5.1.1 no such user")
    result = ingest(mesh)
    dispatch(mesh, result.job_id)
    # Then there is no retry: the job is dead-lettered after one attempt
    mesh.wait_for_job(result.job_id, "dlq")
    assert mesh.sql("SELECT attempts FROM jobs WHERE id = %s", (result.job_id,))[0][0] == 1
    [(status, error)] = mesh.sql(
        "SELECT status, error_message FROM messages WHERE lead_id = %s AND direction = 'outbound'",
        (result.lead_id,),
    )
    assert status == "failed"
    assert "550" in error


def test_a_whatsapp_job_without_a_channel_service_dead_letters_with_a_clear_reason(mesh):
    result = ingest(mesh, channel=channel_pb2.CHANNEL_WHATSAPP_WEB)
    dispatch(mesh, result.job_id)
    mesh.wait_for_job(result.job_id, "dlq")
    error = mesh.sql("SELECT error_message FROM jobs WHERE id = %s", (result.job_id,))[0][0]
    assert "channels service for whatsapp_web unreachable" in error
    assert mesh.smtp.messages == []


def test_first_replies_are_answered_while_lane_two_is_flooded_and_stalled(mesh):
    # Given lane 2 has no workers and thousands of jobs waiting in its queue
    mesh.workers["p2"].stop(5.0)
    broker = mesh.workers["p1"]._broker
    for _ in range(2000):
        broker.enqueue(
            dramatiq.Message(
                queue_name="p2",
                actor_name="webhook_reminder",
                args=(str(uuid.uuid4()),),
                kwargs={},
                options={},
            )
        )
    assert broker.do_qsize("p2") >= 2000
    # When a student writes
    result = ingest(mesh)
    dispatch(mesh, result.job_id)
    # Then the first reply does not wait for lane 2
    mesh.wait_for_job(result.job_id, "completed", timeout=10)
    assert len(mesh.smtp.wait_for(1)) == 1


def test_queue_stats_count_jobs_by_status_and_report_lane_depths(mesh):
    done = ingest(mesh)
    dispatch(mesh, done.job_id)
    mesh.wait_for_job(done.job_id, "completed")
    stats = mesh.conductor.GetQueueStats(conductor_pb.GetQueueStatsRequest())
    # The reply is completed; its follow-up waits (queued) for a day of silence.
    assert (stats.queued, stats.processing, stats.completed, stats.failed, stats.dlq) == (1, 0, 1, 0, 0)
    assert {lane.lane for lane in stats.lanes} == {"p1", "p2"}


def test_a_hard_bounce_marks_the_address_and_nothing_more_goes_to_it(mesh):
    # Given a student whose email address does not exist
    mesh.smtp.refuse_recipients("550 5.1.1 Recipient address rejected: User unknown")
    first = ingest(mesh)
    mesh.wait_for_job(first.job_id, "dlq")
    [(status, error)] = mesh.sql(
        "SELECT status, error_message FROM messages WHERE lead_id = %s AND direction = 'outbound'",
        (first.lead_id,),
    )
    assert status == "failed"
    assert "User unknown" in error
    assert mesh.sql(
        "SELECT count(*) FROM events WHERE lead_id = %s AND type = 'lead.address_invalid'", (first.lead_id,)
    ) == [(1,)]

    # When the server would take mail again and the student writes once more from the same address
    mesh.smtp.refuse_recipients(None)
    [(phone, email)] = mesh.sql("SELECT phone, email FROM leads WHERE id = %s", (first.lead_id,))
    again = mesh.crm.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            phone_number=phone,
            contact_name="Priya Sharma",
            message_text="Any weekend batch?",
            channel=channel_pb2.CHANNEL_EMAIL,
            email=email,
        )
    )
    mesh.wait_for_job(again.job_id, "completed")
    # Then nothing is sent to the address that bounced
    mesh.smtp.wait_for(1, timeout=1.0)
    assert mesh.smtp.messages == []

    # And a new address the student gives is answered
    fixed = mesh.crm.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            phone_number=phone,
            contact_name="Priya Sharma",
            message_text="Sorry, typo in my email. Any weekend batch?",
            channel=channel_pb2.CHANNEL_EMAIL,
            email=email.replace("@", ".new@"),
        )
    )
    mesh.wait_for_job(fixed.job_id, "completed")
    [received] = mesh.smtp.wait_for(1)
    assert received.rcpt_tos == [email.replace("@", ".new@")]


def test_an_admin_replay_of_a_bounced_reply_tries_the_address_again(mesh):
    # Given a reply that hard-bounced and was dead-lettered
    mesh.smtp.refuse_recipients("550 5.1.1 Recipient address rejected: User unknown")
    result = ingest(mesh)
    mesh.wait_for_job(result.job_id, "dlq")
    # When the mailbox exists after all and an admin replays the dead letter
    mesh.smtp.refuse_recipients(None)
    replayed = mesh.conductor.ReplayDeadLetters(conductor_pb.ReplayDeadLettersRequest(max_jobs=10))
    assert list(replayed.job_ids) == [result.job_id]
    # Then the address is tried again and the reply delivered once
    mesh.wait_for_job(result.job_id, "completed")
    assert len(mesh.smtp.wait_for(1)) == 1
    assert mesh.sql(
        "SELECT count(*) FROM events WHERE lead_id = %s AND type = 'lead.address_restored'", (result.lead_id,)
    ) == [(1,)]


def first_replies(channel: str = "email") -> float:
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value("shvya_first_reply_seconds_count", {"channel": channel}) or 0.0


def test_a_first_reply_is_timed_for_speed_to_lead_and_a_later_reply_is_not(mesh):
    before = first_replies()
    first = ingest(mesh)
    dispatch(mesh, first.job_id)
    mesh.wait_for_job(first.job_id, "completed")
    assert first_replies() == before + 1

    # The same student writes again: that answer is not a first reply
    [email] = mesh.smtp.wait_for(1)
    again = mesh.crm.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            phone_number=mesh.sql("SELECT phone FROM leads WHERE id = %s", (first.lead_id,))[0][0],
            contact_name="Priya Sharma",
            message_text="And when does the next batch start?",
            channel=channel_pb2.CHANNEL_EMAIL,
            email=email.rcpt_tos[0],
        )
    )
    dispatch(mesh, again.job_id)
    mesh.wait_for_job(again.job_id, "completed")
    assert first_replies() == before + 1
