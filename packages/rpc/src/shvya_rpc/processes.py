"""Several processes serving one port: the way past the GIL for a CPU-bound gRPC server.

gRPC Python serves every call of a process under one GIL, so a server whose calls are
mostly Python (the crm, in SQLAlchemy) tops out at one core. The pattern gRPC documents
(examples/python/multiprocessing) is to fork before any gRPC object exists and let each
child bind the same port with SO_REUSEPORT; the kernel spreads connections over them.

The parent only supervises: SIGTERM or SIGINT is passed on to every child, which stops
gracefully; a child that dies on its own stops the rest and the parent exits non-zero,
so the process manager (Kubernetes, compose, make up) restarts the whole set.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable

from shvya_rpc import metrics, tracing

log = logging.getLogger(__name__)


def _child(target: Callable[[threading.Event], None], index: int, parent: int) -> None:
    stop = threading.Event()

    def _handle(signum: int, _frame: object) -> None:
        log.info("process %d received %s, shutting down", index, signal.Signals(signum).name)
        stop.set()

    def _orphaned() -> None:
        # A parent killed outright (SIGKILL, OOM) cannot pass a signal on: the child
        # notices it was handed to another parent, and stops rather than serve on unsupervised.
        while not stop.wait(0.5):
            if os.getppid() != parent:
                log.warning("process %d lost its parent %d; shutting down", index, parent)
                stop.set()

    signal.signal(signal.SIGTERM, _handle)
    signal.signal(signal.SIGINT, _handle)
    threading.Thread(target=_orphaned, name="parent-watch", daemon=True).start()
    # Each process has its own counters: each serves them on its own port, next to the others'.
    metrics.serve_metrics(offset=index)
    target(stop)
    # A forked child leaves without running atexit handlers: its last spans go now.
    tracing.flush()


def run_processes(
    target: Callable[[threading.Event], None], count: int, *, grace_seconds: float = 15.0
) -> int:
    """Runs `target(stop)` in `count` forked processes until SIGTERM/SIGINT or a child's death.

    `target` must create every gRPC object itself (after the fork) and return once `stop`
    is set. Returns the exit code for the parent: 0 after a requested stop, 1 otherwise."""
    context = multiprocessing.get_context("fork")
    # A plain flag, not an Event: a handler that takes a lock the interrupted code holds hangs.
    requested = False

    def _handle(signum: int, _frame: object) -> None:
        nonlocal requested
        requested = True

    previous = {s: signal.signal(s, _handle) for s in (signal.SIGTERM, signal.SIGINT)}
    children = []
    try:
        for index in range(count):
            child = context.Process(
                target=_child, args=(target, index, os.getpid()), name=f"serve-{index}", daemon=False
            )
            child.start()
            children.append(child)
        log.info("serving with %d processes: %s", count, ", ".join(str(c.pid) for c in children))
        while not requested:
            if any(not c.is_alive() for c in children):
                dead = [f"{c.pid} (exit {c.exitcode})" for c in children if not c.is_alive()]
                log.error("serving process %s ended on its own; stopping the others", ", ".join(dead))
                break
            time.sleep(0.2)
        if requested:
            log.info("stopping %d processes", count)
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()  # SIGTERM: the child stops gracefully
        deadline = time.monotonic() + grace_seconds  # one grace period for all of them
        for child in children:
            child.join(max(deadline - time.monotonic(), 0))
            if child.is_alive():
                log.error("process %s did not stop within %.0fs; killing it", child.pid, grace_seconds)
                child.kill()
                child.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0 if requested else 1
