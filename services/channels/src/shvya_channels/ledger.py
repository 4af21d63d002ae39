"""The send ledger in Redis: a send is claimed under its idempotency key before it
leaves and remembered after, so a retried job never messages a student twice."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import redis

from shvya_channels.outcome import Kind, Outcome

# Deletes the in-flight claim only if it is still ours.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


@dataclass(frozen=True)
class Claim:
    key: str
    value: str


class LedgerUnavailable(Exception):
    pass


class SendLedger:
    def __init__(self, client: redis.Redis, *, prefix: str, lease_seconds: int, memory_seconds: int) -> None:
        self._client = client
        self._prefix = prefix
        self._lease = lease_seconds
        self._memory = memory_seconds
        self._release = client.register_script(_RELEASE)

    def _key(self, idempotency_key: str) -> str:
        return f"{self._prefix}:channels:send:{idempotency_key}"

    def begin(self, idempotency_key: str) -> Claim | Outcome:
        """A claim to send now, or the outcome to report instead (earlier result, or busy)."""
        key = self._key(idempotency_key)
        value = json.dumps({"state": "inflight", "token": uuid.uuid4().hex})
        try:
            for _ in range(2):
                if self._client.set(key, value, nx=True, ex=self._lease):
                    return Claim(key, value)
                raw = self._client.get(key)
                if raw is None:
                    continue  # the earlier claim expired between SET and GET
                earlier = json.loads(raw)
                if earlier.get("state") == "sent":
                    return Outcome(Kind.SENT, external_id=earlier.get("external_id", ""), duplicate=True)
                ttl = self._client.ttl(key)
                # Another job's claim, not this job's failure: it waits without spending an
                # attempt, until the claim is settled or its lease runs out.
                return Outcome.deferred(
                    "a send with this idempotency key is already in progress", after=max(float(ttl), 1.0)
                )
            return Outcome.retry("send ledger contention", after=1.0)
        except redis.RedisError as exc:
            raise LedgerUnavailable(str(exc)) from exc

    def finish(self, claim: Claim, outcome: Outcome) -> None:
        """Remembers a completed send; releases the claim for anything else."""
        try:
            if outcome.kind == Kind.SENT:
                record = json.dumps({"state": "sent", "external_id": outcome.external_id})
                self._client.set(claim.key, record, ex=self._memory)
            else:
                self._release(keys=[claim.key], args=[claim.value])
        except redis.RedisError as exc:
            raise LedgerUnavailable(str(exc)) from exc
