"""The crm's overview queries alone on a loaded database (the inbox, the dashboard's numbers, the
activity watermark, the stage list the conversation page asks for): p50 and p95 of each, called on
one session as the crm's RPCs call them.

    .venv/bin/python -m bench.perf.overview <database url> [calls] [user email]

The database is one `bench.perf.loader.load` filled (and `needs_attention` gave an inbox); the
user's inbox is timed when a user with that email exists."""

from __future__ import annotations

import sys
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from bench.perf.console_pages import OWNER_EMAIL
from bench.perf.run import DEFAULT_COMPANY
from bench.perf.stats import percentile
from shvya_crm.leads import activity, inbox, search, stats


def timed(engine, calls: int, fn) -> tuple[float, float]:
    out = []
    with Session(engine) as session:
        fn(session)
        session.rollback()
        for _ in range(calls):
            started = time.perf_counter()
            fn(session)
            out.append((time.perf_counter() - started) * 1000)
            session.rollback()
    return percentile(out, 50), percentile(out, 95)


def main(argv: list[str]) -> None:
    url = argv[0].replace("postgresql://", "postgresql+psycopg2://", 1)
    calls = int(argv[1]) if len(argv) > 1 else 15
    email = argv[2] if len(argv) > 2 else OWNER_EMAIL
    engine = create_engine(url)
    with Session(engine) as session:
        user = session.execute(
            text("SELECT id FROM users WHERE company_id = :c AND email = :e"),
            {"c": DEFAULT_COMPANY, "e": email},
        ).scalar()
    company = DEFAULT_COMPANY

    def two_pages(session, who: uuid.UUID | None) -> None:
        first = inbox.list_inbox(session, company, who, size=50)
        inbox.list_inbox(session, company, who, size=50, token=first.next_token)

    probes = {
        "ListInbox, the company's inbox, first page of 50": lambda s: inbox.list_inbox(
            s, company, None, size=50
        ),
        "GetLeadStats": lambda s: stats.lead_stats(s, company),
        "GetActivity": lambda s: activity.activity(s, company),
        "CountLeads created before 1970 (the stage list)": lambda s: search.count_leads(
            s, search.Filter(company_id=company, created_before=datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC))
        ),
        "CountLeads, every lead (the board)": lambda s: search.count_leads(
            s, search.Filter(company_id=company)
        ),
        "CountLeads, active (the leads table)": lambda s: search.count_leads(
            s, search.Filter(company_id=company, statuses=("active",))
        ),
        "CountLeads, every lead, up to 10,000 (the board)": lambda s: search.count_leads(
            s, search.Filter(company_id=company), limit=10_000
        ),
        "CountLeads, active, up to 10,000 (the leads table)": lambda s: search.count_leads(
            s, search.Filter(company_id=company, statuses=("active",)), limit=10_000
        ),
        "ListLeads, active, page of 50": lambda s: search.list_leads(
            s, search.Filter(company_id=company, statuses=("active",)), size=50
        ),
        "ListLeads, each stage's newest 10 (the board's columns)": lambda s: [
            search.list_leads(s, search.Filter(company_id=company, stages=(stage,)), size=10)
            for stage in ("new", "contacted", "qualified", "enrolled", "lost")
        ],
    }
    if user is not None:
        probes = {
            f"ListInbox, {email}'s inbox, first page of 50": lambda s: inbox.list_inbox(
                s, company, user, size=50
            ),
            f"ListInbox, {email}'s inbox, pages 1 and 2": lambda s: two_pages(s, user),
            **probes,
        }
    for name, fn in probes.items():
        p50, p95 = timed(engine, calls, fn)
        print(f"{name:60s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({calls} calls)", flush=True)
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
