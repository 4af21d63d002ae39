"""What the shared package's tests share."""

from __future__ import annotations

import logging

import pytest
import structlog


@pytest.fixture
def restore_logging():
    """Puts the root logger and structlog back as they were: the tests configure logging."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()
