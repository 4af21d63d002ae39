"""The knowledge base: documents per company, searched with PostgreSQL full-text search."""

from __future__ import annotations

import difflib
import itertools
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import String, Text, cast, delete, func, literal, literal_column, null, select, union_all
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

import shvya_language as language
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import AiKbDoc, AiKbSynonym, Company
from shvya_rpc.errors import FieldErrors

MAX_TITLE_CHARS = 300
MAX_CONTENT_CHARS = 100_000


@dataclass(frozen=True)
class Match:
    document: AiKbDoc
    rank: float


# A misspelt word is corrected to a title or tag word this similar (and with
# the same first letter): "markting", "sceince", "devlopment" are found, while
# "reach" is not taken for "react".
TYPO_CUTOFF = 0.83
_WORD = re.compile(r"[a-z0-9]+")
_EDGE = ",.;:!?()[]{}\"'"


def _vocabulary_and_synonyms(
    session: Session, company_id: uuid.UUID
) -> tuple[dict[str, str], dict[str, str]]:
    """Words of the company's titles and tags, each mapped to the text it came from, and the
    company's synonyms: in one statement, since every AI turn searches.

    A query word maps to the title's own spelling, so that full-text search
    parses it the same way: "ux" becomes "ui/ux", "fullstack" "full-stack",
    and glued pairs split again ("datascience" becomes "data science").
    """
    documents = select(
        literal("d").label("kind"), AiKbDoc.title.label("text"), AiKbDoc.tags.label("tags")
    ).where(AiKbDoc.company_id == company_id)
    synonyms = select(
        literal("s"),
        AiKbSynonym.word + literal(" ") + AiKbSynonym.expands_to,
        cast(null(), ARRAY(String(64))),
    ).where(AiKbSynonym.company_id == company_id)
    words: dict[str, str] = {}
    found: dict[str, str] = {}
    for kind, text, tags in session.execute(union_all(documents, synonyms)):
        if kind == "s":
            word, _, expands_to = text.partition(" ")
            found[word] = expands_to
            continue
        for phrase in [text, *(tags or ())]:
            chunks = [c.strip(_EDGE) for c in phrase.lower().split() if _WORD.search(c)]
            for chunk in chunks:
                for token in _WORD.findall(chunk):
                    words.setdefault(token, chunk)
                words.setdefault("".join(_WORD.findall(chunk)), chunk)
            for a, b in itertools.pairwise(chunks):
                words.setdefault("".join(_WORD.findall(a + b)), f"{a} {b}")
    return words, dict(sorted(found.items()))


def search_terms(query: str, vocabulary: dict[str, str], synonyms: dict[str, str] | None = None) -> list[str]:
    """The query's words, each with the company's synonym or a spelling correction, for an OR query.

    Expansion only adds alternatives to an OR query, so a wrong synonym costs
    ranking, never a match.
    """
    synonyms = synonyms or {}
    terms: list[str] = []
    known = list(vocabulary)
    for token in _WORD.findall(query.lower()):
        terms.append(token)
        if token in synonyms:
            terms.extend(synonyms[token].split())
        elif token in vocabulary:
            terms.extend(vocabulary[token].split())
        elif (full := language.expand_abbreviation(token, known)) is not None:
            terms.extend(vocabulary[full].split())  # "dgtl mktg": digital marketing without its vowels
        elif len(token) >= 4 and not token.isdigit():
            close = [
                w
                for w in difflib.get_close_matches(token, known, n=3, cutoff=TYPO_CUTOFF)
                if w[0] == token[0]
            ]
            if close:
                terms.extend(vocabulary[close[0]].split())
    return list(dict.fromkeys(terms))


def _any_word_query(terms: list[str]):
    """A tsquery matching documents that contain any of the terms.

    plainto_tsquery ANDs every word, so "interested in the digital marketing
    course" would only match a document containing "interested"; OR-ing the
    normalised lexemes and ranking with ts_rank_cd puts documents that match
    more (and rarer, title-weighted) words first. plainto_tsquery reads its
    input as words, never as tsquery syntax.
    """
    anded = func.plainto_tsquery(literal_column("'english'::regconfig"), " ".join(terms))
    return cast(func.replace(cast(anded, Text), " & ", " | "), TSQUERY)


def search(session: Session, company_id: uuid.UUID, query: str, limit: int = 5) -> list[Match]:
    # In one spelling first: "डेटा साइंस की फीस" and "data science chi fee" search as "data science fee".
    query = language.normalise(query[:2000]) if query.strip() else ""
    terms = search_terms(query, *_vocabulary_and_synonyms(session, company_id)) if query.strip() else []
    if not terms:
        return []
    tsq = _any_word_query(terms).label("q")
    q = select(tsq).subquery()
    rank = func.ts_rank_cd(AiKbDoc.search, q.c.q, 1).label("rank")
    rows = session.execute(
        select(AiKbDoc, rank)
        .join(q, AiKbDoc.search.op("@@")(q.c.q))
        .where(AiKbDoc.company_id == company_id)
        .order_by(rank.desc(), AiKbDoc.title)
        .limit(limit)
    ).all()
    return [Match(document=row[0], rank=float(row[1])) for row in rows]


def validate_document(title: str, content: str, tags: list[str]) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "must not be empty"
    elif len(title) > MAX_TITLE_CHARS:
        errors["title"] = f"must be at most {MAX_TITLE_CHARS} characters"
    if not content.strip():
        errors["content"] = "must not be empty"
    elif len(content) > MAX_CONTENT_CHARS:
        errors["content"] = f"must be at most {MAX_CONTENT_CHARS} characters"
    if any(len(t) > 64 or not t.strip() for t in tags):
        errors["tags"] = "each tag must be 1 to 64 characters"
    if errors:
        raise FieldErrors(errors)


def upsert(
    session: Session,
    *,
    company_id: uuid.UUID,
    document_id: uuid.UUID | None,
    title: str,
    content: str,
    tags: list[str],
) -> tuple[AiKbDoc, bool]:
    validate_document(title, content, tags)
    if session.get(Company, company_id) is None:
        raise LookupError(f"company {company_id} not found")
    values = {"title": title.strip(), "content": content.strip(), "tags": [t.strip() for t in tags]}
    if document_id is None:
        document_id = uuid.uuid4()
        created = True
    else:
        existing = session.get(AiKbDoc, document_id)
        if existing is not None and existing.company_id != company_id:
            raise LookupError(f"document {document_id} not found in company {company_id}")
        created = existing is None
    session.execute(
        pg_insert(AiKbDoc)
        .values(
            id=document_id,
            company_id=company_id,
            created_at=now_of(session),
            updated_at=now_of(session),
            **values,
        )
        .on_conflict_do_update(index_elements=[AiKbDoc.id], set_={**values, "updated_at": now_of(session)})
    )
    events.record(
        session,
        "kb_doc.created" if created else "kb_doc.updated",
        "ai_kb_doc",
        document_id,
        company_id=company_id,
        data={"title": values["title"]},
    )
    session.flush()
    document = session.get(AiKbDoc, document_id, populate_existing=True)
    return document, created


def remove(session: Session, document_id: uuid.UUID) -> None:
    company_id = session.execute(
        delete(AiKbDoc).where(AiKbDoc.id == document_id).returning(AiKbDoc.company_id)
    ).scalar_one_or_none()
    if company_id is None:
        raise LookupError(f"document {document_id} not found")
    events.record(session, "kb_doc.deleted", "ai_kb_doc", document_id, company_id=company_id)


def list_documents(session: Session, company_id: uuid.UUID) -> list[AiKbDoc]:
    return list(
        session.scalars(select(AiKbDoc).where(AiKbDoc.company_id == company_id).order_by(AiKbDoc.title))
    )
