"""Finding a company's leads: filters, text search, sorts and keyset pages; counts by stage and status."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, func, literal, literal_column, or_, select, tuple_, union, union_all
from sqlalchemy.orm import Session

from shvya_crm.leads.queries import LeadView
from shvya_crm.storage.models import (
    CHANNEL_CODES,
    LEAD_STATUSES,
    LEAD_TEXT_SQL,
    MESSAGE_WORDS_SQL,
    Lead,
    Message,
    Pipeline,
    Stage,
)
from shvya_rpc.errors import FieldErrors

MAX_PAGE = 200
DEFAULT_PAGE = 50
MAX_QUERY_CHARS = 200
# Leads or messages matching a search beyond which they are walked, not collected (see _matching).
COMMON_MATCHES = 2000
SORTS = ("created", "last_message", "name")


# The same expressions as the functional indexes, so that the planner uses them.
# (LEAD_LAST_MESSAGE_SQL, LEAD_TEXT_SQL and MESSAGE_WORDS_SQL in the models.)
def last_message_at():
    """When the lead's last message was (its creation when it has none)."""
    return func.coalesce(func.greatest(Lead.last_inbound_at, Lead.last_outbound_at), Lead.created_at)


_LEAD_TEXT = literal_column(LEAD_TEXT_SQL)
_MESSAGE_WORDS = literal_column(MESSAGE_WORDS_SQL)


@dataclass(frozen=True)
class Filter:
    company_id: uuid.UUID
    stages: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    course: str = ""
    channels: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: str = ""
    created_after: datetime | None = None
    created_before: datetime | None = None
    last_message_after: datetime | None = None
    last_message_before: datetime | None = None
    query: str = ""
    assignee_user_id: uuid.UUID | None = None

    def fingerprint(self, sort: str, reverse: bool) -> str:
        """Ties a page token to the query that made it: a token used with another filter or sort
        would skip or repeat leads without anyone noticing."""
        parts = [sort, str(reverse)] + [
            ",".join(map(str, v)) if isinstance(v, tuple) else str(v) for v in self.__dict__.values()
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Page:
    leads: list[LeadView]
    next_token: str = ""
    previous_token: str = ""


@dataclass
class _Cursor:
    value: str | None
    id: str
    query: str = field(default="")


def validate(f: Filter) -> None:
    """Every problem with the filter at once (FieldErrors, fields named as in LeadFilter)."""
    errors: dict[str, str] = {}
    bad = [s for s in f.statuses if s not in LEAD_STATUSES]
    if bad:
        errors["filter.statuses"] = f"unknown {', '.join(bad)}: must be among {', '.join(LEAD_STATUSES)}"
    if any(c not in CHANNEL_CODES for c in f.channels):
        errors["filter.channels"] = "must be whatsapp_web, whatsapp_cloud or email"
    if len(f.query) > MAX_QUERY_CHARS:
        errors["filter.query"] = f"must be at most {MAX_QUERY_CHARS} characters"
    for name in ("created", "last_message"):
        after, before = getattr(f, f"{name}_after"), getattr(f, f"{name}_before")
        if after is not None and before is not None and after >= before:
            errors[f"filter.{name}_before"] = f"must be later than {name}_after"
    if f.assignee_user_id is not None and "assigned_user_id" not in Lead.__table__.c:
        errors["filter.assignee_user_id"] = "is applied once leads carry an assignee"
    if errors:
        raise FieldErrors(errors)


def _escape_like(value: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", value)


def _patterns(query: str) -> set[str]:
    patterns = {f"%{_escape_like(query)}%"}
    digits = re.sub(r"\D", "", query)
    # "98765 43210" or "(987) 654-3210": the stored number is E.164, digits only.
    if len(digits) >= 4 and re.fullmatch(r"[\d\s()+\-.]+", query):
        patterns.add(f"%{digits}%")
    return patterns


def _words(query: str):
    return _MESSAGE_WORDS.op("@@")(func.websearch_to_tsquery(literal_column("'simple'::regconfig"), query))


def _estimated_messages(session: Session, company_id: uuid.UUID, query: str) -> float:
    """The planner's estimate of the messages holding the query's words, from the statistics of
    the words index. Asking the index itself costs as much as the word is common: it reads the
    word's whole posting list before it can stop."""
    statement = select(literal_column("1")).where(Message.company_id == company_id, _words(query))
    compiled = statement.compile(session.get_bind())
    plan = session.connection().exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params)
    return float(plan.scalar_one()[0]["Plan"]["Plan Rows"])


def matching_ids(session: Session, company_id: uuid.UUID, query: str) -> list[uuid.UUID] | None:
    """The ids of the leads a search matches, read from the text and words indexes; None when
    more than COMMON_MATCHES leads or messages match, too many to collect for one page.

    Collected ids, not a subquery: the planner cannot guess how few rows a search matches, and
    for a guess of hundreds it reads every lead rather than look a dozen up."""
    by_text = session.scalars(
        select(Lead.id)
        .where(Lead.company_id == company_id, or_(*(_LEAD_TEXT.ilike(p) for p in _patterns(query))))
        .limit(COMMON_MATCHES + 1)
    ).all()
    if len(by_text) > COMMON_MATCHES:
        return None
    if _estimated_messages(session, company_id, query) > COMMON_MATCHES * 10:
        return None
    by_words = session.scalars(
        select(Message.lead_id)
        .where(Message.company_id == company_id, _words(query))
        .limit(COMMON_MATCHES + 1)
    ).all()
    if len(by_words) > COMMON_MATCHES:
        return None
    return list({*by_text, *by_words})


def _matching(f: Filter, query: str, ids: list[uuid.UUID] | bool | None):
    """The condition of a text search: the lead's name, phone or email holds the text, or one of
    its messages has its words.

    With the matching ids collected (matching_ids), those; for a count (ids=False), the same set
    as a subquery: a union of two index scans, which an OR across the two tables would not
    allow. When the matches are too many to collect (every lead asked about the fee), the
    leads are walked in the page's order instead, each checked against its own few messages
    until the page is full. A scalar subquery, not EXISTS: PostgreSQL may turn EXISTS into the
    whole set again (a hashed subplan)."""
    patterns = _patterns(query)
    if ids is False:
        in_lead = select(Lead.id).where(
            Lead.company_id == f.company_id, or_(*(_LEAD_TEXT.ilike(p) for p in patterns))
        )
        in_messages = select(Message.lead_id).where(Message.company_id == f.company_id, _words(query))
        return Lead.id.in_(union(in_lead, in_messages))
    if ids is not None:
        return Lead.id.in_(ids)
    said = (
        select(literal_column("true"))
        .where(Message.lead_id == Lead.id, _words(query))
        .limit(1)
        .correlate(Lead)
        .scalar_subquery()
    )
    return or_(*(_LEAD_TEXT.ilike(p) for p in patterns), said.is_not(None))


def stage_ids(session: Session, f: Filter) -> list[uuid.UUID]:
    """The ids of the filter's stages in the company's pipelines."""
    return list(
        session.scalars(
            select(Stage.id)
            .join(Pipeline, Pipeline.id == Stage.pipeline_id)
            .where(Pipeline.company_id == f.company_id, Stage.key.in_(f.stages))
        )
    )


def conditions(
    f: Filter, ids: list[uuid.UUID] | bool | None = False, stages: list[uuid.UUID] | None = None
) -> list:
    """The filter as SQL conditions; `ids`: see _matching; `stages`: the ids of the filter's stages
    (stage_ids). As ids, not a subquery: with one stage the planner then reads that stage's leads
    in order from its index instead of walking every lead and checking each."""
    where = [Lead.company_id == f.company_id]
    if f.stages:
        where.append(Lead.stage_id.in_(stages or []))
    if f.statuses:
        where.append(Lead.status.in_(f.statuses))
    if f.course:
        where.append(func.lower(Lead.profile["course"].astext) == f.course.lower())
    if f.channels:
        where.append(Lead.channel.in_(f.channels))
    if f.tags:
        where.append(Lead.tags.contains(list(f.tags)))
    if f.source:
        where.append(Lead.source == f.source)
    if f.created_after is not None:
        where.append(Lead.created_at >= f.created_after)
    if f.created_before is not None:
        where.append(Lead.created_at < f.created_before)
    if f.last_message_after is not None:
        where.append(last_message_at() >= f.last_message_after)
    if f.last_message_before is not None:
        where.append(last_message_at() < f.last_message_before)
    if f.assignee_user_id is not None:
        where.append(Lead.__table__.c["assigned_user_id"] == f.assignee_user_id)
    if f.query.strip():
        where.append(_matching(f, f.query.strip(), ids))
    return where


def _sort_key(sort: str):
    return {"created": Lead.created_at, "last_message": last_message_at(), "name": Lead.contact_name}[sort]


def _descending(sort: str, reverse: bool) -> bool:
    # Dates newest first, names A to Z; `reverse` flips either.
    return (sort != "name") != reverse


def encode_token(value, lead_id: uuid.UUID, fingerprint: str, before: bool = False) -> str:
    """A page token: the page after the lead, or with `before` the page that ends before it."""
    data = {
        "v": value.isoformat() if isinstance(value, datetime) else value,
        "i": str(lead_id),
        "q": fingerprint,
    }
    if before:
        data["b"] = 1
    raw = json.dumps(data, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_token(token: str, sort: str, fingerprint: str, field_name: str = "page_token"):
    """(sort value, lead id, before): the lead after which the page starts, or before which it ends."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        lead_id = uuid.UUID(data["i"])
        value = data["v"]
        before = data.get("b") == 1
        if data["q"] != fingerprint:
            raise FieldErrors({field_name: "belongs to another filter or sort: start again without it"})
        if sort != "name":
            value = datetime.fromisoformat(value)
        elif not isinstance(value, str):
            raise ValueError
    except FieldErrors:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error, json.JSONDecodeError):
        raise FieldErrors({field_name: "is not a token this service issued"}) from None
    return value, lead_id, before


def _page_statement(
    f: Filter,
    sort: str,
    reverse: bool,
    size: int,
    token: str,
    ids: list[uuid.UUID] | bool | None = False,
    stages: list[uuid.UUID] | None = None,
) -> Select:
    key = _sort_key(sort)
    descending = _descending(sort, reverse)
    where = conditions(f, ids, stages)
    if token:
        value, lead_id, before = decode_token(token, sort, f.fingerprint(sort, reverse))
        # A page before the token's lead is read backwards from it (and turned round by the caller).
        descending = descending != before
        after = (
            tuple_(key, Lead.id) < tuple_(value, lead_id)
            if descending
            else tuple_(key, Lead.id) > tuple_(value, lead_id)
        )
        where.append(after)
    order = (key.desc(), Lead.id.desc()) if descending else (key.asc(), Lead.id.asc())
    stage_key = select(Stage.key).where(Stage.id == Lead.stage_id).scalar_subquery()
    return select(Lead, stage_key, key).where(and_(*where)).order_by(*order).limit(size + 1)


def list_leads(
    session: Session,
    f: Filter,
    *,
    sort: str = "created",
    reverse: bool = False,
    size: int = DEFAULT_PAGE,
    token: str = "",
) -> Page:
    """One page of leads matching the filter, in the sort's order, after the token's lead."""
    validate(f)
    if sort not in SORTS:
        raise FieldErrors({"sort": f"must be one of {', '.join(SORTS)}"})
    if not 1 <= size <= MAX_PAGE:
        raise FieldErrors({"page_size": f"must be between 1 and {MAX_PAGE}"})
    ids = matching_ids(session, f.company_id, f.query.strip()) if f.query.strip() else False
    stages = stage_ids(session, f) if f.stages else None
    rows = session.execute(_page_statement(f, sort, reverse, size, token, ids, stages)).all()
    backwards = bool(token) and decode_token(token, sort, f.fingerprint(sort, reverse))[2]
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    views = [LeadView(lead=r[0], stage_key=r[1] or "") for r in rows]
    fingerprint = f.fingerprint(sort, reverse)
    # Read forwards, the page has a next one when it found more; read backwards from a later page,
    # it has one always (the page it came from) and a previous one when it found more.
    has_next = more if not backwards else bool(rows)
    has_previous = bool(rows) and (more if backwards else bool(token))
    next_token = encode_token(rows[-1][2], rows[-1][0].id, fingerprint) if has_next else ""
    previous_token = encode_token(rows[0][2], rows[0][0].id, fingerprint, before=True) if has_previous else ""
    return Page(leads=views, next_token=next_token, previous_token=previous_token)


@dataclass(frozen=True)
class Counts:
    by_stage: list[tuple[str, str, int]]
    by_status: list[tuple[str, int]]
    total: int
    # With a limit: the counts that reached it (there are at least that many), by stage key and by
    # status, and whether the total did.
    stages_at_least: frozenset[str] = frozenset()
    statuses_at_least: frozenset[str] = frozenset()
    total_at_least: bool = False


# The largest limit a count may be asked to stop at.
MAX_COUNT_LIMIT = 1_000_000


def count_leads(session: Session, f: Filter, *, limit: int = 0) -> Counts:
    """How many leads match, by stage (every stage of the company, in pipeline order) and status.

    With a limit, each count stops there (and says so in `at_least`): a count of a page's worth of
    leads then costs the same with a hundred thousand of them, where counting them all reads every
    one. Without, every matching lead is counted, in one pass for both groupings."""
    validate(f)
    if not 0 <= limit <= MAX_COUNT_LIMIT:
        raise FieldErrors({"count_limit": f"must be between 0 and {MAX_COUNT_LIMIT}"})
    stages = session.execute(
        select(Stage.id, Stage.key, Stage.name)
        .join(Pipeline, Pipeline.id == Stage.pipeline_id)
        .where(Pipeline.company_id == f.company_id)
        .order_by(Pipeline.is_default.desc(), Pipeline.created_at, Stage.position)
    ).all()
    # Counting needs every matching lead, so the ids from the indexes, however common the words.
    where = conditions(f, stages=[stage_id for stage_id, key, _ in stages if key in f.stages])
    if limit:
        return _capped_counts(session, where, stages, limit)
    per_stage, per_status, total = _exact_counts(session, where)
    return Counts(
        by_stage=[(key, name, per_stage.get(stage_id, 0)) for stage_id, key, name in stages],
        by_status=[(s, per_status.get(s, 0)) for s in LEAD_STATUSES],
        total=total,
    )


def _exact_counts(session: Session, where: list) -> tuple[dict, dict, int]:
    # GROUPING(...) is 1 on a status's row (the stage not grouped by), 2 on a stage's.
    which = func.grouping(Lead.stage_id, Lead.status)
    rows = session.execute(
        select(which, Lead.stage_id, Lead.status, func.count())
        .where(and_(*where))
        .group_by(func.grouping_sets(tuple_(Lead.stage_id), tuple_(Lead.status)))
    ).all()
    per_stage = {stage_id: n for w, stage_id, _, n in rows if w == 1}
    per_status = {status: n for w, _, status, n in rows if w == 2}
    return per_stage, per_status, sum(per_status.values())


def _capped_counts(session: Session, where: list, stages: list, limit: int) -> Counts:
    """Each count as its own bounded scan (limit + 1 rows at most), all in one statement."""

    def capped(label: str, *extra):
        rows = select(literal_column("1")).where(*where, *extra).limit(limit + 1).subquery()
        return select(literal(label).label("label"), select(func.count()).select_from(rows).scalar_subquery())

    parts = [capped("total")]
    parts += [capped(f"stage:{stage_id}", Lead.stage_id == stage_id) for stage_id, _, _ in stages]
    parts += [capped(f"status:{status}", Lead.status == status) for status in LEAD_STATUSES]
    counted = dict(session.execute(union_all(*parts)).all())
    by_stage = [(key, name, counted[f"stage:{stage_id}"]) for stage_id, key, name in stages]
    by_status = [(status, counted[f"status:{status}"]) for status in LEAD_STATUSES]
    return Counts(
        by_stage=[(key, name, min(n, limit)) for key, name, n in by_stage],
        by_status=[(status, min(n, limit)) for status, n in by_status],
        total=min(counted["total"], limit),
        stages_at_least=frozenset(key for key, _, n in by_stage if n > limit),
        statuses_at_least=frozenset(status for status, n in by_status if n > limit),
        total_at_least=counted["total"] > limit,
    )


def last_messages(session: Session, lead_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Message]:
    """The newest message of each lead: one index probe per lead (lead_id, created_at)."""
    if not lead_ids:
        return {}
    newest = (
        select(Message.id)
        .where(Message.lead_id == Lead.id)
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = session.scalars(
        select(Message).where(Message.id.in_(select(newest).where(Lead.id.in_(list(lead_ids)))))
    ).all()
    return {m.lead_id: m for m in rows}
