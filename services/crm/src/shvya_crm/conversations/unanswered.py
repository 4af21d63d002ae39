"""Questions the knowledge base could not answer: listed for admins, resolved when dealt with."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Company, UnansweredQuestion

MAX_RESOLUTION_CHARS = 2000


def list_questions(
    session: Session, company_id: uuid.UUID, include_resolved: bool, limit: int
) -> list[UnansweredQuestion]:
    if session.get(Company, company_id) is None:
        raise LookupError(f"company {company_id} not found")
    query = select(UnansweredQuestion).where(UnansweredQuestion.company_id == company_id)
    if not include_resolved:
        query = query.where(UnansweredQuestion.resolved_at.is_(None))
    return list(
        session.scalars(
            query.order_by(UnansweredQuestion.created_at.desc(), UnansweredQuestion.id).limit(limit)
        )
    )


def resolve(session: Session, question_id: uuid.UUID, resolution: str) -> UnansweredQuestion:
    """Marks the question resolved (once: resolving it again changes nothing)."""
    question = session.execute(
        select(UnansweredQuestion).where(UnansweredQuestion.id == question_id).with_for_update()
    ).scalar_one_or_none()
    if question is None:
        raise LookupError(f"unanswered question {question_id} not found")
    if question.resolved_at is None:
        question.resolved_at = now_of(session)
        question.resolution = resolution.strip()[:MAX_RESOLUTION_CHARS]
        events.record(
            session,
            "question.resolved",
            "unanswered_question",
            question.id,
            company_id=question.company_id,
            lead_id=question.lead_id,
            data={"resolution": question.resolution[:500]},
        )
        session.flush()
    return question
