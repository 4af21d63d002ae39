"""The jobs ledger: dispatch leases, run leases, attempts, retries, the dead-letter queue
and replay, as the conductor drives them over gRPC."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from google.protobuf import timestamp_pb2

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya_rpc.errors import field_violations


def _ts(value: datetime) -> timestamp_pb2.Timestamp:
    out = timestamp_pb2.Timestamp()
    out.FromDatetime(value)
    return out


def _claim_due(crm, limit: int = 100, lease_seconds: int = 30) -> list[str]:
    response = crm.stub.jobs.ClaimDueJobs(
        jobs_pb.ClaimDueJobsRequest(limit=limit, lease_seconds=lease_seconds)
    )
    return [job.id for job in response.jobs]


def _start(crm, job_id: str, lease_seconds: int = 120) -> jobs_pb.StartJobResponse:
    return crm.stub.jobs.StartJob(jobs_pb.StartJobRequest(job_id=job_id, lease_seconds=lease_seconds))


def _status(crm, job_id: str) -> int:
    return crm.stub.jobs.GetJob(jobs_pb.GetJobRequest(job_id=job_id)).job.status


def _wait_until(predicate, timeout: float, what: str) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def test_claim_due_returns_the_highest_priority_first(crm):
    # Given due jobs of three priorities, the lowest written first
    low = crm.add_job(priority=50, task_name="webhook_reminder")
    mid = crm.add_job(priority=70, task_name="sequence_step")
    high = crm.ingest().job_id  # ai_engage, priority 100

    # When the relay claims them
    claimed = _claim_due(crm)

    # Then they come highest priority first
    assert claimed == [high, mid, low]


def test_claim_due_for_some_tasks_leaves_the_others_due(crm):
    # Given a bulk job and a first reply, both due
    bulk = crm.add_job(priority=50, task_name="webhook_reminder")
    first_reply = crm.ingest().job_id

    # When the relay fills only lane 2
    response = crm.stub.jobs.ClaimDueJobs(
        jobs_pb.ClaimDueJobsRequest(
            limit=100, lease_seconds=30, task_names=["sequence_step", "email_sequence", "webhook_reminder"]
        )
    )

    # Then it gets the bulk job, and the first reply is still there to claim
    assert [job.id for job in response.jobs] == [bulk]
    assert _claim_due(crm) == [first_reply]


def test_claim_due_takes_at_most_limit_jobs_and_leaves_the_lowest_priority(crm):
    low = crm.add_job(priority=50)
    mid = crm.add_job(priority=70)
    high = crm.add_job(priority=100)

    assert _claim_due(crm, limit=2) == [high, mid]
    assert _claim_due(crm, limit=2) == [low]


def test_among_equal_priorities_the_oldest_due_job_comes_first(crm):
    now = datetime.now(UTC)
    newer = crm.add_job(priority=70, run_at=now - timedelta(seconds=5))
    older = crm.add_job(priority=70, run_at=now - timedelta(seconds=60))

    assert _claim_due(crm) == [older, newer]


def test_a_job_not_yet_due_is_not_claimed(crm):
    crm.add_job(priority=100, run_at=datetime.now(UTC) + timedelta(hours=1))

    assert _claim_due(crm) == []


def test_a_claimed_job_is_not_claimed_again_while_its_dispatch_lease_lives(crm):
    # Given a job the relay has just claimed
    job_id = crm.ingest().job_id
    assert _claim_due(crm, lease_seconds=30) == [job_id]

    # When the relay (or another relay) looks again, by due scan or by id
    again_due = _claim_due(crm)
    again_by_id = crm.stub.jobs.ClaimJobs(jobs_pb.ClaimJobsRequest(job_ids=[job_id], lease_seconds=30)).jobs

    # Then the job is left out
    assert again_due == []
    assert list(again_by_id) == []


def test_a_dispatch_lease_that_expires_lets_the_job_be_claimed_again(crm):
    # Given a job claimed for one second whose lane message was lost
    job_id = crm.ingest().job_id
    assert _claim_due(crm, lease_seconds=1) == [job_id]

    # When the lease runs out, the job is due again
    _wait_until(lambda: _claim_due(crm) == [job_id], timeout=5, what="the dispatch lease to expire")


def test_a_job_leased_at_intake_is_not_claimed_while_its_lease_lives(crm):
    # Given a form whose caller takes the job's dispatch lease at intake
    result = crm.ingest(dispatch_lease_seconds=30)
    assert result.job_leased

    # Then neither the relay nor a claim by id takes the job: the caller hands it to a lane
    assert _claim_due(crm) == []
    assert (
        list(
            crm.stub.jobs.ClaimJobs(jobs_pb.ClaimJobsRequest(job_ids=[result.job_id], lease_seconds=30)).jobs
        )
        == []
    )
    [(seconds,)] = crm.sql(
        "SELECT extract(epoch FROM dispatch_until - created_at) FROM jobs WHERE id = %s", (result.job_id,)
    )
    assert 29 <= float(seconds) <= 31


def test_a_form_without_a_lease_leaves_its_job_to_be_claimed(crm):
    result = crm.ingest()

    assert not result.job_leased
    assert _claim_due(crm) == [result.job_id]


def test_a_repeated_form_leases_nothing(crm):
    first = crm.ingest(idempotency_key="lease-repeat")
    assert _claim_due(crm) == [first.job_id]
    crm.stub.jobs.ReleaseJobs(jobs_pb.ReleaseJobsRequest(job_ids=[first.job_id]))

    again = crm.ingest(idempotency_key="lease-repeat", dispatch_lease_seconds=30)

    assert again.duplicate
    assert not again.job_leased
    assert _claim_due(crm) == [first.job_id]


def test_releasing_a_leased_job_makes_it_due_for_the_relay_at_once(crm):
    # Given a job leased at intake whose fast dispatch failed
    job_id = crm.ingest(dispatch_lease_seconds=30).job_id

    # When the caller releases it
    released = crm.stub.jobs.ReleaseJobs(jobs_pb.ReleaseJobsRequest(job_ids=[job_id])).released_job_ids

    # Then the relay's next pass takes it
    assert list(released) == [job_id]
    assert _claim_due(crm) == [job_id]


def test_the_caller_s_own_lease_is_released_and_a_lease_the_relay_took_since_is_kept(crm):
    # Given a job leased at intake for one second, whose end the caller was told
    said = crm.ingest(dispatch_lease_seconds=1)
    [(until,)] = crm.sql("SELECT dispatch_until FROM jobs WHERE id = %s", (said.job_id,))
    assert said.dispatch_until.ToDatetime(tzinfo=UTC) == until
    # And the hand-off outlived the lease, so the relay leased the job itself
    time.sleep(1.2)
    assert _claim_due(crm, lease_seconds=30) == [said.job_id]

    # When the caller's release of its own lease arrives late
    late = crm.stub.jobs.ReleaseJobs(
        jobs_pb.ReleaseJobsRequest(job_ids=[said.job_id], leased_until=said.dispatch_until)
    ).released_job_ids

    # Then the relay's lease stands: the job is not dispatched a second time
    assert list(late) == []
    assert _claim_due(crm) == []


def test_a_release_in_time_gives_back_the_lease_it_names(crm):
    said = crm.ingest(dispatch_lease_seconds=30)

    released = crm.stub.jobs.ReleaseJobs(
        jobs_pb.ReleaseJobsRequest(job_ids=[said.job_id], leased_until=said.dispatch_until)
    ).released_job_ids

    assert list(released) == [said.job_id]
    assert _claim_due(crm) == [said.job_id]


def test_release_leaves_started_finished_and_unleased_jobs_alone(crm):
    running = crm.ingest(dispatch_lease_seconds=30).job_id
    assert _start(crm, running).proceed
    done = crm.ingest(dispatch_lease_seconds=30, phone_number="+919812300078").job_id
    assert _start(crm, done).proceed
    crm.stub.jobs.CompleteJob(jobs_pb.CompleteJobRequest(job_id=done))
    unleased = crm.add_job(priority=70)

    released = crm.stub.jobs.ReleaseJobs(jobs_pb.ReleaseJobsRequest(job_ids=[running, done, unleased]))

    assert list(released.released_job_ids) == []
    assert _status(crm, running) == jobs_pb.JOB_STATUS_PROCESSING
    assert _status(crm, done) == jobs_pb.JOB_STATUS_COMPLETED


def test_release_leaves_an_expired_lease_to_the_relay_and_reports_nothing(crm):
    # Given a job whose one-second dispatch lease has run out (the relay may be claiming it now)
    job_id = crm.ingest(dispatch_lease_seconds=1).job_id
    time.sleep(1.2)

    released = crm.stub.jobs.ReleaseJobs(jobs_pb.ReleaseJobsRequest(job_ids=[job_id])).released_job_ids

    assert list(released) == []
    assert _claim_due(crm) == [job_id]


def test_release_refuses_a_malformed_id_and_changes_nothing(crm):
    job_id = crm.ingest(dispatch_lease_seconds=30).job_id

    with pytest.raises(grpc.RpcError) as raised:
        crm.stub.jobs.ReleaseJobs(jobs_pb.ReleaseJobsRequest(job_ids=[job_id, "not-a-uuid"]))

    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "job_ids" in field_violations(raised.value)
    assert _claim_due(crm) == []


@pytest.mark.parametrize("seconds", [-1, 86401])
def test_intake_refuses_an_out_of_range_lease_and_records_nothing(crm, seconds):
    with pytest.raises(grpc.RpcError) as raised:
        crm.ingest(dispatch_lease_seconds=seconds, phone_number="+919812300077")

    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "dispatch_lease_seconds" in field_violations(raised.value)
    assert crm.sql("SELECT count(*) FROM leads WHERE phone = '+919812300077'") == [(0,)]


def test_claim_jobs_by_id_leases_only_the_named_due_jobs(crm):
    wanted = crm.add_job(priority=70)
    other = crm.add_job(priority=100)
    not_due = crm.add_job(priority=70, run_at=datetime.now(UTC) + timedelta(hours=1))

    claimed = crm.stub.jobs.ClaimJobs(
        jobs_pb.ClaimJobsRequest(job_ids=[wanted, not_due], lease_seconds=30)
    ).jobs

    assert [j.id for j in claimed] == [wanted]
    assert _claim_due(crm) == [other]


def test_start_job_marks_it_processing_and_counts_the_attempt(crm):
    job_id = crm.ingest().job_id

    response = _start(crm, job_id)

    assert response.proceed is True
    assert response.job.status == jobs_pb.JOB_STATUS_PROCESSING
    assert response.job.attempts == 1


def test_start_job_refuses_a_job_running_under_a_live_lease(crm):
    # Given a job a worker is running
    job_id = crm.ingest().job_id
    assert _start(crm, job_id).proceed

    # When a second worker receives the same job
    second = _start(crm, job_id)

    # Then it is told not to run it, and no attempt is counted
    assert second.proceed is False
    assert "running" in second.reason
    assert second.job.attempts == 1


def test_start_job_refuses_a_completed_job(crm):
    job_id = crm.ingest().job_id
    _start(crm, job_id)
    crm.stub.jobs.CompleteJob(jobs_pb.CompleteJobRequest(job_id=job_id))

    response = _start(crm, job_id)

    assert response.proceed is False
    assert "completed" in response.reason
    assert response.job.status == jobs_pb.JOB_STATUS_COMPLETED
    assert response.job.attempts == 1


def test_start_job_refuses_a_dead_lettered_job(crm):
    job_id = crm.ingest().job_id
    _start(crm, job_id)
    crm.stub.jobs.FailJob(jobs_pb.FailJobRequest(job_id=job_id, error_message="boom"))

    response = _start(crm, job_id)

    assert response.proceed is False
    assert "dlq" in response.reason


def test_start_job_refuses_a_job_that_is_not_due(crm):
    job_id = crm.add_job(priority=70, run_at=datetime.now(UTC) + timedelta(hours=1))

    response = _start(crm, job_id)

    assert response.proceed is False
    assert "not due" in response.reason
    assert response.job.status == jobs_pb.JOB_STATUS_QUEUED
    assert response.job.attempts == 0


def test_a_running_job_is_not_claimed_while_its_run_lease_lives(crm):
    job_id = crm.ingest().job_id
    _start(crm, job_id, lease_seconds=60)

    assert _claim_due(crm) == []


def test_an_expired_run_lease_lets_the_job_be_claimed_and_started_again(crm):
    # Given a worker that started a job with a one-second lease, then died
    job_id = crm.ingest().job_id
    assert _start(crm, job_id, lease_seconds=1).proceed

    # When the lease has expired, the relay claims the job again
    _wait_until(lambda: _claim_due(crm) == [job_id], timeout=5, what="the run lease to expire")

    # Then a new worker may start it, as a second attempt
    restarted = _start(crm, job_id)
    assert restarted.proceed is True
    assert restarted.job.attempts == 2


def test_complete_job_completes_it_and_logs_the_event(crm):
    job_id = crm.ingest().job_id
    _start(crm, job_id)

    job = crm.stub.jobs.CompleteJob(jobs_pb.CompleteJobRequest(job_id=job_id)).job

    assert job.status == jobs_pb.JOB_STATUS_COMPLETED
    assert job.HasField("completed_at")
    assert crm.event_types("entity_id = %s AND type = 'job.completed'", (job_id,)) == ["job.completed"]


def test_fail_job_with_retry_at_waits_until_then_is_due_again(crm):
    # Given a job whose attempt failed with a retry one second from now
    job_id = crm.ingest().job_id
    _start(crm, job_id)
    retry_at = datetime.now(UTC) + timedelta(seconds=1)
    failed = crm.stub.jobs.FailJob(
        jobs_pb.FailJobRequest(job_id=job_id, error_message="smtp 451", retry_at=_ts(retry_at))
    ).job

    # Then it is failed, waiting, and not due before that time
    assert failed.status == jobs_pb.JOB_STATUS_FAILED
    assert failed.error_message == "smtp 451"
    assert failed.run_at.ToDatetime(tzinfo=UTC) == retry_at
    assert _claim_due(crm) == []

    # And at that time it is claimed again
    _wait_until(lambda: _claim_due(crm) == [job_id], timeout=5, what="the retry time")
    assert datetime.now(UTC) >= retry_at
    assert "job.failed" in crm.event_types("entity_id = %s", (job_id,))


def test_fail_job_without_retry_at_dead_letters_the_job(crm):
    job_id = crm.ingest().job_id
    _start(crm, job_id)

    job = crm.stub.jobs.FailJob(jobs_pb.FailJobRequest(job_id=job_id, error_message="recipient refused")).job

    assert job.status == jobs_pb.JOB_STATUS_DLQ
    assert job.error_message == "recipient refused"
    assert _claim_due(crm) == []
    assert "job.dead_lettered" in crm.event_types("entity_id = %s", (job_id,))


def test_fail_job_does_not_reopen_a_completed_job(crm):
    job_id = crm.ingest().job_id
    _start(crm, job_id)
    crm.stub.jobs.CompleteJob(jobs_pb.CompleteJobRequest(job_id=job_id))

    job = crm.stub.jobs.FailJob(jobs_pb.FailJobRequest(job_id=job_id, error_message="late failure")).job

    assert job.status == jobs_pb.JOB_STATUS_COMPLETED


def test_requeue_dead_jobs_resets_attempts_and_logs_the_replay(crm):
    # Given a job dead-lettered after two attempts
    job_id = crm.ingest().job_id
    _start(crm, job_id)
    crm.stub.jobs.FailJob(
        jobs_pb.FailJobRequest(job_id=job_id, error_message="x", retry_at=_ts(datetime.now(UTC)))
    )
    _start(crm, job_id)
    crm.stub.jobs.FailJob(jobs_pb.FailJobRequest(job_id=job_id, error_message="permanent"))
    assert _status(crm, job_id) == jobs_pb.JOB_STATUS_DLQ

    # When an admin replays the dead letters
    replayed = crm.stub.jobs.RequeueDeadJobs(jobs_pb.RequeueDeadJobsRequest(max_jobs=10)).jobs

    # Then the job is queued with a fresh attempt budget, due now, and the replay is logged
    assert [j.id for j in replayed] == [job_id]
    assert replayed[0].status == jobs_pb.JOB_STATUS_QUEUED
    assert replayed[0].attempts == 0
    assert _claim_due(crm) == [job_id]
    replay = crm.sql(
        "SELECT data->>'last_error' FROM events WHERE type = 'job.replayed' AND entity_id = %s", (job_id,)
    )
    assert replay == [("permanent",)]


def test_requeue_dead_jobs_takes_at_most_max_jobs_oldest_first(crm):
    dead = []
    for i in range(3):
        job_id = crm.add_job(priority=70, task_name=f"sequence_step_{i}")
        crm.stub.jobs.FailJob(jobs_pb.FailJobRequest(job_id=job_id, error_message="boom"))
        dead.append(job_id)

    replayed = crm.stub.jobs.RequeueDeadJobs(jobs_pb.RequeueDeadJobsRequest(max_jobs=2)).jobs

    assert [j.id for j in replayed] == dead[:2]
    assert _status(crm, dead[2]) == jobs_pb.JOB_STATUS_DLQ


@pytest.mark.parametrize("max_jobs", [0, 1001])
def test_requeue_dead_jobs_refuses_an_out_of_range_max_jobs(crm, max_jobs):
    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.jobs.RequeueDeadJobs(jobs_pb.RequeueDeadJobsRequest(max_jobs=max_jobs))

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(caught.value)) == {"max_jobs"}


def test_get_job_counts_counts_jobs_by_status(crm):
    # Given jobs in every reachable state
    crm.add_job(priority=70)  # queued
    crm.add_job(priority=70)  # queued
    running = crm.add_job(priority=70)
    _start(crm, running)
    done = crm.add_job(priority=70)
    _start(crm, done)
    crm.stub.jobs.CompleteJob(jobs_pb.CompleteJobRequest(job_id=done))
    retrying = crm.add_job(priority=70)
    crm.stub.jobs.FailJob(
        jobs_pb.FailJobRequest(
            job_id=retrying, error_message="x", retry_at=_ts(datetime.now(UTC) + timedelta(hours=1))
        )
    )
    dead = crm.add_job(priority=70)
    crm.stub.jobs.FailJob(jobs_pb.FailJobRequest(job_id=dead, error_message="x"))

    counts = crm.stub.jobs.GetJobCounts(jobs_pb.GetJobCountsRequest())

    assert {
        "queued": counts.queued,
        "processing": counts.processing,
        "completed": counts.completed,
        "failed": counts.failed,
        "dlq": counts.dlq,
        "cancelled": counts.cancelled,
    } == {"queued": 2, "processing": 1, "completed": 1, "failed": 1, "dlq": 1, "cancelled": 0}


def test_get_job_counts_tells_jobs_due_now_from_jobs_scheduled_for_later(crm):
    # Given a first reply due a minute ago, a follow-up due tomorrow and a retry due in an hour
    now = datetime.now(UTC)
    crm.add_job(priority=100, task_name="ai_engage", run_at=now - timedelta(minutes=1))
    crm.add_job(priority=95, task_name="followup_bumpup", run_at=now + timedelta(days=1))
    crm.add_job(priority=70, run_at=now + timedelta(hours=1), status="failed")

    counts = crm.stub.jobs.GetJobCounts(jobs_pb.GetJobCountsRequest())

    # Then one is waiting for a worker, for about a minute, and two wait for their time
    assert (counts.queued, counts.failed) == (2, 1)
    assert (counts.due_now, counts.scheduled_later) == (1, 2)
    assert 55 <= counts.oldest_due_seconds <= 120


def test_with_nothing_due_the_oldest_due_age_is_zero(crm):
    crm.add_job(priority=95, task_name="followup_bumpup", run_at=datetime.now(UTC) + timedelta(days=1))

    counts = crm.stub.jobs.GetJobCounts(jobs_pb.GetJobCountsRequest())

    assert (counts.due_now, counts.oldest_due_seconds) == (0, 0.0)


def test_an_unknown_job_is_not_found(crm):
    with pytest.raises(grpc.RpcError) as caught:
        _start(crm, "00000000-0000-4000-8000-0000000000ff")

    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_a_malformed_job_id_is_refused_naming_job_id(crm):
    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.jobs.GetJob(jobs_pb.GetJobRequest(job_id="42"))

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(caught.value)) == {"job_id"}


# -- one turn per lead at a time ---------------------------------------------------


def test_a_second_turn_for_a_lead_waits_while_the_first_runs_without_spending_an_attempt(crm):
    # Given two messages of one lead, the first one's turn running
    first = crm.ingest(message_text="hi")
    second = crm.ingest(message_text="what is the fee?")
    assert _start(crm, first.job_id).proceed

    # When the second message's job starts
    waiting = _start(crm, second.job_id)

    # Then it waits a moment, unspent, with the reason on record
    assert waiting.proceed is False
    assert "in flight" in waiting.reason
    assert waiting.job.attempts == 0
    assert waiting.job.status == jobs_pb.JOB_STATUS_QUEUED
    assert waiting.job.run_at.ToDatetime(tzinfo=UTC) > datetime.now(UTC)
    assert crm.event_types("type = 'job.deferred' AND entity_id = %s", (second.job_id,)) == ["job.deferred"]


def test_once_the_running_turn_completes_the_waiting_one_starts(crm):
    first = crm.ingest(message_text="hi")
    second = crm.ingest(message_text="what is the fee?")
    _start(crm, first.job_id)
    _start(crm, second.job_id)
    crm.stub.jobs.CompleteJob(jobs_pb.CompleteJobRequest(job_id=first.job_id))
    crm.sql("UPDATE jobs SET run_at = now() - interval '1 second' WHERE id = %s", (second.job_id,))

    started = _start(crm, second.job_id)

    assert started.proceed is True
    assert started.job.attempts == 1


def test_turns_of_different_leads_run_side_by_side(crm):
    mine = crm.ingest(phone_number="9876543210")
    theirs = crm.ingest(phone_number="9876500000")
    _start(crm, mine.job_id)

    assert _start(crm, theirs.job_id).proceed is True


def test_other_tasks_of_a_lead_are_not_held_back_by_its_turn(crm):
    said = crm.ingest()
    summary = crm.stub.jobs.ScheduleJob(
        jobs_pb.ScheduleJobRequest(task_name="ai_summary", lead_id=said.lead_id, idempotency_key="summary-1")
    ).job
    _start(crm, said.job_id)

    assert _start(crm, summary.id).proceed is True


def test_a_turn_abandoned_by_its_worker_no_longer_holds_the_lead(crm):
    first = crm.ingest(message_text="hi")
    second = crm.ingest(message_text="fees?")
    _start(crm, first.job_id, lease_seconds=1)
    crm.sql("UPDATE jobs SET lease_until = now() - interval '1 second' WHERE id = %s", (first.job_id,))

    assert _start(crm, second.job_id).proceed is True
