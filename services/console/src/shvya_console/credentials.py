"""The signed-in person's crm session, carried from the request to every backend call it makes.

The crm decides what the person may do; the console only forwards who they are."""

from __future__ import annotations

from contextvars import ContextVar

from grpc import aio

# The metadata key the crm reads a person's credential from.
CREDENTIAL_HEADER = "x-shvya-credential"

# Set by the session dependency; each request runs in its own task, so its own context.
forwarded: ContextVar[str | None] = ContextVar("shvya_console_credential", default=None)


class CredentialForwarder(aio.UnaryUnaryClientInterceptor):
    """Adds the request's session token to each call; without one (the sign-in page) the call
    carries no person, and the crm allows only what is public."""

    async def intercept_unary_unary(self, continuation, client_call_details, request):
        credential = forwarded.get()
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
