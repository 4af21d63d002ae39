"""Process-wide logging setup, called once from each entry point: structured lines from every service."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, MutableMapping
from typing import Any

import structlog

# JSON is what a log collector (Loki, Elasticsearch, CloudWatch) indexes; a person at a terminal, or
# reading `make logs`, wants one readable line instead. SHVYA_LOG_FORMAT chooses; the default follows
# whether stderr is a terminal, so a container writes JSON and a shell session reads text.
FORMATS = ("json", "console")


def log_format(explicit: str | None = None) -> str:
    """The format to write: `explicit`, else SHVYA_LOG_FORMAT, else by whether stderr is a terminal."""
    chosen = (explicit or os.environ.get("SHVYA_LOG_FORMAT") or "").strip().lower()
    if not chosen:
        return "console" if sys.stderr.isatty() else "json"
    if chosen not in FORMATS:
        raise ValueError(f"SHVYA_LOG_FORMAT must be one of {', '.join(FORMATS)}, not {chosen!r}")
    return chosen


def _with_service(service: str) -> Callable[[Any, str, MutableMapping[str, Any]], MutableMapping[str, Any]]:
    def add(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        event.setdefault("service", service)
        return event

    return add


_FIRST = ("timestamp", "level", "service", "logger", "message")


def _first_keys_first(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> dict[str, Any]:
    """The same keys in the same place on every line, so a person can scan a column of them."""
    ordered = {key: event.pop(key) for key in _FIRST if key in event}
    ordered.update(event)
    return ordered


def _without_colour_copies(
    _logger: Any, _name: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    # uvicorn passes its message a second time, with terminal colour codes, as `color_message`.
    event.pop("color_message", None)
    return event


def configure_logging(service: str, level: str = "INFO", fmt: str | None = None) -> None:
    """Every record, from our code through the standard library or structlog and from libraries
    (grpc, uvicorn, dramatiq), becomes one line with the time, level, service, logger and message,
    plus whatever ids the code handling it bound (see log_context)."""
    chosen = log_format(fmt)
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _with_service(service),
        structlog.stdlib.ExtraAdder(),
        _without_colour_copies,
    ]
    if chosen == "json":
        final: list[Any] = [
            structlog.processors.format_exc_info,
            structlog.processors.EventRenamer("message"),
            _first_keys_first,
            structlog.processors.JSONRenderer(),
        ]
    else:
        final = [structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty(), pad_event_to=0)]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *final],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
