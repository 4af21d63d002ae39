"""The public intake's defences, in the order they run: honeypot, bot check, rate limits."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from shvya_gateway.bot_check import BotCheck, BotCheckUnavailable
from shvya_gateway.errors import validation_error
from shvya_gateway.rate_limits import IntakeLimits
from shvya_gateway.schemas import InboundMessage
from shvya_gateway.settings import GatewaySettings

log = logging.getLogger(__name__)


async def refusal(
    request: Request, data: dict[str, Any], body: InboundMessage, settings: GatewaySettings
) -> JSONResponse | None:
    """The answer that refuses this form, or None when it may enter."""
    metrics = request.app.state.metrics
    address = request.client.host if request.client else "unknown"
    honeypot = settings.honeypot_field
    if honeypot and str(data.get(honeypot, "")).strip():
        metrics.intake_refused.labels("honeypot").inc()
        return validation_error(("body", honeypot), "must be empty", "honeypot")
    bot_check: BotCheck | None = request.app.state.bot_check
    if bot_check is not None:
        token = data.get(bot_check.field)
        if not isinstance(token, str) or not token.strip():
            metrics.intake_refused.labels("bot_check").inc()
            return validation_error(("body", bot_check.field), "the bot check's token is required", "missing")
        try:
            passed = await bot_check.passed(token.strip(), address)
        except BotCheckUnavailable as exc:
            log.warning("bot check unavailable: %s", exc)
            return JSONResponse(
                {"detail": "the bot check could not be verified; try again"},
                status_code=503,
                headers={"Retry-After": "5"},
            )
        if not passed:
            metrics.intake_refused.labels("bot_check").inc()
            return JSONResponse({"detail": "the bot check failed"}, status_code=403)
    limits: IntakeLimits | None = request.app.state.intake_limits
    if limits is not None:
        refused = await limits.check(
            address=address,
            phone=body.phone_number,
            email=body.email if body.channel == "email" else None,
            company=str(body.company_id) if body.company_id else "default",
        )
        if refused is not None:
            metrics.intake_refused.labels(refused.reason).inc()
            return JSONResponse(
                {"detail": refused.detail, "limit": refused.reason},
                status_code=429,
                headers={"Retry-After": str(refused.retry_after)},
            )
    return None
