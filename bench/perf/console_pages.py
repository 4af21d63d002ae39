"""The console's pages at scale: each page's server time (its Server-Timing header, the console's own
time including every crm call it makes), as a signed-in owner of the loaded company asks for it."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass, field
from itertools import cycle

import httpx
import psycopg2

from bench.perf.stats import percentile
from shvya_testkit.mesh import ROOT, base_env

# The pages timed, in order; "{lead}" is a loaded lead's conversation (each request another lead).
# A page the console does not serve yet (404) is left out with a note. Not timed: the WhatsApp
# section of /operations, which asks the channel services the bench does not run (it shows them
# as not running after its one-second deadline).
PAGES = (
    "/inbox",
    "/leads?status=active&limit=50",
    "/leads?q=Student+4242",
    "/pipeline",
    "/dashboard",
    "/leads/{lead}",
    "/operations",
    "/knowledge",
    "/people",
    "/settings/ai",
    "/settings/templates",
    "/settings/sequences",
    "/settings/company",
    "/settings/webhooks",
)
TARGET_MS = 100.0
OWNER_EMAIL = "bench-owner@bench.example"
_TIMING = re.compile(r"app;dur=([0-9.]+)")
_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def create_owner(database_url: str, company_id: uuid.UUID) -> tuple[uuid.UUID, str]:
    """An owner of the loaded company (as `python -m shvya_crm create-owner` makes one): id, password."""
    password = uuid.uuid4().hex
    subprocess.run(
        [
            sys.executable,
            "-m",
            "shvya_crm",
            "create-owner",
            "--company",
            str(company_id),
            "--email",
            OWNER_EMAIL,
        ],
        cwd=ROOT,
        env={**base_env(), "DATABASE_URL": database_url, "OWNER_PASSWORD": password},
        check=True,
        capture_output=True,
    )
    with psycopg2.connect(database_url) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT id FROM users WHERE company_id = %s AND email = %s", (str(company_id), OWNER_EMAIL)
        )
        (user_id,) = cur.fetchone()
    conn.close()
    return uuid.UUID(str(user_id)), password


def sign_in(console: str, password: str) -> httpx.Cookies:
    """The cookies of a signed-in session, through the sign-in form (with its anti-forgery token)."""
    with httpx.Client(base_url=console, timeout=30) as client:
        token = _CSRF.search(client.get("/sign-in").text).group(1)
        reply = client.post(
            "/sign-in", data={"email": OWNER_EMAIL, "password": password, "csrf_token": token}
        )
        if reply.status_code != 303:
            raise RuntimeError(f"signing in to the console answered {reply.status_code}")
        return client.cookies


@dataclass
class Timing:
    server_ms: list[float] = field(default_factory=list)
    errors: int = 0

    def as_dict(self) -> dict:
        ms = sorted(self.server_ms)
        return {
            "requests": len(ms) + self.errors,
            "errors": self.errors,
            "p50_ms": round(percentile(ms, 50), 1) if ms else None,
            "p95_ms": round(percentile(ms, 95), 1) if ms else None,
            "max_ms": round(ms[-1], 1) if ms else None,
        }


def _paths(page: str, lead_ids: list[str]) -> cycle:
    if "{lead}" in page:
        return cycle(page.format(lead=lead) for lead in lead_ids)
    return cycle([page])


def served(console: str, cookies: httpx.Cookies, page: str, lead_ids: list[str]) -> bool:
    """False when the console has no such page yet (404)."""
    with httpx.Client(base_url=console, cookies=cookies, timeout=60) as client:
        return client.get(next(_paths(page, lead_ids))).status_code != 404


def measure(
    console: str, cookies: httpx.Cookies, page: str, lead_ids: list[str], *, clients: int, requests: int
) -> dict:
    """`requests` GETs of the page shared by `clients` at once (closed loop), after a warm-up; the
    server times each response's Server-Timing names."""
    timing = Timing()
    lock = threading.Lock()
    paths = _paths(page, lead_ids)
    with httpx.Client(base_url=console, cookies=cookies, timeout=60) as client:
        for _ in range(3):
            client.get(next(paths))

    def work(count: int) -> None:
        with httpx.Client(base_url=console, cookies=cookies, timeout=60) as client:
            for _ in range(count):
                with lock:
                    path = next(paths)
                reply = client.get(path)
                found = _TIMING.search(reply.headers.get("server-timing", ""))
                with lock:
                    if reply.status_code != 200 or found is None:
                        timing.errors += 1
                    else:
                        timing.server_ms.append(float(found.group(1)))

    threads = [threading.Thread(target=work, args=(requests // clients,)) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timing.as_dict()
