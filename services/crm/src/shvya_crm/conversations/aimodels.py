"""A company's AI configuration and system prompt, with the reference defaults."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import AiModel, AiSession, Company
from shvya_rpc.errors import FieldErrors

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TEMPERATURE = 0.7
DEFAULT_MAX_TOKENS = 500
DEFAULT_PROMPT = (
    "You are a friendly, knowledgeable admissions counsellor for {company}. Answer the student's "
    "questions using only the course information provided. Never invent prices, dates, discounts or "
    "offers; if the information is not provided, say a counsellor will confirm. Keep replies short, "
    "greet the student by name, ask one question to understand their goals, and suggest a next step."
)
PROVIDERS = ("", "openai", "offline")


@dataclass(frozen=True)
class AiConfig:
    company_id: uuid.UUID
    provider: str
    model: str
    temperature: float
    max_tokens: int
    system_prompt: str
    base_url: str


def get(session: Session, company_id: uuid.UUID, company_name: str = "") -> AiConfig:
    row = session.execute(select(AiModel).where(AiModel.company_id == company_id)).scalar_one_or_none()
    if row is None:
        return AiConfig(
            company_id=company_id,
            provider="",
            model=DEFAULT_MODEL,
            temperature=DEFAULT_TEMPERATURE,
            max_tokens=DEFAULT_MAX_TOKENS,
            system_prompt=DEFAULT_PROMPT.format(company=company_name or "our institute"),
            base_url="",
        )
    return AiConfig(
        company_id=company_id,
        provider=row.provider,
        model=row.model,
        temperature=row.temperature,
        max_tokens=row.max_tokens,
        system_prompt=row.system_prompt or DEFAULT_PROMPT.format(company=company_name or "our institute"),
        base_url=row.base_url,
    )


def update_config(session: Session, config: AiConfig) -> AiConfig:
    errors: dict[str, str] = {}
    if config.provider not in PROVIDERS:
        errors["provider"] = "must be openai, offline or empty"
    if not config.model.strip():
        errors["model"] = "must not be empty"
    if not 0.0 <= config.temperature <= 2.0:
        errors["temperature"] = "must be between 0 and 2"
    if not 1 <= config.max_tokens <= 16384:
        errors["max_tokens"] = "must be between 1 and 16384"
    if len(config.system_prompt) > 20_000:
        errors["system_prompt"] = "must be at most 20000 characters"
    if config.base_url and not config.base_url.startswith(("http://", "https://")):
        errors["base_url"] = "must be an http(s) URL"
    if errors:
        raise FieldErrors(errors)
    company = session.get(Company, config.company_id)
    if company is None:
        raise LookupError(f"company {config.company_id} not found")
    values = {
        "provider": config.provider,
        "model": config.model.strip(),
        "temperature": config.temperature,
        "max_tokens": config.max_tokens,
        "system_prompt": config.system_prompt,
        "base_url": config.base_url,
    }
    session.execute(
        pg_insert(AiModel)
        .values(
            id=uuid.uuid4(),
            company_id=config.company_id,
            created_at=now_of(session),
            updated_at=now_of(session),
            **values,
        )
        .on_conflict_do_update(
            index_elements=[AiModel.company_id], set_={**values, "updated_at": now_of(session)}
        )
    )
    events.record(
        session,
        "ai_model.updated",
        "company",
        config.company_id,
        company_id=config.company_id,
        data={k: v for k, v in values.items() if k != "system_prompt"},
    )
    return get(session, config.company_id, company.name)


def answered_by(session: Session, company_id: uuid.UUID) -> tuple[str, str]:
    """The provider and model of the company's latest AI reply; empty strings before any."""
    row = session.execute(
        select(AiSession.provider, AiSession.model)
        .where(AiSession.company_id == company_id, AiSession.kind == "reply")
        .order_by(AiSession.created_at.desc())
        .limit(1)
    ).first()
    return (row.provider, row.model) if row else ("", "")
