"""Each company's search synonyms: what its students write for the words its catalogue uses.

They are the company's data, edited through the API; a new company starts
with the defaults in data/default_synonyms.json.
"""

from __future__ import annotations

import json
import re
import uuid
from functools import cache
from importlib import resources

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shvya_crm.storage import events
from shvya_crm.storage.models import AiKbSynonym, Company
from shvya_rpc.errors import FieldErrors

MAX_SYNONYMS = 2000
MAX_WORD_CHARS = 64
MAX_EXPANSION_CHARS = 200
# The search reads words of letters and digits, so a synonym's word is one such word.
_WORD = re.compile(r"[a-z0-9]+")


@cache
def defaults() -> dict[str, str]:
    """The synonyms every new company starts with."""
    text = (
        resources.files("shvya_crm.conversations").joinpath("data/default_synonyms.json").read_text("utf-8")
    )
    return dict(json.loads(text)["synonyms"])


def of_company(session: Session, company_id: uuid.UUID) -> dict[str, str]:
    rows = session.execute(
        select(AiKbSynonym.word, AiKbSynonym.expands_to)
        .where(AiKbSynonym.company_id == company_id)
        .order_by(AiKbSynonym.word)
    )
    return {word: expands_to for word, expands_to in rows}


def _cleaned(synonyms: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    out: dict[str, str] = {}
    if len(synonyms) > MAX_SYNONYMS:
        errors["synonyms"] = f"at most {MAX_SYNONYMS}"
    for word, expands_to in synonyms.items():
        word, expansion = word.strip().lower(), " ".join(expands_to.lower().split())
        if not _WORD.fullmatch(word) or len(word) > MAX_WORD_CHARS:
            errors[f"synonyms[{word}].word"] = (
                f"must be one word of letters or digits, at most {MAX_WORD_CHARS}"
            )
        elif not expansion or len(expansion) > MAX_EXPANSION_CHARS:
            errors[f"synonyms[{word}].expands_to"] = f"must be 1 to {MAX_EXPANSION_CHARS} characters"
        else:
            out[word] = expansion
    if errors:
        raise FieldErrors(errors)
    return out


def replace(session: Session, company_id: uuid.UUID, synonyms: dict[str, str]) -> dict[str, str]:
    """The company's synonyms become exactly these; returns them as stored."""
    cleaned = _cleaned(synonyms)
    if session.get(Company, company_id) is None:
        raise LookupError(f"company {company_id} not found")
    session.execute(delete(AiKbSynonym).where(AiKbSynonym.company_id == company_id))
    if cleaned:
        session.execute(
            insert(AiKbSynonym),
            [{"company_id": company_id, "word": w, "expands_to": e} for w, e in cleaned.items()],
        )
    events.record(
        session,
        "kb_synonyms.replaced",
        "company",
        company_id,
        company_id=company_id,
        data={"count": len(cleaned)},
    )
    return of_company(session, company_id)


def seed_defaults(session: Session, company_id: uuid.UUID) -> None:
    """Gives a company the default synonyms it lacks (a word it already has keeps its meaning)."""
    session.execute(
        pg_insert(AiKbSynonym)
        .values([{"company_id": company_id, "word": w, "expands_to": e} for w, e in defaults().items()])
        .on_conflict_do_nothing(index_elements=[AiKbSynonym.company_id, AiKbSynonym.word])
    )
