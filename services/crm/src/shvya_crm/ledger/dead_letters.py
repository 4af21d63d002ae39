"""The dead letters as people read them: newest first, each with the error of its last attempt and its lead."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from shvya_crm.storage.models import Job, Lead
from shvya_rpc.errors import FieldErrors

MAX_PAGE = 200


@dataclass(frozen=True)
class DeadLetter:
    job: Job
    lead_name: str


def _token(at: datetime, job_id: uuid.UUID) -> str:
    raw = json.dumps({"v": at.isoformat(), "i": str(job_id)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _after(token: str) -> tuple[datetime, uuid.UUID]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return datetime.fromisoformat(data["v"]), uuid.UUID(data["i"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise FieldErrors({"page_token": "is not a token this service issued"}) from None


def list_dead(
    session: Session, company_id: uuid.UUID | None, size: int, token: str
) -> tuple[list[DeadLetter], str]:
    """A page of dead-lettered jobs, newest first (by when they died: their last update), and the
    token of the next page. The reason is the job's error_message, which the last failed
    attempt wrote (FailJob)."""
    if not 1 <= size <= MAX_PAGE:
        raise FieldErrors({"page_size": f"must be between 1 and {MAX_PAGE}"})
    statement = (
        select(Job, Lead.contact_name)
        .outerjoin(Lead, Lead.id == Job.lead_id)
        .where(Job.status == "dlq")
        .order_by(Job.updated_at.desc(), Job.id.desc())
        .limit(size + 1)
    )
    if company_id is not None:
        statement = statement.where(Job.company_id == company_id)
    if token:
        statement = statement.where(tuple_(Job.updated_at, Job.id) < tuple_(*_after(token)))
    rows = session.execute(statement).all()
    page = [DeadLetter(job=job, lead_name=name or "") for job, name in rows[:size]]
    next_token = _token(page[-1].job.updated_at, page[-1].job.id) if len(rows) > size else ""
    return page, next_token
