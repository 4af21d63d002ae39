"""The console's FastAPI app: pages, their partials, the live stream and the static assets."""

from __future__ import annotations

import secrets
import time
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles

from shvya_console import csrf, errors, tracing, views
from shvya_console.backends import Backends
from shvya_console.routes import (
    auth,
    conversation,
    dashboard,
    health,
    inbox,
    knowledge,
    leads,
    operations,
    people,
    pipeline,
    settings_pages,
)
from shvya_console.settings import ConsoleSettings

# What every page's response says to the browser: no framing (clickjacking), no sniffing, and
# only the console's own scripts, styles and images (no CDN, no inline script).
_SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}


def create_app(settings: ConsoleSettings | None = None) -> FastAPI:
    settings = settings or ConsoleSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.backends = Backends.open(settings)
        try:
            yield
        finally:
            await app.state.backends.close()

    app = FastAPI(
        title="Shvya console",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf.verify)],
    )
    app.state.settings = settings
    app.state.secret_key = (
        settings.secret_key.get_secret_value().encode() if settings.secret_key else secrets.token_bytes(32)
    )
    app.state.templates = views.templates()

    @app.middleware("http")
    async def _defaults(request: Request, call_next):
        # A first visit gets its anti-forgery cookie with the page that carries the first token.
        request.state.new_csrf_cookie = None
        if csrf.COOKIE not in request.cookies:
            request.state.new_csrf_cookie = csrf.new_cookie_value()
        response = await call_next(request)
        if request.state.new_csrf_cookie:
            response.set_cookie(
                csrf.COOKIE,
                request.state.new_csrf_cookie,
                httponly=True,
                secure=settings.cookie_secure,
                samesite="strict",
                path="/",
            )
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.middleware("http")
    async def _server_timing(request: Request, call_next):
        # The server's own time for the request (the crm's answers and rendering), which a browser's
        # developer tools and the bench read apart from the network's.
        started = time.perf_counter()
        response = await call_next(request)
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    errors.install(app)
    # Before any request: the spans of the pages' gRPC calls hang under the page's own.
    tracing.instrument(app)
    static = resources.files("shvya_console") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for module in (
        health,
        auth,
        inbox,
        # Before conversation: /leads/export.csv and /leads/import are not a lead's /leads/{lead_id}.
        leads,
        conversation,
        pipeline,
        knowledge,
        settings_pages,
        operations,
        people,
        dashboard,
    ):
        app.include_router(module.router)
    return app
