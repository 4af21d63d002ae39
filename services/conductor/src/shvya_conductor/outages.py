"""How long each job has found a backend down, kept in Redis, so that an outage is waited out
without spending the job's attempts, up to a limit."""

from __future__ import annotations

import time

import redis

from shvya_conductor.retry import backoff_seconds


class Outages:
    """A job that finds a backend (SMTP, the Graph API, the model endpoint, a channel or ai
    service) down is deferred, not failed: the wait doubles from `base` up to `cap`, so that it
    goes out within `cap` of the backend's return, and only once the outage has lasted
    `max_seconds` for this job is it dead-lettered. Shared by every worker through Redis."""

    def __init__(self, client: redis.Redis, namespace: str, *, max_seconds: float, base: float, cap: float):
        self._client = client
        self._namespace = namespace
        self._max_seconds = max_seconds
        self._base = base
        self._cap = cap

    def wait(self, job_id: str) -> tuple[float, float | None]:
        """(seconds this job has found backends down, seconds to defer it; None: waited enough)."""
        key = f"{self._namespace}:outage:{job_id}"
        now = time.time()
        pipe = self._client.pipeline(transaction=True)
        pipe.hsetnx(key, "since", repr(now))
        pipe.hincrby(key, "waits", 1)
        pipe.hget(key, "since")
        pipe.expire(key, int(self._max_seconds * 2) + 3600)
        _, waits, since, _ = pipe.execute()
        elapsed = max(now - float(since), 0.0)
        if elapsed >= self._max_seconds:
            return elapsed, None
        delay = backoff_seconds(int(waits), self._base, self._cap)
        return elapsed, min(delay, self._max_seconds - elapsed)
