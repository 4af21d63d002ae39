"""What the mesh's Redis knows of an erased lead, deleted: the gateway's rate-limit counters for its
phone and email, the first-email marks, the channels' send-ledger entries and pacing gaps.

Every key here also expires by itself (minutes to days); an erasure does not wait for that."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from shvya_gateway.rate_limits import email_key, phone_key
from shvya_gateway.settings import GatewaySettings

log = logging.getLogger(__name__)

_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")


def _literal(value: str) -> str:
    """`value` matched as itself in a SCAN pattern."""
    return _GLOB_SPECIAL.sub(r"\\\1", value)


def patterns(
    prefix: str, phones: Iterable[str], emails: Iterable[str], send_keys: Iterable[str]
) -> list[str]:
    """The SCAN patterns and exact keys under which the mesh keeps these phones, emails and sends."""
    found: list[str] = []
    for phone in phones:
        digits = phone_key(phone)
        if not digits:
            continue
        # limits' keys read <prefix>:LIMITER/<reason>/<value>/<amount>/<multiples>/<granularity>.
        found.append(f"{prefix}:gateway:limits*/phone/{digits}/*")
        # The Cloud API's gap between two messages to one person (pacing.CloudPacing).
        found.append(f"{prefix}:channels:whatsapp_cloud:*:to:*{digits}")
    for email in emails:
        key = email_key(email)
        found.append(f"{prefix}:gateway:limits*/email/{_literal(key)}/*")
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        found.append(f"{prefix}:gateway:known-email:*:{digest}")
    found.extend(f"{prefix}:channels:send:{_literal(k)}" for k in send_keys)
    return found


async def forget(
    settings: GatewaySettings, phones: Iterable[str], emails: Iterable[str], send_keys: Iterable[str]
) -> int | None:
    """Deletes every matching key; the number deleted, or None when Redis did not answer."""
    client = aioredis.Redis.from_url(settings.redis_url, socket_timeout=2.0, socket_connect_timeout=2.0)
    deleted = 0
    try:
        for pattern in patterns(settings.redis_prefix, phones, emails, send_keys):
            keys = [key async for key in client.scan_iter(match=pattern, count=500)]
            if keys:
                deleted += await client.delete(*keys)
    except (RedisError, OSError) as exc:
        log.warning("erasure: Redis keys not deleted (%s); they expire by themselves", exc)
        return None
    finally:
        await client.aclose()
    return deleted
