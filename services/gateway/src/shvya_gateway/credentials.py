"""The caller's credential, carried from its request to every crm call it makes (the crm decides)."""

from __future__ import annotations

from contextvars import ContextVar

from grpc import aio

# The metadata key the crm reads a person's or an integration's credential from.
CREDENTIAL_HEADER = "x-shvya-credential"
# Prefixes of what the crm issues: a session token and an API key.
SESSION_PREFIX = "shvs_"
API_KEY_PREFIX = "shvk_"

# Set by the authentication dependency; each request runs in its own task, so its own context.
forwarded: ContextVar[str | None] = ContextVar("shvya_gateway_credential", default=None)


class CredentialForwarder(aio.UnaryUnaryClientInterceptor):
    """Adds the request's credential to each crm call; without one, the call is the gateway's own
    (intake, the public pages), which the crm treats as the system's."""

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
