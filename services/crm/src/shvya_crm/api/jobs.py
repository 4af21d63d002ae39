"""The JobsService: the jobs ledger the conductor claims, runs and reschedules."""

from __future__ import annotations

from datetime import UTC, timedelta

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import jobs_service_pb2_grpc
from shvya_crm.api import convert
from shvya_crm.api.rpc import parse_uuid, rpc
from shvya_crm.leads import queries
from shvya_crm.ledger import dead_letters, jobs
from shvya_crm.settings import CrmSettings
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.db import Database
from shvya_crm.storage.models import Job
from shvya_rpc.errors import FieldErrors

# Dead letters requeued by one call at most (by count or by id).
MAX_REQUEUE = 1000


class JobsServicer(jobs_service_pb2_grpc.JobsServiceServicer):
    def __init__(self, settings: CrmSettings, db: Database) -> None:
        self._settings = settings
        self._db = db

    @rpc
    def ClaimJobs(self, request: jobs_pb.ClaimJobsRequest, context):
        ids = [parse_uuid(v, "job_ids") for v in request.job_ids]
        with self._db.transaction() as session:
            claimed = jobs.claim(session, ids, request.lease_seconds or 30)
            return jobs_pb.ClaimJobsResponse(jobs=[convert.job(j) for j in claimed])

    @rpc
    def ReleaseJobs(self, request: jobs_pb.ReleaseJobsRequest, context):
        ids = [parse_uuid(v, "job_ids") for v in request.job_ids]
        leased_until = (
            request.leased_until.ToDatetime(tzinfo=UTC) if request.HasField("leased_until") else None
        )
        with self._db.transaction() as session:
            released = jobs.release(session, ids, leased_until)
        return jobs_pb.ReleaseJobsResponse(released_job_ids=[str(i) for i in released])

    @rpc
    def ClaimDueJobs(self, request: jobs_pb.ClaimDueJobsRequest, context):
        with self._db.transaction() as session:
            claimed = jobs.claim_due(
                session, request.limit or 100, request.lease_seconds or 30, list(request.task_names)
            )
            return jobs_pb.ClaimDueJobsResponse(jobs=[convert.job(j) for j in claimed])

    @rpc
    def StartJob(self, request: jobs_pb.StartJobRequest, context):
        job_id = parse_uuid(request.job_id, "job_id")
        with self._db.transaction() as session:
            decision = jobs.start(session, job_id, request.lease_seconds or 120)
            if decision.job is None:
                raise LookupError(f"job {job_id} not found")
            return jobs_pb.StartJobResponse(
                job=convert.job(decision.job), proceed=decision.proceed, reason=decision.reason
            )

    @rpc
    def CompleteJob(self, request: jobs_pb.CompleteJobRequest, context):
        job_id = parse_uuid(request.job_id, "job_id")
        with self._db.transaction() as session:
            job = jobs.complete(session, job_id)
            if job is None:
                raise LookupError(f"job {job_id} not found")
            return jobs_pb.CompleteJobResponse(job=convert.job(job))

    @rpc
    def FailJob(self, request: jobs_pb.FailJobRequest, context):
        job_id = parse_uuid(request.job_id, "job_id")
        if request.retry_after_seconds < 0:
            raise FieldErrors({"retry_after_seconds": "must not be negative"})
        with self._db.transaction() as session:
            retry_at = None
            if request.HasField("retry_at"):
                retry_at = request.retry_at.ToDatetime(tzinfo=UTC)
            elif request.retry_after_seconds > 0:
                retry_at = now_of(session) + timedelta(seconds=request.retry_after_seconds)
            job = jobs.fail(session, job_id, request.error_message, retry_at)
            if job is None:
                raise LookupError(f"job {job_id} not found")
            return jobs_pb.FailJobResponse(job=convert.job(job))

    @rpc
    def GetJob(self, request: jobs_pb.GetJobRequest, context):
        job_id = parse_uuid(request.job_id, "job_id")
        with self._db.read() as session:
            job = session.get(Job, job_id)
            if job is None:
                raise LookupError(f"job {job_id} not found")
            return jobs_pb.GetJobResponse(job=convert.job(job))

    @rpc
    def GetJobCounts(self, request: jobs_pb.GetJobCountsRequest, context):
        company_id = parse_uuid(request.company_id, "company_id", required=False)
        with self._db.read() as session:
            return jobs_pb.GetJobCountsResponse(**jobs.counts(session, company_id))

    @rpc
    def RequeueDeadJobs(self, request: jobs_pb.RequeueDeadJobsRequest, context):
        company_id = parse_uuid(request.company_id, "company_id", required=False)
        if len(request.job_ids) > MAX_REQUEUE:
            raise FieldErrors({"job_ids": f"at most {MAX_REQUEUE} per call"})
        job_ids = [parse_uuid(v, "job_ids") for v in request.job_ids]
        if not job_ids and not 1 <= request.max_jobs <= MAX_REQUEUE:
            raise FieldErrors({"max_jobs": f"must be between 1 and {MAX_REQUEUE}"})
        with self._db.transaction() as session:
            if job_ids:
                requeued = jobs.requeue_selected(session, job_ids, company_id)
            else:
                requeued = jobs.requeue_dead(session, request.max_jobs, company_id)
            return jobs_pb.RequeueDeadJobsResponse(jobs=[convert.job(j) for j in requeued])

    @rpc
    def DeferJob(self, request: jobs_pb.DeferJobRequest, context):
        job_id = parse_uuid(request.job_id, "job_id")
        if not 0 <= request.delay_seconds <= 30 * 24 * 3600:
            raise FieldErrors({"delay_seconds": "must be between 0 and 30 days"})
        with self._db.transaction() as session:
            job = jobs.defer(session, job_id, request.delay_seconds, request.reason)
            if job is None:
                raise LookupError(f"job {job_id} not found")
            return jobs_pb.DeferJobResponse(job=convert.job(job))

    @rpc
    def ScheduleJob(self, request: jobs_pb.ScheduleJobRequest, context):
        company_id = parse_uuid(request.company_id, "company_id", required=False)
        lead_id = parse_uuid(request.lead_id, "lead_id", required=False)
        if request.delay_seconds < 0:
            raise FieldErrors({"delay_seconds": "must not be negative"})
        with self._db.transaction() as session:
            if request.HasField("run_at"):
                run_at = request.run_at.ToDatetime(tzinfo=UTC)
            else:
                run_at = now_of(session) + timedelta(seconds=request.delay_seconds)
            if lead_id is not None and company_id is None:
                company_id = queries.get_lead(session, lead_id).lead.company_id
            job, created = jobs.schedule(
                session,
                task_name=request.task_name,
                idempotency_key=request.idempotency_key,
                company_id=company_id,
                lead_id=lead_id,
                payload=dict(request.payload),
                run_at=run_at,
                priority=request.priority,
            )
            return jobs_pb.ScheduleJobResponse(job=convert.job(job), created=created)

    @rpc
    def ListDeadJobs(self, request: jobs_pb.ListDeadJobsRequest, context):
        company_id = parse_uuid(request.company_id, "company_id", required=False)
        with self._db.read() as session:
            page, token = dead_letters.list_dead(
                session, company_id, request.page_size or 50, request.page_token
            )
            return jobs_pb.ListDeadJobsResponse(
                jobs=[
                    jobs_pb.DeadJob(
                        job=convert.job(d.job),
                        reason=d.job.error_message,
                        dead_at=convert.ts(d.job.updated_at),
                        lead_name=d.lead_name,
                    )
                    for d in page
                ],
                next_page_token=token,
            )
