"""Pacing of WhatsApp sends, shared by every replica through Redis.

Each check is one Lua script, so that two replicas (or two worker threads)
can never both take the last slot, and time is Redis's own clock, so that
replicas with skewed clocks still agree. A check never waits: it answers
"send now" (and takes the slot) or "not before N seconds", and the caller
tells the conductor to come back then (SEND_OUTCOME_DEFERRED), so no worker
is ever blocked by pacing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import redis

# KEYS[1] the recipient's pair key, KEYS[2] the number's per-second counter prefix
# ARGV[1] pair gap in ms (0: none), ARGV[2] messages per second (0: no limit)
_CLOUD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local gap = tonumber(ARGV[1])
local mps = tonumber(ARGV[2])
if gap > 0 then
  local left = redis.call('PTTL', KEYS[1])
  if left > 0 then return {0, left} end
end
local second = KEYS[2] .. ':' .. t[1]
if mps > 0 then
  local used = tonumber(redis.call('GET', second) or '0')
  if used >= mps then return {0, 1000 - (now % 1000)} end
end
if mps > 0 then
  redis.call('INCR', second)
  redis.call('PEXPIRE', second, 2000)
end
if gap > 0 then redis.call('SET', KEYS[1], now, 'PX', gap) end
return {1, 0}
"""

# KEYS[1] the number's next-send time, KEYS[2] its count for the day
# ARGV[1] the gap to leave after this send (ms), ARGV[2] daily cap (0: none), ARGV[3] ms left in the day
_WEB = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cap = tonumber(ARGV[2])
local count = tonumber(redis.call('GET', KEYS[2]) or '0')
if cap > 0 and count >= cap then return {-1, tonumber(ARGV[3])} end
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if now < nxt then return {0, nxt - now} end
local gap = tonumber(ARGV[1])
if gap > 0 then redis.call('SET', KEYS[1], now + gap, 'PX', gap) end
redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], 172800)
return {1, 0}
"""


@dataclass(frozen=True)
class Slot:
    """The answer of a pacing check: go now, or wait `wait_seconds` (`reason` says why)."""

    granted: bool
    wait_seconds: float = 0.0
    reason: str = ""


class CloudPacing:
    """Meta's limits for one business number: throughput per second, and a gap between
    two messages to the same user (the pair rate limit, error 131056)."""

    def __init__(
        self, client: redis.Redis, *, prefix: str, phone_id: str, mps: int, pair_gap_seconds: float
    ) -> None:
        self._base = f"{prefix}:channels:whatsapp_cloud:{phone_id}"
        self._mps = max(mps, 0)
        self._gap_ms = max(int(pair_gap_seconds * 1000), 0)
        self._client = client
        self._script = client.register_script(_CLOUD)

    def take(self, recipient: str) -> Slot:
        granted, wait_ms = self._script(
            keys=[f"{self._base}:to:{recipient}", f"{self._base}:mps"], args=[self._gap_ms, self._mps]
        )
        if granted:
            return Slot(True)
        return Slot(False, max(wait_ms, 1) / 1000.0, "pacing this business number")

    def release(self, recipient: str) -> None:
        """Gives back the pair gap of a message Meta did not take: nothing reached the person."""
        self._client.delete(f"{self._base}:to:{recipient}")


class WebPacing:
    """One WhatsApp Web number: about one message a minute (a random gap each time, never
    a fixed interval), and at most `daily_cap` messages a day in the account's time zone."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        prefix: str,
        account: str,
        gap_seconds: float,
        jitter_seconds: float,
        daily_cap: int,
        timezone: str,
    ) -> None:
        self._base = f"{prefix}:channels:whatsapp_web:{account}"
        self._client = client
        self._gap = max(gap_seconds, 0.0)
        self._jitter = max(min(jitter_seconds, self._gap), 0.0)
        self.daily_cap = max(daily_cap, 0)
        self._zone = ZoneInfo(timezone)
        self._script = client.register_script(_WEB)

    def _today(self) -> tuple[str, float]:
        """The account's day, and the seconds until it ends."""
        now = datetime.now(self._zone)
        tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=self._zone)
        return now.date().isoformat(), (tomorrow - now).total_seconds()

    def next_gap(self) -> float:
        return random.uniform(self._gap - self._jitter, self._gap + self._jitter) if self._gap else 0.0

    def take(self) -> Slot:
        day, left = self._today()
        granted, wait_ms = self._script(
            keys=[f"{self._base}:next", f"{self._base}:day:{day}"],
            args=[int(self.next_gap() * 1000), self.daily_cap, int(left * 1000)],
        )
        if granted == 1:
            return Slot(True)
        if granted == -1:
            return Slot(False, max(wait_ms, 1000) / 1000.0, f"daily cap of {self.daily_cap} messages reached")
        return Slot(
            False, max(wait_ms, 1) / 1000.0, "pacing this WhatsApp number (about one message a minute)"
        )

    def sent_today(self) -> int:
        day, _ = self._today()
        return int(self._client.get(f"{self._base}:day:{day}") or 0)

    def next_send_in(self) -> float:
        """Seconds until the number may send again (0: now)."""
        left = self._client.pttl(f"{self._base}:next")
        return max(left, 0) / 1000.0
