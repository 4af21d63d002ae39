"""Speed to lead: form POSTs at a steady rate (open loop), timed to the SMTP server's acceptance."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import httpx

from shvya_testkit.smtp import SmtpServer

QUESTION = "Hi, I want to join the Digital Marketing course. What is the fee and when is the next batch?"


def address(tag: int, i: int) -> str:
    return f"lead{tag:02d}x{i}@bench.example"


def _body(tag: int, i: int) -> dict:
    # +91 96 <tag, 2 digits><i, 6 digits>: distinct from the intake and loaded number ranges.
    return {
        "phone_number": f"+9196{tag % 100:02d}{i % 1_000_000:06d}",
        "contact_name": f"Lead {tag}-{i}",
        "message_text": QUESTION,
        "channel": "email",
        "email": address(tag, i),
    }


@dataclass
class Posted:
    sent_at: dict[str, float] = field(default_factory=dict)  # address -> time.monotonic() of the POST
    http_ms: list[float] = field(default_factory=list)
    failures: int = 0
    first: float = 0.0
    last: float = 0.0


async def _post(client: httpx.AsyncClient, gateway: str, tag: int, i: int, out: Posted) -> None:
    started = time.monotonic()
    out.sent_at[address(tag, i)] = started
    try:
        response = await client.post(f"{gateway}/inbound-message", json=_body(tag, i))
        ok = response.status_code == 200
    except httpx.HTTPError:
        ok = False
    out.http_ms.append((time.monotonic() - started) * 1000)
    if not ok:
        out.failures += 1
        out.sent_at.pop(address(tag, i), None)


async def _paced(gateway: str, tag: int, count: int, rate: float | None, concurrency: int) -> Posted:
    out = Posted()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        out.first = time.monotonic()
        if rate is None:
            queue = iter(range(count))

            async def worker() -> None:
                for i in queue:
                    await _post(client, gateway, tag, i, out)

            await asyncio.gather(*(worker() for _ in range(concurrency)))
        else:
            tasks = []
            for i in range(count):
                delay = out.first + i / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(_post(client, gateway, tag, i, out)))
            await asyncio.gather(*tasks)
        out.last = time.monotonic()
    return out


def post_leads(
    gateway: str, tag: int, count: int, *, rate: float | None = None, concurrency: int = 64
) -> Posted:
    """Posts `count` new leads: at `rate` a second (open loop), or as fast as `concurrency` allows."""
    return asyncio.run(_paced(gateway, tag, count, rate, concurrency))


def answered(smtp: SmtpServer, posted: Posted, timeout: float) -> dict[str, float]:
    """Waits for the reply to every posted lead; returns address -> SMTP acceptance time."""
    deadline = time.monotonic() + timeout
    wanted = set(posted.sent_at)
    seen: dict[str, float] = {}
    while True:
        for message in smtp.messages:
            for rcpt in message.rcpt_tos:
                if rcpt in wanted and rcpt not in seen:
                    seen[rcpt] = message.received_at
        if len(seen) == len(wanted) or time.monotonic() > deadline:
            return seen
        time.sleep(0.05)


def latencies_ms(posted: Posted, seen: dict[str, float]) -> list[float]:
    return [(seen[a] - posted.sent_at[a]) * 1000 for a in seen]


def latency_windows(posted: Posted, seen: dict[str, float], seconds: float = 5.0) -> list[dict]:
    """Latency by when the form was posted, in windows of `seconds`: shows whether a slow run was
    slow throughout or had one bad stretch (a queue that built up and drained)."""
    windows: dict[int, list[float]] = {}
    for a, at in seen.items():
        windows.setdefault(int((posted.sent_at[a] - posted.first) // seconds), []).append(
            (at - posted.sent_at[a]) * 1000
        )
    out = []
    for w in sorted(windows):
        values = sorted(windows[w])
        out.append(
            {
                "from_s": w * seconds,
                "leads": len(values),
                "p50_ms": round(values[len(values) // 2], 1),
                "max_ms": round(values[-1], 1),
            }
        )
    return out
