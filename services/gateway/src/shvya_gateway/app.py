"""Builds the gateway application: routers, middleware, error handlers, backends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from shvya_gateway import docs_pages, errors, openapi_doc, tracing
from shvya_gateway.backends import Backends
from shvya_gateway.bot_check import BotCheck
from shvya_gateway.channel_setup import ChannelSetup
from shvya_gateway.deps import plain_text_parameters
from shvya_gateway.dispatch import FastDispatch
from shvya_gateway.edge import RequestEdge
from shvya_gateway.metrics import Metrics
from shvya_gateway.metrics import router as metrics_router
from shvya_gateway.rate_limits import IntakeLimits
from shvya_gateway.routers import (
    ai_config,
    api_keys,
    assignment,
    auth,
    clock,
    companies,
    consent,
    counsellors,
    health,
    inbound,
    knowledge,
    lead_finding,
    lead_work,
    leads,
    privacy,
    questions,
    queue,
    sequences,
    templates,
    unsubscribe,
    webhooks,
    whatsapp,
    whatsapp_admin,
)
from shvya_gateway.routers import users as users_router
from shvya_gateway.settings import GatewaySettings

DESCRIPTION = """
Shvya turns a course website's form submissions into sales conversations.

Post a form to `POST /inbound-message`; within seconds the student gets a reply on
WhatsApp or email that answers from the course catalogue, and every lead, message
and decision is recorded. Point Meta's WhatsApp Cloud API webhook at
`/webhooks/whatsapp`: students' replies continue their conversations.

Admin endpoints need `Authorization: Bearer <credential>`: a person's session token from
`POST /auth/login`, a company API key (`/api-keys`), or the platform operator's `ADMIN_TOKEN`.
The crm decides what each may do, by company and role (owner, admin, counsellor) or by the key's
scopes.
"""


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.backends = backends = Backends.open(settings)
        app.state.fast_dispatch = FastDispatch(
            backends.crm,
            backends.conductor,
            app.state.metrics,
            settings.request_timeout_seconds,
            # Traced, each request's jobs go in a call of their own, inside the request's trace.
            batched=not traced,
        )
        app.state.intake_limits = IntakeLimits.open(settings)
        app.state.bot_check = BotCheck.open(settings)
        try:
            yield
        finally:
            await app.state.fast_dispatch.close()
            await app.state.backends.close()
            if app.state.intake_limits is not None:
                await app.state.intake_limits.close()
            if app.state.bot_check is not None:
                await app.state.bot_check.close()

    app = FastAPI(
        title="Shvya gateway",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        max_body_size=settings.max_body_bytes,
        dependencies=[Depends(plain_text_parameters)],
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.metrics = Metrics()
    app.state.channel_setup = ChannelSetup()
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Content-Type", "Idempotency-Key", "Authorization", "X-Admin-Token"],
    )
    traced = tracing.instrument(app)
    app.add_middleware(RequestEdge, metrics=app.state.metrics, span_ids=traced)
    errors.install(app)
    docs_pages.install(app)
    routers = (
        inbound.router,
        whatsapp.router,
        queue.router,
        # Before leads.router: /leads/counts and /leads/export.csv are not /leads/{lead_id}.
        lead_finding.router,
        lead_work.router,
        leads.router,
        counsellors.router,
        assignment.router,
        knowledge.router,
        ai_config.router,
        questions.router,
        whatsapp_admin.router,
        clock.router,
        companies.router,
        templates.router,
        sequences.router,
        webhooks.router,
        consent.router,
        privacy.router,
        auth.router,
        users_router.router,
        api_keys.router,
        unsubscribe.router,
        health.router,
        metrics_router,
    )
    for router in routers:
        app.include_router(router)
    openapi_doc.install(app)
    return app
