"""Rate limits on the public intake, counted in Redis so that every gateway replica shares them."""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

import redis.asyncio as aioredis
from limits import RateLimitItem, parse_many
from limits.aio.storage import RedisStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError
from redis.exceptions import RedisError

from shvya_gateway.settings import GatewaySettings

log = logging.getLogger(__name__)

# A Redis that does not answer must not hold up the intake for long.
_REDIS_TIMEOUT_SECONDS = 0.5


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


@dataclass
class IntakeLimits:
    _limiter: SlidingWindowCounterRateLimiter
    _storage: RedisStorage
    _redis: aioredis.Redis
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
        prefix = f"{settings.redis_prefix}:gateway"
        timeouts = {
            "socket_timeout": _REDIS_TIMEOUT_SECONDS,
            "socket_connect_timeout": _REDIS_TIMEOUT_SECONDS,
        }
        storage = RedisStorage(
            f"async+{settings.redis_url}",
            implementation="redispy",
            key_prefix=f"{prefix}:limits",
            wrap_exceptions=True,
            **timeouts,
        )
        return cls(
            _limiter=SlidingWindowCounterRateLimiter(storage),
            _storage=storage,
            _redis=aioredis.Redis.from_url(settings.redis_url, **timeouts),
            _prefix=prefix,
            _known_seconds=settings.known_email_seconds,
            per_address=_items(settings.rate_limit_per_address),
            per_phone=_items(settings.rate_limit_per_phone),
            per_email=_items(settings.rate_limit_per_email),
            per_company=_items(settings.rate_limit_per_company),
            new_addresses=_items(settings.new_email_addresses_per_company),
        )

    async def check(self, *, address: str, phone: str, email: str | None, company: str) -> Refusal | None:
        """Counts one form against each limit, the narrowest first: a flood from one address is
        stopped before it spends its company's allowance. A Redis that is down refuses nothing."""
        checks = [
            ("address", "too many forms from this address", self.per_address, address),
            ("phone", "too many forms for this phone number", self.per_phone, phone_key(phone)),
        ]
        if email:
            checks.append(
                ("email", "too many forms for this email address", self.per_email, email_key(email))
            )
        checks.append(("company", "too many forms for this company", self.per_company, company))
        try:
            for reason, detail, items, value in checks:
                for item in items:
                    if not await self._limiter.hit(item, reason, value):
                        return Refusal(reason, detail, await self._retry_after(item, reason, value))
            if email and self.new_addresses:
                return await self._new_address(company, email_key(email))
        except (StorageError, RedisError, OSError) as exc:
            log.warning("intake rate limits not enforced: Redis unavailable (%s)", exc)
        return None

    async def _new_address(self, company: str, email: str) -> Refusal | None:
        digest = hashlib.sha256(email.encode()).hexdigest()[:32]
        known = f"{self._prefix}:known-email:{company}:{digest}"
        if not await self._redis.set(known, b"1", nx=True, ex=self._known_seconds):
            return None
        for item in self.new_addresses:
            if not await self._limiter.hit(item, "new-email", company):
                # Not known after all: it is counted when a form for it is accepted.
                await self._redis.delete(known)
                return Refusal(
                    "new_email",
                    "too many first emails to new addresses for this company",
                    await self._retry_after(item, "new-email", company),
                )
        return None

    async def _retry_after(self, item: RateLimitItem, *identifiers: str) -> int:
        stats = await self._limiter.get_window_stats(item, *identifiers)
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def close(self) -> None:
        await self._redis.aclose()
