"""Process-wide logging setup, called once from each entry point."""

from __future__ import annotations

import logging
import sys


def configure_logging(service: str, level: str = "INFO") -> None:
    """Plain, greppable lines on stderr: time, level, service, logger, message."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter(f"%(asctime)s %(levelname)s {service} %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
