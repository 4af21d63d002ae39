"""The dead letters as people read them: newest first, with the reason, the attempts and the lead."""

from __future__ import annotations

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb


def _dead_letter(crm, reason: str, **ingest) -> str:
    job_id = crm.ingest(**ingest).job_id
    crm.stub.jobs.StartJob(jobs_pb.StartJobRequest(job_id=job_id, lease_seconds=60))
    crm.stub.jobs.FailJob(jobs_pb.FailJobRequest(job_id=job_id, error_message=reason))
    return job_id


def test_a_dead_letter_carries_its_reason_attempts_task_and_lead(crm):
    job_id = _dead_letter(crm, "smtp: 550 mailbox unavailable")

    (dead,) = crm.stub.jobs.ListDeadJobs(jobs_pb.ListDeadJobsRequest()).jobs

    assert (dead.job.id, dead.reason, dead.job.attempts) == (job_id, "smtp: 550 mailbox unavailable", 1)
    assert (dead.job.task_name, dead.lead_name) == ("ai_engage", "Rahul Kumar")
    assert dead.job.lead_id


def test_dead_letters_page_newest_first(crm):
    first = _dead_letter(crm, "one", phone_number="+919876511111")
    second = _dead_letter(crm, "two", phone_number="+919876522222")

    page = crm.stub.jobs.ListDeadJobs(jobs_pb.ListDeadJobsRequest(page_size=1))
    rest = crm.stub.jobs.ListDeadJobs(
        jobs_pb.ListDeadJobsRequest(page_size=1, page_token=page.next_page_token)
    )

    assert [d.job.id for d in (*page.jobs, *rest.jobs)] == [second, first]
    assert rest.next_page_token == ""


def test_jobs_that_will_be_retried_are_not_dead_letters(crm):
    job_id = crm.ingest().job_id
    crm.stub.jobs.StartJob(jobs_pb.StartJobRequest(job_id=job_id, lease_seconds=60))
    crm.stub.jobs.FailJob(
        jobs_pb.FailJobRequest(job_id=job_id, error_message="timeout", retry_after_seconds=60)
    )

    assert list(crm.stub.jobs.ListDeadJobs(jobs_pb.ListDeadJobsRequest()).jobs) == []
