"""Garbage collection for long-running services: what was built at start-up is never scanned again.

A service imports SQLAlchemy, grpc, protobuf and pydantic and builds its app before it serves:
hundreds of thousands of objects that live as long as the process. CPython's oldest generation
holds them, and every full collection walks them all while the service's threads wait.
`gc.freeze()` moves them to a generation the collector ignores.
"""

from __future__ import annotations

import gc
import logging
import os

log = logging.getLogger(__name__)


def freeze_startup_objects() -> None:
    """Call once, from a service's entry point, when it is built and about to serve (not from
    code tests run in their own process: what they leave alive then would never be collected).
    A request already in flight when a server calls it may leave a few of its objects frozen:
    a bounded, one-off cost. SHVYA_GC_FREEZE=0 turns it off."""
    if os.environ.get("SHVYA_GC_FREEZE", "1") == "0":
        return
    gc.collect()
    gc.freeze()
    log.debug("%d start-up objects frozen out of garbage collection", gc.get_freeze_count())
