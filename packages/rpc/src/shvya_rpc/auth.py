"""Bearer-token authentication for the internal gRPC mesh."""

from __future__ import annotations

import hmac

import grpc
from grpc import aio

# Health checks come from kubelets and load balancers, reflection from
# tooling; neither carries credentials and neither exposes data.
_OPEN_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")


def _deny(_request: object, context: grpc.ServicerContext) -> None:
    context.abort(grpc.StatusCode.UNAUTHENTICATED, "missing or invalid bearer token")


class TokenAuthInterceptor(grpc.ServerInterceptor):
    """Rejects calls whose `authorization` metadata is not `Bearer <token>`."""

    def __init__(self, token: str) -> None:
        self._expected = f"Bearer {token}".encode()
        self._deny = grpc.unary_unary_rpc_method_handler(_deny)

    def intercept_service(self, continuation, handler_call_details):
        if handler_call_details.method.startswith(_OPEN_PREFIXES):
            return continuation(handler_call_details)
        for key, value in handler_call_details.invocation_metadata or ():
            if key == "authorization":
                given = value.encode() if isinstance(value, str) else value
                if hmac.compare_digest(given, self._expected):
                    return continuation(handler_call_details)
                break
        return self._deny


class TokenClientInterceptor(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """Adds the mesh token to every outgoing call of a synchronous channel."""

    def __init__(self, token: str) -> None:
        self._token = token

    def intercept_unary_unary(self, continuation, client_call_details, request):
        return continuation(_CallDetails.of(client_call_details, self._token), request)

    def intercept_unary_stream(self, continuation, client_call_details, request):
        return continuation(_CallDetails.of(client_call_details, self._token), request)


class _CallDetails(grpc.ClientCallDetails):
    def __init__(self, method, timeout, metadata, credentials, wait_for_ready, compression):
        self.method = method
        self.timeout = timeout
        self.metadata = metadata
        self.credentials = credentials
        self.wait_for_ready = wait_for_ready
        self.compression = compression

    @classmethod
    def of(cls, details, token: str) -> _CallDetails:
        metadata = list(details.metadata or ())
        metadata.append(("authorization", f"Bearer {token}"))
        return cls(
            details.method,
            details.timeout,
            metadata,
            details.credentials,
            details.wait_for_ready,
            details.compression,
        )


class AioTokenClientInterceptor(aio.UnaryUnaryClientInterceptor):
    """Adds the mesh token to every outgoing call of an asyncio channel."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def intercept_unary_unary(self, continuation, client_call_details, request):
        metadata = aio.Metadata(*(client_call_details.metadata or ()))
        metadata.add("authorization", f"Bearer {self._token}")
        details = aio.ClientCallDetails(
            client_call_details.method,
            client_call_details.timeout,
            metadata,
            client_call_details.credentials,
            client_call_details.wait_for_ready,
        )
        return await continuation(details, request)
