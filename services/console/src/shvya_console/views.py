"""Rendering: the templates, what every page is given, and the partials htmx asks for."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from shvya_console import csrf, formats, i18n


def templates() -> Jinja2Templates:
    folder = str(resources.files("shvya_console") / "templates")
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(("html", "svg", "xml")),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.catalogue(), newstyle=True)
    env.filters.update(
        when=formats.when,
        ago=formats.ago,
        channel=formats.channel_name,
        status_label=formats.status_label,
        direction=formats.direction,
        delivery=formats.delivery,
    )
    env.globals.update(ts=formats.ts_datetime)
    return Jinja2Templates(env=env)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200):
    """The template with what every page uses: the person, the anti-forgery token, the page's
    section for the navigation."""
    values: dict[str, Any] = {
        "me": getattr(request.state, "me", None),
        "csrf_token": csrf.token_for(request.app.state.secret_key, csrf.cookie_value(request)),
        "csrf_field": csrf.FIELD,
        "development": request.app.state.settings.development,
        "now": datetime.now(UTC),
    }
    values.update(context or {})
    return request.app.state.templates.TemplateResponse(request, name, values, status_code=status_code)
