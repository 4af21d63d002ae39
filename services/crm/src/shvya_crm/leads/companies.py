"""Companies and their sales pipeline, created on first contact."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shvya_crm.conversations import synonyms
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Company, Pipeline, Stage

# The five stages every company starts with, in order.
DEFAULT_STAGES: tuple[tuple[str, str], ...] = (
    ("new", "New enquiry"),
    ("contacted", "Contacted"),
    ("qualified", "Qualified"),
    ("enrolled", "Enrolled"),
    ("lost", "Lost"),
)
STAGE_KEYS = tuple(key for key, _ in DEFAULT_STAGES)


@dataclass(frozen=True)
class CompanyRef:
    id: uuid.UUID
    name: str
    timezone: str
    pipeline_id: uuid.UUID
    new_stage_id: uuid.UUID


def ensure_company(session: Session, company_id: uuid.UUID, default_name: str) -> tuple[CompanyRef, bool]:
    """Returns the company, creating it with its default pipeline if it does not exist.

    Safe under concurrency: of two transactions creating the same company,
    one inserts and the other waits on the primary key, then reads.
    """
    existing = find_company(session, company_id)
    if existing is not None:
        # Every intake passes here: one prepared read, not an insert attempt and a read.
        return existing, False
    created_id = session.execute(
        pg_insert(Company)
        .values(id=company_id, name=default_name, created_at=now_of(session), updated_at=now_of(session))
        .on_conflict_do_nothing(index_elements=[Company.id])
        .returning(Company.id)
    ).scalar_one_or_none()
    created = created_id is not None
    if created:
        pipeline_id = uuid.uuid4()
        session.execute(
            insert(Pipeline).values(
                id=pipeline_id,
                company_id=company_id,
                name="Admissions",
                is_default=True,
                created_at=now_of(session),
            )
        )
        session.execute(
            insert(Stage),
            [
                {
                    "id": uuid.uuid4(),
                    "pipeline_id": pipeline_id,
                    "key": key,
                    "name": name,
                    "position": i,
                    "created_at": now_of(session),
                }
                for i, (key, name) in enumerate(DEFAULT_STAGES)
            ],
        )
        synonyms.seed_defaults(session, company_id)
        events.record(
            session,
            "company.created",
            "company",
            company_id,
            company_id=company_id,
            data={"name": default_name, "pipeline_id": str(pipeline_id), "stages": list(STAGE_KEYS)},
        )
    return load_company(session, company_id), created


# Built once, with a bound parameter: its cache key is memoised instead of rebuilt per intake.
_LOAD = (
    select(Company.id, Company.name, Company.timezone, Pipeline.id, Stage.id)
    .join(Pipeline, (Pipeline.company_id == Company.id) & Pipeline.is_default)
    .join(Stage, (Stage.pipeline_id == Pipeline.id) & (Stage.key == "new"))
    .where(Company.id == bindparam("company_id"))
)


def find_company(session: Session, company_id: uuid.UUID) -> CompanyRef | None:
    row = session.execute(_LOAD, {"company_id": company_id}).one_or_none()
    if row is None:
        return None
    return CompanyRef(id=row[0], name=row[1], timezone=row[2], pipeline_id=row[3], new_stage_id=row[4])


def load_company(session: Session, company_id: uuid.UUID) -> CompanyRef:
    company = find_company(session, company_id)
    if company is None:
        raise LookupError(f"company {company_id} has no default pipeline")
    return company


def stage_id(session: Session, pipeline_id: uuid.UUID, key: str) -> uuid.UUID | None:
    return session.execute(
        select(Stage.id).where(Stage.pipeline_id == pipeline_id, Stage.key == key)
    ).scalar_one_or_none()
