"""The crm decides every call: the caller's credential, its principal and the RPC's policy."""

from __future__ import annotations

import logging

import grpc
from sqlalchemy import exc as sa_exc

from shvya_crm.people import policy, principals
from shvya_crm.settings import CrmSettings
from shvya_crm.storage import actor
from shvya_crm.storage.db import Database

log = logging.getLogger(__name__)

# The metadata key the gateway forwards a person's or an integration's credential in.
CREDENTIAL_HEADER = "x-shvya-credential"

# Health checks and reflection expose no company's data (as for the mesh token).
_OPEN_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")


def _credential(details: grpc.HandlerCallDetails) -> str | None:
    for key, value in details.invocation_metadata or ():
        if key == CREDENTIAL_HEADER:
            return value.decode() if isinstance(value, bytes) else value
    return None


class AuthorizationInterceptor(grpc.ServerInterceptor):
    """Calls without a credential come from mesh services (they passed the mesh token) and act as
    the system; a credential that names nobody is UNAUTHENTICATED; a principal the RPC's policy
    refuses, or an RPC with no policy at all, is PERMISSION_DENIED."""

    def __init__(self, settings: CrmSettings, db: Database) -> None:
        self._settings = settings
        self._db = db
        self._wrapped: dict[str, grpc.RpcMethodHandler] = {}

    def intercept_service(self, continuation, handler_call_details):
        method = handler_call_details.method
        handler = continuation(handler_call_details)
        if handler is None or method.startswith(_OPEN_PREFIXES) or handler.unary_unary is None:
            return handler
        credential = _credential(handler_call_details)
        wrapped = self._wrapped.get(method)
        if wrapped is None:
            wrapped = self._wrapped[method] = self._wrap(method, handler)
        if credential is None:
            return wrapped
        # The credential differs per call: a handler bound to it (cheap: one closure).
        return self._wrap(method, handler, credential)

    def _wrap(self, method: str, handler: grpc.RpcMethodHandler, credential: str | None = None):
        rule = policy.POLICY.get(method)
        serve = handler.unary_unary

        def behaviour(request, context: grpc.ServicerContext):
            if rule is None:
                # Fail closed: an RPC nobody declared a policy for is served to nobody.
                log.error("%s has no entry in the authorisation policy; refused", method)
                context.abort(grpc.StatusCode.PERMISSION_DENIED, f"{method} has no authorisation policy")
            principal = principals.SYSTEM
            if credential is not None:
                try:
                    principal = self._decide(credential, rule, request)
                except principals.Unauthenticated as exc:
                    context.abort(grpc.StatusCode.UNAUTHENTICATED, str(exc))
                except principals.PermissionDenied as exc:
                    context.abort(grpc.StatusCode.PERMISSION_DENIED, str(exc))
                except sa_exc.OperationalError as exc:
                    log.error("%s: database unavailable while authorising: %s", method, exc.orig)
                    context.abort(grpc.StatusCode.UNAVAILABLE, "database unavailable")
            token = principals.set_current(principal)
            try:
                with actor.acting_as(principal.actor):
                    return serve(request, context)
            finally:
                principals.reset_current(token)

        return grpc.unary_unary_rpc_method_handler(
            behaviour,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )

    def _decide(self, credential: str, rule: policy.Rule, request) -> principals.Principal:
        with self._db.transaction() as session:
            principal = principals.resolve(session, credential, self._settings.platform_token)
            policy.authorise(session, principal, rule, request, self._settings.default_company_id)
        return principal
