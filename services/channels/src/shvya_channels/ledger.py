"""The send ledger in Redis: a send is claimed under its idempotency key before it
leaves and remembered after, so a retried job never messages a student twice.

A claim lives for a lease (a crashed process cannot hold a key for ever). While it is
held the adapter marks two moments (shvya_channels.channel.Checkpoint): `commit`, just
before the bytes that deliver the message leave, and `accepted`, as soon as the other
side's acceptance is read. Only a crash between the two can leave it unknown whether a
message went; that is recorded in a separate "in doubt" key that outlives the lease, so
the next attempt knows, and the channel's decision for that case applies.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field

import redis

from shvya_channels.outcome import Kind, Outcome

log = logging.getLogger(__name__)

# Marks the send in doubt, only if the claim is still ours: an attempt whose lease ran out
# (and which another attempt may have taken over) must not send.
_COMMIT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
"""

# Deletes the in-flight claim only if it is still ours; clears the doubt unless told to keep it.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[2] == '1' then
    redis.call('DEL', KEYS[2])
  end
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class LedgerUnavailable(Exception):
    pass


@dataclass
class Claim:
    """This attempt's hold on a key: the checkpoint its adapter reports through."""

    key: str
    value: str
    doubt_key: str
    # The previous attempt under this key crossed its point of no return without an answer.
    in_doubt: bool = False
    committed: bool = False
    recorded: bool = False
    _ledger: SendLedger | None = field(default=None, repr=False)

    def commit(self) -> bool:
        assert self._ledger is not None
        self.committed = self._ledger.commit(self)
        return self.committed

    def accepted(self, external_id: str) -> None:
        assert self._ledger is not None
        try:
            self._ledger.record_sent(self, external_id)
        except LedgerUnavailable as exc:
            # The servicer records the SENT outcome again when the adapter returns.
            log.error("could not record send %s as sent yet: %s", self.key, exc)


class SendLedger:
    def __init__(self, client: redis.Redis, *, prefix: str, lease_seconds: int, memory_seconds: int) -> None:
        self._client = client
        self._prefix = prefix
        self._lease = lease_seconds
        self._memory = memory_seconds
        self._commit = client.register_script(_COMMIT)
        self._release = client.register_script(_RELEASE)

    def _key(self, idempotency_key: str) -> str:
        return f"{self._prefix}:channels:send:{idempotency_key}"

    def _doubt_key(self, idempotency_key: str) -> str:
        return f"{self._prefix}:channels:send-doubt:{idempotency_key}"

    def begin(self, idempotency_key: str) -> Claim | Outcome:
        """A claim to send now, or the outcome to report instead (earlier result, or busy)."""
        key = self._key(idempotency_key)
        doubt_key = self._doubt_key(idempotency_key)
        value = json.dumps({"state": "inflight", "token": uuid.uuid4().hex})
        try:
            for _ in range(2):
                if self._client.set(key, value, nx=True, ex=self._lease):
                    in_doubt = self._client.exists(doubt_key) > 0
                    return Claim(key, value, doubt_key, in_doubt=in_doubt, _ledger=self)
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

    def commit(self, claim: Claim) -> bool:
        """Marks the claim's send in doubt until its outcome is known; False if the claim is lost."""
        try:
            return bool(
                self._commit(keys=[claim.key, claim.doubt_key], args=[claim.value, "1", self._memory])
            )
        except redis.RedisError as exc:
            # Without the mark a crash could not be told from a send that never left: do not send.
            log.error("could not mark send %s in doubt: %s", claim.key, exc)
            return False

    def record_sent(self, claim: Claim, external_id: str) -> None:
        """Remembers a completed send (and that it is no longer in doubt)."""
        if claim.recorded:
            return
        record = json.dumps({"state": "sent", "external_id": external_id})
        try:
            with self._client.pipeline(transaction=True) as pipe:
                pipe.set(claim.key, record, ex=self._memory)
                pipe.delete(claim.doubt_key)
                pipe.execute()
        except redis.RedisError as exc:
            raise LedgerUnavailable(str(exc)) from exc
        claim.recorded = True

    def finish(self, claim: Claim, outcome: Outcome) -> None:
        """Remembers a completed send; releases the claim for anything else.

        An outcome in doubt keeps the doubt for the next attempt; any other answer (a refusal,
        a retry the other side asked for) says the message did not go, and clears it."""
        try:
            if outcome.kind == Kind.SENT:
                self.record_sent(claim, outcome.external_id)
            else:
                clear = "0" if outcome.in_doubt else "1"
                self._release(keys=[claim.key, claim.doubt_key], args=[claim.value, clear])
        except redis.RedisError as exc:
            raise LedgerUnavailable(str(exc)) from exc
