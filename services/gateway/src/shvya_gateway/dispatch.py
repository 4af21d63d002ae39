"""Hands the jobs requests leased at intake to the conductor, and counts what became of them."""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections import deque
from dataclasses import dataclass, field

from shvya_gateway.metrics import Metrics
from shvya_rpc.handover import Leased, Outcome, hand_over_async

log = logging.getLogger(__name__)

# The conductor takes at most this many leased jobs per DispatchJobs call.
MAX_JOBS_PER_CALL = 1000


@dataclass
class _Turn:
    jobs: list[Leased]
    # The request's context: its log ids, and its trace when a call carries only its jobs.
    context: contextvars.Context
    done: asyncio.Future = field(repr=False)


class FastDispatch:
    """The fast path to a reply, by the rule every door of the mesh follows (shvya_rpc.handover).

    Natural batching: while no hand-over is in flight, a request's jobs go at once, in a call of
    their own; the requests that come while one is in flight wait for it and then go together in
    the next call. An idle gateway adds no wait, and a busy one makes one DispatchJobs call (and
    one pass of the conductor) for the forms of a few milliseconds. A failed call gives every
    lease in it back, each counted and logged as a single failure is.

    With `batched` off (tracing on), each request's jobs keep a call of their own, made in the
    request's trace, so the conductor's spans descend from the request that leased the job.
    """

    def __init__(self, crm, conductor, metrics: Metrics, timeout: float, *, batched: bool = True) -> None:
        self._crm = crm
        self._conductor = conductor
        self._metrics = metrics
        self._timeout = timeout
        self._batched = batched
        self._waiting: deque[_Turn] = deque()
        self._drainer: asyncio.Task | None = None

    async def hand_over(self, jobs: list[Leased]) -> None:
        """Returns once the jobs are handed over (or their leases given back)."""
        if not jobs:
            return
        if not self._batched:
            await self._call(jobs)
            return
        loop = asyncio.get_running_loop()
        turn = _Turn(jobs, contextvars.copy_context(), loop.create_future())
        self._waiting.append(turn)
        if self._drainer is None:
            # A context of its own: the calls it makes belong to no one request unless it says so.
            self._drainer = loop.create_task(self._drain(), context=contextvars.Context())
        # Shielded: a request that stops waiting leaves its jobs in the queue, handed over all the same.
        await asyncio.shield(turn.done)

    async def close(self) -> None:
        """Waits for the jobs already taken in to be handed over."""
        while self._drainer is not None:
            await asyncio.shield(self._drainer)

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        batch: list[_Turn] = []
        try:
            while self._waiting:
                batch = self._take()
                jobs = [job for turn in batch for job in turn.jobs]
                context = batch[0].context if len(batch) == 1 else contextvars.Context()
                try:
                    await loop.create_task(self._call(jobs), context=context)
                except Exception:  # hand_over_async answers every failure itself: this is a bug
                    log.exception("fast dispatch of %d job(s) failed; the relay takes them", len(jobs))
                for turn in batch:
                    if not turn.done.done():
                        turn.done.set_result(None)
                batch = []
        finally:
            # Cancelled (the process is stopping): the leases left are the relay's when they end,
            # as when the gateway dies before a hand-over.
            for turn in (*batch, *self._waiting):
                if not turn.done.done():
                    turn.done.cancel()
            self._waiting.clear()
            self._drainer = None

    def _take(self) -> list[_Turn]:
        batch = [self._waiting.popleft()]
        count = len(batch[0].jobs)
        while self._waiting and count + len(self._waiting[0].jobs) <= MAX_JOBS_PER_CALL:
            batch.append(self._waiting.popleft())
            count += len(batch[-1].jobs)
        return batch

    async def _call(self, jobs: list[Leased]) -> dict[str, Outcome]:
        outcomes = await hand_over_async(self._crm, self._conductor, jobs, self._timeout)
        for outcome in outcomes.values():
            self._metrics.fast_dispatch.labels(outcome.value).inc()
        return outcomes
