"""A client's default deadline: every call that sets no timeout of its own gets the channel's.

Kept as an interceptor rather than the `timeout` of the channel's service config, which gRPC
Python applies wrongly (a known, open upstream bug): with grpcio 1.85 a service-config timeout of
one second ended calls to a healthy local server with DEADLINE_EXCEEDED after about 10 ms.
"""

from __future__ import annotations

import grpc
from grpc import aio


class _Details(grpc.ClientCallDetails):
    def __init__(self, details, timeout: float) -> None:
        self.method = details.method
        self.timeout = timeout
        self.metadata = details.metadata
        self.credentials = details.credentials
        self.wait_for_ready = details.wait_for_ready
        self.compression = details.compression


class DefaultDeadline(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """For synchronous channels."""

    def __init__(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError("a default deadline must be positive")
        self._seconds = seconds

    def _with_deadline(self, details):
        return details if details.timeout is not None else _Details(details, self._seconds)

    def intercept_unary_unary(self, continuation, client_call_details, request):
        return continuation(self._with_deadline(client_call_details), request)

    def intercept_unary_stream(self, continuation, client_call_details, request):
        return continuation(self._with_deadline(client_call_details), request)


class AioDefaultDeadline(aio.UnaryUnaryClientInterceptor):
    """For asyncio channels."""

    def __init__(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError("a default deadline must be positive")
        self._seconds = seconds

    async def intercept_unary_unary(self, continuation, client_call_details, request):
        if client_call_details.timeout is None:
            client_call_details = aio.ClientCallDetails(
                client_call_details.method,
                self._seconds,
                client_call_details.metadata,
                client_call_details.credentials,
                client_call_details.wait_for_ready,
            )
        return await continuation(client_call_details, request)
