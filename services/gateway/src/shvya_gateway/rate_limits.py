"""Rate limits on the public intake, counted in Redis so that every gateway replica shares them."""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass

import redis.asyncio as aioredis
from limits import RateLimitItem, parse_many
from redis.exceptions import RedisError

from shvya_gateway.settings import GatewaySettings

log = logging.getLogger(__name__)

# A Redis that does not answer must not hold up the intake for long.
_REDIS_TIMEOUT_SECONDS = 0.5

# Every limit of a form in one round trip. Each limit is the `limits` library's sliding window
# counter (its acquire_sliding_window.lua, cost 1, on the same keys, so replicas running the
# library and this script count together): a counter for the current window and one for the
# previous, whose count weighs by how much of it is still inside the window. Limits are taken in
# order and a form's hits stay counted up to the one that refuses it, as one `hit()` after
# another did. After them, the new-address cap: an email address seen for the first time is
# remembered (SET NX) and counts against it, and is forgotten again if the cap refuses it.
#
# KEYS: (previous, current) per limit, then the known-address key if ARGV[2] > 0.
# ARGV: limits before the cap, limits of the cap, the known address's lifetime (seconds), then
# (amount, expiry seconds) per limit.
# Returns {0} when the form may enter, else {the refusing limit's position from 1, previous
# count, previous ttl ms, current count, current ttl ms}: what the library's window stats read.
_CHECK = """
local function window(previous, current, expiry)
    local current_ttl = tonumber(redis.call('pttl', current))
    if current_ttl > 0 and current_ttl < expiry then
        redis.call('rename', current, previous)
        redis.call('set', current, 0, 'PX', current_ttl + expiry)
    end
end

local function acquire(previous, current, limit, expiry)
    if limit < 1 then
        return false
    end
    window(previous, current, expiry)
    local previous_count = tonumber(redis.call('get', previous)) or 0
    local previous_ttl = tonumber(redis.call('pttl', previous)) or 0
    local current_count = tonumber(redis.call('get', current)) or 0
    if previous_ttl <= 0 then
        previous_ttl = 0
    end
    if math.floor(previous_count * previous_ttl / expiry) + current_count + 1 > limit then
        return false
    end
    if redis.call('exists', current) == 1 then
        redis.call('incrby', current, 1)
    else
        redis.call('set', current, 1, 'PX', expiry * 2)
    end
    return true
end

local function refused(n, previous, current, expiry)
    window(previous, current, expiry)
    return {
        n,
        tonumber(redis.call('get', previous)) or 0,
        tonumber(redis.call('pttl', previous)) or 0,
        tonumber(redis.call('get', current)) or 0,
        tonumber(redis.call('pttl', current)) or 0,
    }
end

local limits = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local function check(n)
    local limit = tonumber(ARGV[2 + 2 * n])
    local expiry = tonumber(ARGV[3 + 2 * n]) * 1000
    local previous, current = KEYS[2 * n - 1], KEYS[2 * n]
    if acquire(previous, current, limit, expiry) then
        return nil
    end
    return refused(n, previous, current, expiry)
end

for n = 1, limits do
    local refusal = check(n)
    if refusal then
        return refusal
    end
end
if cap > 0 then
    local known = KEYS[2 * (limits + cap) + 1]
    if not redis.call('set', known, 1, 'NX', 'EX', tonumber(ARGV[3])) then
        return {0}
    end
    for n = limits + 1, limits + cap do
        local refusal = check(n)
        if refusal then
            redis.call('del', known)
            return refusal
        end
    end
end
return {0}
"""


@dataclass(frozen=True)
class Refusal:
    """Why a form is refused, for the 429, and when to try again."""

    reason: str
    detail: str
    retry_after: int


def phone_key(phone: str) -> str:
    # Digits only: "+91 98765-43210" and "+919876543210" are one number to a limit.
    return "".join(c for c in phone if c.isdigit())


def email_key(email: str) -> str:
    # "Rahul+1@Example.com" and "rahul@example.com" reach one mailbox.
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def _items(spec: str) -> list[RateLimitItem]:
    return parse_many(spec) if spec else []


def _retry_after(
    expiry: int, previous_count: int, previous_ms: int, current_count: int, current_ms: int
) -> int:
    """Seconds until the window lets one more form in, worked out as the `limits` library's
    window stats do (the sooner of a previous-window hit ageing out and the current window
    ending), at least 1."""
    previous_s, current_s = max(0, previous_ms) / 1000, max(0, current_ms) / 1000
    if not (previous_count or current_count):
        return 1
    reset_in = math.inf
    if previous_count:
        reset_in = previous_s % (expiry / previous_count)
    if current_count:
        reset_in = min(reset_in, current_s % expiry)
    return max(1, math.ceil(reset_in))


@dataclass(frozen=True)
class _Limit:
    reason: str
    detail: str
    item: RateLimitItem


_ADDRESS = ("address", "too many forms from this address")
_PHONE = ("phone", "too many forms for this phone number")
_EMAIL = ("email", "too many forms for this email address")
_COMPANY = ("company", "too many forms for this company")
_NEW_EMAIL = ("new_email", "too many first emails to new addresses for this company")


@dataclass
class IntakeLimits:
    _redis: aioredis.Redis
    _script: object
    _prefix: str
    _known_seconds: int
    per_address: list[RateLimitItem]
    per_phone: list[RateLimitItem]
    per_email: list[RateLimitItem]
    per_company: list[RateLimitItem]
    new_addresses: list[RateLimitItem]

    @classmethod
    def open(cls, settings: GatewaySettings) -> IntakeLimits | None:
        if not settings.rate_limits_enabled:
            return None
        client = aioredis.Redis.from_url(
            settings.redis_url,
            socket_timeout=_REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=_REDIS_TIMEOUT_SECONDS,
        )
        return cls(
            _redis=client,
            _script=client.register_script(_CHECK),
            _prefix=f"{settings.redis_prefix}:gateway",
            _known_seconds=settings.known_email_seconds,
            per_address=_items(settings.rate_limit_per_address),
            per_phone=_items(settings.rate_limit_per_phone),
            per_email=_items(settings.rate_limit_per_email),
            per_company=_items(settings.rate_limit_per_company),
            new_addresses=_items(settings.new_email_addresses_per_company),
        )

    def _keys(self, item: RateLimitItem, *identifiers: str) -> tuple[str, str]:
        # The library's names: "{key}" for the current window, "{key}/-1" for the previous.
        current = f"{self._prefix}:limits:{{{item.key_for(*identifiers)}}}"
        return f"{current}/-1", current

    async def check(self, *, address: str, phone: str, email: str | None, company: str) -> Refusal | None:
        """Counts one form against each limit, the narrowest first: a flood from one address is
        stopped before it spends its company's allowance. A Redis that is down refuses nothing."""
        checks = [(_ADDRESS, self.per_address, address), (_PHONE, self.per_phone, phone_key(phone))]
        if email:
            checks.append((_EMAIL, self.per_email, email_key(email)))
        checks.append((_COMPANY, self.per_company, company))
        limits = [(why, item, value, "") for why, items, value in checks for item in items]
        cap = []
        if email and self.new_addresses:
            cap = [(_NEW_EMAIL, item, company, "new-email") for item in self.new_addresses]
        if not limits and not cap:
            return None
        keys: list[str] = []
        args: list[int] = [len(limits), len(cap), self._known_seconds]
        for why, item, value, name in (*limits, *cap):
            keys.extend(self._keys(item, name or why[0], value))
            args.extend((item.amount, item.get_expiry()))
        if cap:
            digest = hashlib.sha256(email_key(email).encode()).hexdigest()[:32]
            keys.append(f"{self._prefix}:known-email:{company}:{digest}")
        try:
            answer = await self._script(keys=keys, args=args)
        except (RedisError, OSError) as exc:
            log.warning("intake rate limits not enforced: Redis unavailable (%s)", exc)
            return None
        if not answer[0]:
            return None
        (reason, detail), item, _, _ = (*limits, *cap)[answer[0] - 1]
        return Refusal(reason, detail, _retry_after(item.get_expiry(), *(int(v) for v in answer[1:])))

    async def close(self) -> None:
        await self._redis.aclose()
