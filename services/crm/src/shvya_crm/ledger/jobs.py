"""The jobs ledger: leases for dispatch and for running, retries and the dead-letter queue.

A job moves queued -> processing -> completed, or -> failed (retry scheduled
at run_at) -> processing -> ..., or -> dlq when its attempts are spent or its
failure is permanent. Two leases keep it from being lost or run twice:
`dispatch_until` while it sits in a lane's Redis queue, and `lease_until`
while a worker runs it. When either expires without progress, the job is due
again and the relay dispatches it once more.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shvya_crm.leads import bounces
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import JOB_STATUSES, Job
from shvya_rpc import tasks
from shvya_rpc.errors import FieldErrors

RUNNABLE = ("queued", "failed")
FINISHED = ("completed", "dlq", "cancelled")

# Every task with its priority, from the contract's Task enum (the conductor's lanes read it too).
PRIORITIES = tasks.priorities()


# Tasks that write to a lead with a model: at most one runs per lead at a
# time, so two generations never race (a burst of messages, or a follow-up
# composed while a reply is being written). The others wait, unspent.
ONE_PER_LEAD = (tasks.AI_ENGAGE, tasks.FOLLOWUP_BUMPUP)
# How long a job waits for the lead's running turn before it looks again.
TURN_WAIT_SECONDS = 1.0


@dataclass(frozen=True)
class StartDecision:
    job: Job | None
    proceed: bool
    reason: str = ""


def _claimable(now):
    return or_(
        and_(
            Job.status.in_(RUNNABLE),
            Job.run_at <= now,
            or_(Job.dispatch_until.is_(None), Job.dispatch_until < now),
        ),
        and_(
            Job.status == "processing",
            Job.lease_until < now,
            or_(Job.dispatch_until.is_(None), Job.dispatch_until < now),
        ),
    )


def _claim(session: Session, ids_query, lease_seconds: int) -> list[Job]:
    now = now_of(session)
    rows = session.scalars(
        update(Job)
        .where(Job.id.in_(ids_query))
        .values(dispatch_until=now + timedelta(seconds=max(lease_seconds, 1)), updated_at=now)
        .returning(Job)
        # Each RPC has its own session, with nothing loaded to keep in step: skip the ORM's
        # synchronisation pass (py-spy: the claim was a sixth of the crm's CPU at intake).
        .execution_options(synchronize_session=False)
    ).all()
    return sorted(rows, key=lambda j: (-j.priority, j.run_at))


def claim(session: Session, job_ids: list[uuid.UUID], lease_seconds: int) -> list[Job]:
    """Leases the named jobs that are due and not already leased."""
    if not job_ids:
        return []
    ids = (
        select(Job.id)
        .where(Job.id.in_(job_ids), _claimable(now_of(session)))
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    return _claim(session, ids, lease_seconds)


def claim_due(session: Session, limit: int, lease_seconds: int, task_names: Sequence[str] = ()) -> list[Job]:
    """Leases up to `limit` due jobs (of `task_names`, if given), highest priority first, then oldest."""
    due = select(Job.id).where(
        Job.status.in_(("queued", "failed", "processing")), _claimable(now_of(session))
    )
    if task_names:
        due = due.where(Job.task_name.in_(list(task_names)))
    ids = (
        due.order_by(Job.priority.desc(), Job.run_at)
        .limit(max(1, min(limit, 1000)))
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    return _claim(session, ids, lease_seconds)


def release(
    session: Session, job_ids: list[uuid.UUID], leased_until: datetime | None = None
) -> list[uuid.UUID]:
    """Gives up the live dispatch lease of the named jobs still waiting to run, so the relay's
    next pass dispatches them. Returns the ids released.

    With `leased_until`, only a lease ending exactly then: the caller's own, not one the relay
    took after the caller's had run out."""
    if not job_ids:
        return []
    now = now_of(session)
    exact = [Job.dispatch_until == leased_until] if leased_until is not None else []
    return list(
        session.scalars(
            update(Job)
            .where(Job.id.in_(job_ids), Job.status.in_(RUNNABLE), Job.dispatch_until >= now, *exact)
            .values(dispatch_until=None, updated_at=now)
            .returning(Job.id)
            .execution_options(synchronize_session=False)
        )
    )


def start(session: Session, job_id: uuid.UUID, lease_seconds: int) -> StartDecision:
    """Moves a job to processing and counts the attempt, unless it must not run now."""
    job = session.execute(select(Job).where(Job.id == job_id).with_for_update()).scalar_one_or_none()
    if job is None:
        return StartDecision(None, False, "job not found")
    if job.status in FINISHED:
        return StartDecision(job, False, f"job is {job.status}")
    now = now_of(session)
    if job.status == "processing" and job.lease_until is not None and job.lease_until > now:
        return StartDecision(job, False, "job is running elsewhere")
    if job.status in RUNNABLE and job.run_at > now + timedelta(seconds=1):
        return StartDecision(job, False, "job is not due yet")
    if job.task_name in ONE_PER_LEAD and job.lead_id is not None and _turn_in_flight(session, job, now):
        _wait_for_turn(session, job, now)
        return StartDecision(job, False, "another turn for this lead is in flight; deferred")
    job.status = "processing"
    job.attempts += 1
    job.started_at = now
    job.lease_until = now + timedelta(seconds=max(lease_seconds, 1))
    job.dispatch_until = None
    job.updated_at = now
    session.flush()
    return StartDecision(job, True)


def _turn_in_flight(session: Session, job: Job, now: datetime) -> bool:
    """Whether another of the lead's one-per-lead jobs runs under a live lease.

    The per-lead advisory lock (held to the end of the transaction) makes the
    check and the start that follows one step: of two jobs of a lead
    starting at once, the second sees the first running.
    """
    digest = hashlib.blake2b(f"turn|{job.lead_id}".encode(), digest_size=8).digest()
    session.execute(
        text("SELECT pg_advisory_xact_lock(:k)"), {"k": int.from_bytes(digest, "big", signed=True)}
    )
    return session.execute(
        select(
            exists().where(
                Job.lead_id == job.lead_id,
                Job.id != job.id,
                Job.task_name.in_(ONE_PER_LEAD),
                Job.status == "processing",
                Job.lease_until > now,
            )
        )
    ).scalar_one()


def _wait_for_turn(session: Session, job: Job, now: datetime) -> None:
    """Puts the job back to wait for the running turn, without counting an attempt."""
    if job.status == "processing":  # its own worker was lost: it waits like any other
        job.status = "queued"
        job.lease_until = None
    job.run_at = now + timedelta(seconds=TURN_WAIT_SECONDS)
    job.dispatch_until = None
    job.updated_at = now
    events.record(
        session,
        "job.deferred",
        "job",
        job.id,
        company_id=job.company_id,
        lead_id=job.lead_id,
        data={
            "task_name": job.task_name,
            "reason": "another turn for this lead is in flight",
            "run_at": job.run_at.isoformat(),
        },
    )
    session.flush()


def complete(session: Session, job_id: uuid.UUID) -> Job | None:
    job = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.notin_(("completed", "cancelled")))
        .values(
            status="completed",
            error_message="",
            completed_at=now_of(session),
            lease_until=None,
            dispatch_until=None,
            updated_at=now_of(session),
        )
        .returning(Job)
    ).scalar_one_or_none()
    if job is not None and job.task_name == tasks.STAFF_EMAIL:
        # The email carried a one-time token (a reset, an invitation): once sent, the ledger
        # keeps no copy of it.
        session.execute(update(Job).where(Job.id == job.id).values(payload={}))
    if job is not None:
        events.record(
            session,
            "job.completed",
            "job",
            job.id,
            company_id=job.company_id,
            lead_id=job.lead_id,
            data={"task_name": job.task_name, "attempts": job.attempts},
        )
        return job
    return session.get(Job, job_id)


def fail(session: Session, job_id: uuid.UUID, error_message: str, retry_at: datetime | None) -> Job | None:
    """Records a failed attempt: retry at `retry_at`, or dead-letter when it is None."""
    status = "failed" if retry_at is not None else "dlq"
    values = {
        "status": status,
        "error_message": error_message[:4000],
        "lease_until": None,
        "dispatch_until": None,
        "updated_at": now_of(session),
    }
    if retry_at is not None:
        values["run_at"] = retry_at
    job = session.execute(
        update(Job).where(Job.id == job_id, Job.status.notin_(FINISHED)).values(**values).returning(Job)
    ).scalar_one_or_none()
    if job is None:
        return session.get(Job, job_id)
    events.record(
        session,
        "job.failed" if status == "failed" else "job.dead_lettered",
        "job",
        job.id,
        company_id=job.company_id,
        lead_id=job.lead_id,
        data={
            "task_name": job.task_name,
            "attempts": job.attempts,
            "error": error_message[:500],
            "retry_at": retry_at.isoformat() if retry_at else None,
        },
    )
    return job


def defer(session: Session, job_id: uuid.UUID, delay_seconds: float, reason: str) -> Job | None:
    """Returns a running job to the queue for later without spending its attempt."""
    now = now_of(session)
    job = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "processing")
        .values(
            status="queued",
            attempts=func.greatest(Job.attempts - 1, 0),
            run_at=now + timedelta(seconds=max(delay_seconds, 0.0)),
            lease_until=None,
            dispatch_until=None,
            updated_at=now,
        )
        .returning(Job)
    ).scalar_one_or_none()
    if job is None:
        return session.get(Job, job_id)
    events.record(
        session,
        "job.deferred",
        "job",
        job.id,
        company_id=job.company_id,
        lead_id=job.lead_id,
        data={"task_name": job.task_name, "reason": reason[:500], "run_at": job.run_at.isoformat()},
    )
    return job


def schedule(
    session: Session,
    *,
    task_name: str,
    idempotency_key: str,
    company_id: uuid.UUID | None,
    lead_id: uuid.UUID | None,
    payload: dict[str, str],
    run_at: datetime,
    priority: int = 0,
) -> tuple[Job, bool]:
    """Writes a job unless one with the key exists; returns (job, created)."""
    errors = {}
    if task_name not in PRIORITIES:
        errors["task_name"] = f"must be one of {', '.join(PRIORITIES)}"
    if not idempotency_key.strip() or len(idempotency_key) > 255:
        errors["idempotency_key"] = "is required (at most 255 characters)"
    if errors:
        raise FieldErrors(errors)
    now = now_of(session)
    job_id = uuid.uuid4()
    # The new row comes back whole: no read after the insert.
    inserted = session.scalars(
        pg_insert(Job)
        .values(
            id=job_id,
            company_id=company_id,
            lead_id=lead_id,
            task_name=task_name,
            priority=priority or PRIORITIES[task_name],
            idempotency_key=idempotency_key,
            payload=payload,
            run_at=run_at,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=[Job.idempotency_key])
        .returning(Job)
    ).one_or_none()
    if inserted is None:
        return session.execute(select(Job).where(Job.idempotency_key == idempotency_key)).scalar_one(), False
    events.record(
        session,
        "job.created",
        "job",
        job_id,
        company_id=company_id,
        lead_id=lead_id,
        data={"task_name": task_name, "key": idempotency_key, "run_at": run_at.isoformat()},
    )
    session.flush()
    return inserted, True


def requeue_dead(session: Session, max_jobs: int, company_id: uuid.UUID | None = None) -> list[Job]:
    """Moves dead letters, oldest first, back to queued with a fresh attempt budget (only
    `company_id`'s when given)."""
    ids = select(Job.id).where(Job.status == "dlq")
    if company_id is not None:
        ids = ids.where(Job.company_id == company_id)
    ids = ids.order_by(Job.updated_at).limit(max_jobs).with_for_update(skip_locked=True).scalar_subquery()
    return _requeue(session, Job.id.in_(ids))


def requeue_selected(
    session: Session, job_ids: list[uuid.UUID], company_id: uuid.UUID | None = None
) -> list[Job]:
    """Moves exactly these dead letters back to queued, or none: LookupError names a job that is
    not there (or not `company_id`'s), FieldErrors one that is not dead-lettered."""
    wanted = list(dict.fromkeys(job_ids))
    query = select(Job.id, Job.status).where(Job.id.in_(wanted)).with_for_update()
    if company_id is not None:
        query = query.where(Job.company_id == company_id)
    found = dict(session.execute(query).all())
    missing = [str(i) for i in wanted if i not in found]
    if missing:
        raise LookupError(f"no such job: {', '.join(missing)}")
    alive = [str(i) for i in wanted if found[i] != "dlq"]
    if alive:
        raise FieldErrors({"job_ids": f"not dead-lettered: {', '.join(alive)}"})
    return _requeue(session, Job.id.in_(wanted))


def _requeue(session: Session, which) -> list[Job]:
    jobs = session.scalars(
        update(Job)
        .where(which)
        .values(
            status="queued",
            attempts=0,
            run_at=now_of(session),
            lease_until=None,
            dispatch_until=None,
            updated_at=now_of(session),
        )
        .returning(Job)
    ).all()
    events.record_many(
        session,
        [
            {
                "type": "job.replayed",
                "entity_type": "job",
                "entity_id": job.id,
                "company_id": job.company_id,
                "lead_id": job.lead_id,
                "data": {"task_name": job.task_name, "last_error": job.error_message[:500]},
            }
            for job in jobs
        ],
    )
    bounces.forget(session, {job.lead_id for job in jobs})
    return sorted(jobs, key=lambda j: j.created_at)


def counts(session: Session, company_id: uuid.UUID | None = None) -> dict[str, int | float]:
    """Jobs by status (every company's, or `company_id`'s), and the runnable ones apart by whether
    their time has come on the crm's clock: a follow-up due tomorrow is `queued` like a first reply
    due now, but only the second is waiting."""
    mine = (Job.company_id == company_id,) if company_id is not None else ()
    rows = session.execute(select(Job.status, func.count()).where(*mine).group_by(Job.status)).all()
    out: dict[str, int | float] = dict.fromkeys(JOB_STATUSES, 0)
    out.update({status: int(n) for status, n in rows})
    now = now_of(session)
    due = Job.run_at <= now
    due_now, later, oldest = session.execute(
        select(
            func.count().filter(due),
            func.count().filter(~due),
            func.min(Job.run_at).filter(due),
        ).where(Job.status.in_(RUNNABLE), *mine)
    ).one()
    out["due_now"] = int(due_now)
    out["scheduled_later"] = int(later)
    out["oldest_due_seconds"] = max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
    return out
