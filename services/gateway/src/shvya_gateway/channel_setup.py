"""Whether the channel a lead asks for is set up in this deployment, asked of its channels service."""

from __future__ import annotations

import time

from grpc import aio

from shvya.channels.v1 import channels_service_pb2 as channels_pb
from shvya_gateway.backends import Backends

# Setup changes only when an operator redeploys a channel, while intake runs hundreds of times a
# second: one question per channel this often is enough.
ANSWER_SECONDS = 10.0


class ChannelSetup:
    def __init__(self) -> None:
        self._answers: dict[str, tuple[float, str | None]] = {}

    async def missing(self, backends: Backends, channel: str, timeout: float) -> str | None:
        """What the deployment must set before `channel` can send, or None when it can (or when its
        channels service cannot be asked: a service restarting is not a setup missing)."""
        stub = backends.channels.get(channel)
        if stub is None:
            return None
        now = time.monotonic()
        cached = self._answers.get(channel)
        if cached is not None and now - cached[0] < ANSWER_SECONDS:
            return cached[1]
        try:
            described = await stub.DescribeChannel(channels_pb.DescribeChannelRequest(), timeout=timeout)
        except aio.AioRpcError:
            return None
        answer = None if described.configured else (described.detail or "the channel is not configured")
        self._answers[channel] = (now, answer)
        return answer
