"""The dashboard's numbers: new leads today and this week in the company's time zone, time to first
reply, and the leads by stage, course and channel."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shvya_crm.leads.consent import DEFAULT_TIMEZONE
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Company, Lead, Pipeline, ReportsCache, Stage

FIRST_REPLY_PERIOD = timedelta(days=7)
# The dashboard's numbers in reports_cache.
CACHE_KEY = "lead_stats"


@dataclass(frozen=True)
class Stats:
    timezone: str
    today: int
    this_week: int
    first_reply_p50: float | None
    first_reply_p90: float | None
    first_reply_samples: int
    by_stage: list[tuple[str, str, int]]
    by_course: list[tuple[str, int]]
    by_channel: list[tuple[str, int]]
    total: int
    computed_at: datetime


def day_and_week_start(now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Local midnight today and on this week's Monday, as instants."""
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    return _midnight(today, zone), _midnight(monday, zone)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def _zone(name: str) -> tuple[str, ZoneInfo]:
    try:
        return name, ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return DEFAULT_TIMEZONE, ZoneInfo(DEFAULT_TIMEZONE)


def _first_reply_seconds(session: Session, company_id: uuid.UUID, since: datetime) -> tuple:
    """p50, p90 and the number of leads created since `since` that got a reply (the wait each lead
    keeps from its first inbound message to the first reply a channel accepted)."""
    return session.execute(
        select(
            func.percentile_cont(0.5).within_group(Lead.first_reply_seconds),
            func.percentile_cont(0.9).within_group(Lead.first_reply_seconds),
            func.count(Lead.first_reply_seconds),
        ).where(Lead.company_id == company_id, Lead.created_at >= since)
    ).one()


def _counts(session: Session, company_id: uuid.UUID) -> tuple[list, list, list, int]:
    """The company's leads by stage (every stage, in pipeline order, zero counts too), by course and by
    channel (most first, then by name), and in all: one pass over the leads (grouping sets), not one
    per grouping."""
    leads = (
        select(
            Lead.stage_id,
            func.coalesce(Lead.profile["course"].astext, "").label("course"),
            Lead.channel,
        )
        .where(Lead.company_id == company_id)
        .subquery()
    )
    # GROUPING(...) is 0b011 for a stage's row, 0b101 for a course's, 0b110 for a channel's and 0b111
    # for the total (a bit set for each column not grouped by).
    which = func.grouping(leads.c.stage_id, leads.c.course, leads.c.channel)
    rows = session.execute(
        select(which, leads.c.stage_id, leads.c.course, leads.c.channel, func.count())
        .group_by(
            func.grouping_sets(
                tuple_(leads.c.stage_id), tuple_(leads.c.course), tuple_(leads.c.channel), tuple_()
            )
        )
        .order_by(func.count().desc(), leads.c.course, leads.c.channel)
    ).all()
    per_stage = {stage_id: n for w, stage_id, _, _, n in rows if w == 0b011}
    by_course = [(course, n) for w, _, course, _, n in rows if w == 0b101]
    by_channel = [(channel, n) for w, _, _, channel, n in rows if w == 0b110]
    total = next((n for w, _, _, _, n in rows if w == 0b111), 0)
    stages = session.execute(
        select(Stage.id, Stage.key, Stage.name)
        .join(Pipeline, Pipeline.id == Stage.pipeline_id)
        .where(Pipeline.company_id == company_id)
        .order_by(Pipeline.is_default.desc(), Pipeline.created_at, Stage.position)
    ).all()
    by_stage = [(key, name, per_stage.get(stage_id, 0)) for stage_id, key, name in stages]
    return by_stage, by_course, by_channel, total


def lead_stats(session: Session, company_id: uuid.UUID) -> Stats:
    # These queries are short, but a pass over a large company's leads is estimated costly enough
    # for PostgreSQL to compile it first (JIT), which takes longer than running it.
    session.execute(text("SET LOCAL jit = off"))
    now = now_of(session)
    company = session.get(Company, company_id)
    timezone, zone = _zone((company.timezone if company is not None else "") or DEFAULT_TIMEZONE)
    day, week = day_and_week_start(now, zone)
    today, this_week = session.execute(
        select(
            func.count().filter(Lead.created_at >= day),
            func.count().filter(Lead.created_at >= week),
        ).where(Lead.company_id == company_id, Lead.created_at >= min(day, week))
    ).one()
    p50, p90, samples = _first_reply_seconds(session, company_id, now - FIRST_REPLY_PERIOD)
    by_stage, by_course, by_channel, total = _counts(session, company_id)
    return Stats(
        timezone=timezone,
        today=today,
        this_week=this_week,
        first_reply_p50=p50,
        first_reply_p90=p90,
        first_reply_samples=samples,
        by_stage=by_stage,
        by_course=by_course,
        by_channel=by_channel,
        total=total,
        computed_at=now,
    )


def cached(session: Session, company_id: uuid.UUID) -> Stats | None:
    """The company's numbers as last worked out, while they are fresh enough (reports_cache)."""
    data = session.execute(
        select(ReportsCache.data).where(
            ReportsCache.company_id == company_id,
            ReportsCache.key == CACHE_KEY,
            ReportsCache.expires_at > now_of(session),
        )
    ).scalar_one_or_none()
    return _from_json(data) if data is not None else None


def keep(session: Session, company_id: uuid.UUID, stats: Stats, max_age: timedelta) -> None:
    """Stores the numbers for others to read until they are max_age old."""
    values = {
        "data": _to_json(stats),
        "computed_at": stats.computed_at,
        "expires_at": stats.computed_at + max_age,
    }
    session.execute(
        pg_insert(ReportsCache)
        .values(id=uuid.uuid4(), company_id=company_id, key=CACHE_KEY, **values)
        .on_conflict_do_update(index_elements=["company_id", "key"], set_=values)
    )


def _to_json(s: Stats) -> dict:
    return {
        "timezone": s.timezone,
        "today": s.today,
        "this_week": s.this_week,
        "first_reply_p50": s.first_reply_p50,
        "first_reply_p90": s.first_reply_p90,
        "first_reply_samples": s.first_reply_samples,
        "by_stage": [list(row) for row in s.by_stage],
        "by_course": [list(row) for row in s.by_course],
        "by_channel": [list(row) for row in s.by_channel],
        "total": s.total,
        "computed_at": s.computed_at.isoformat(),
    }


def _from_json(d: dict) -> Stats:
    return Stats(
        timezone=d["timezone"],
        today=d["today"],
        this_week=d["this_week"],
        first_reply_p50=d["first_reply_p50"],
        first_reply_p90=d["first_reply_p90"],
        first_reply_samples=d["first_reply_samples"],
        by_stage=[tuple(row) for row in d["by_stage"]],
        by_course=[tuple(row) for row in d["by_course"]],
        by_channel=[tuple(row) for row in d["by_channel"]],
        total=d["total"],
        computed_at=datetime.fromisoformat(d["computed_at"]),
    )
