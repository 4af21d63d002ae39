"""A caller's crm credential, passed on from a request a service serves to the crm calls it makes
for that request, so that the crm decides what the person or key may do: `forwarding` and
CredentialForwarder for synchronous gRPC, `forward` and AioCredentialForwarder for asyncio
(the gateway and the console, where each request runs in its own task)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import grpc
from grpc import aio

# The metadata key the crm reads a person's or an integration's credential from.
CREDENTIAL_HEADER = "x-shvya-credential"

_forwarded: ContextVar[str | None] = ContextVar("shvya_rpc_forwarded_credential", default=None)


def credential_of(context: grpc.ServicerContext) -> str | None:
    """The credential the caller of the RPC being served sent, if any."""
    for key, value in context.invocation_metadata() or ():
        if key == CREDENTIAL_HEADER:
            return value.decode() if isinstance(value, bytes) else value
    return None


@contextmanager
def forwarding(credential: str | None) -> Iterator[None]:
    """Calls through a CredentialForwarder inside this block carry `credential`; with None they
    are the service's own (the crm treats them as the system's)."""
    token = _forwarded.set(credential)
    try:
        yield
    finally:
        _forwarded.reset(token)


def forward(credential: str | None) -> None:
    """From here on in the current context (an HTTP request's task), calls through an
    AioCredentialForwarder carry `credential`; None makes them the service's own again."""
    _forwarded.set(credential)


def forwarded() -> str | None:
    """The credential calls made now would carry."""
    return _forwarded.get()


class _Details(grpc.ClientCallDetails):
    def __init__(self, details, credential: str) -> None:
        self.method = details.method
        self.timeout = details.timeout
        self.metadata = (*(details.metadata or ()), (CREDENTIAL_HEADER, credential))
        self.credentials = details.credentials
        self.wait_for_ready = details.wait_for_ready
        self.compression = details.compression


class CredentialForwarder(grpc.UnaryUnaryClientInterceptor):
    """Adds the credential of the enclosing `forwarding` block to each call; outside one, a call
    goes as it is. Only the thread (or context) that entered the block forwards."""

    def intercept_unary_unary(self, continuation, client_call_details, request):
        credential = _forwarded.get()
        if credential is None:
            return continuation(client_call_details, request)
        return continuation(_Details(client_call_details, credential), request)


class AioCredentialForwarder(aio.UnaryUnaryClientInterceptor):
    """CredentialForwarder for asyncio channels: adds the credential `forward` set in the current
    context to each call; without one, a call goes as it is."""

    async def intercept_unary_unary(self, continuation, client_call_details, request):
        credential = _forwarded.get()
        if credential is None:
            return await continuation(client_call_details, request)
        metadata = aio.Metadata(*(client_call_details.metadata or ()))
        metadata.add(CREDENTIAL_HEADER, credential)
        details = aio.ClientCallDetails(
            client_call_details.method,
            client_call_details.timeout,
            metadata,
            client_call_details.credentials,
            client_call_details.wait_for_ready,
        )
        return await continuation(details, request)
