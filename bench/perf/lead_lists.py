"""Finding leads at scale: filtered pages of 50 (first pages and pages deep behind a cursor) and text
searches, through GET /leads, as a counsellor's list view asks for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx

from bench.perf import wrk

# Pages followed behind each first page, so that the measured mix holds deep keyset pages too.
DEEP_PAGES = 20


def _at(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def filtered_pages(now: datetime) -> list[dict]:
    """Filters a list view combines, over the loader's leads (created over the last 180 days)."""
    return [
        {"status": "active"},
        {"status": "active", "channel": "email", "sort": "last_message"},
        {"stage": "new", "created_after": _at(now - timedelta(days=30))},
        {"source": "form", "last_message_after": _at(now - timedelta(days=7)), "sort": "last_message"},
        {"status": "active", "sort": "name"},
        {"created_after": _at(now - timedelta(days=120)), "created_before": _at(now - timedelta(days=60))},
        {"status": "active", "sort": "created", "reverse": "true"},
    ]


def searches() -> list[dict]:
    """Part of a name, of a phone number, an email, and words every seventh message holds."""
    return [
        {"q": "Student 4242"},
        {"q": "97 0001 23"},
        {"q": "loaded777@bench"},
        {"q": "certificate"},
        {"q": "instalments", "status": "active"},
    ]


def _paths(gateway: str, queries: list[dict], deep: int) -> list[str]:
    """The query strings of each first page and of the `deep` pages behind it."""
    out = []
    with httpx.Client(base_url=gateway, timeout=60) as client:
        for params in queries:
            params = {**params, "limit": "50"}
            out.append(urlencode(params))
            cursor = None
            for _ in range(deep):
                body = client.get("/leads", params={**params, **({"cursor": cursor} if cursor else {})})
                body.raise_for_status()
                cursor = body.json()["next_cursor"]
                if not cursor:
                    break
                out.append(urlencode({**params, "cursor": cursor}))
    return out


@dataclass(frozen=True)
class Mix:
    name: str
    paths: list[str]


def mixes(gateway: str, now: datetime) -> list[Mix]:
    return [
        Mix("filtered page of 50", _paths(gateway, filtered_pages(now), DEEP_PAGES)),
        Mix("search, page of 50", _paths(gateway, searches(), 0)),
    ]


def measure(gateway: str, mix: Mix, *, connections: int, seconds: float, rounds: int, workdir: Path) -> dict:
    """The fastest (by throughput, as the other scale figures) of `rounds` closed-loop runs over the
    mix's requests, in turn."""
    listing = workdir / f"lead_lists_{mix.name.split()[0]}.txt"
    listing.write_text("\n".join(mix.paths) + "\n")
    result = max(
        (
            wrk.run(
                gateway,
                wrk.FETCH_LUA,
                connections=connections,
                seconds=seconds,
                workdir=workdir,
                args=(str(listing), "/leads?"),
            )
            for _ in range(rounds)
        ),
        key=lambda r: r.rps,
    )
    return {"requests_in_mix": len(mix.paths), **result.as_dict()}
