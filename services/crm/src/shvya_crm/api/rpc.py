"""What every crm servicer shares: one mapping of domain errors to gRPC status codes, and request parsing."""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable

import grpc
from sqlalchemy import exc as sa_exc

from shvya_crm.assignment.counsellors import NotPossible
from shvya_crm.leads import intake
from shvya_crm.people.principals import PermissionDenied, Unauthenticated
from shvya_rpc.errors import FieldErrors, abort_invalid

log = logging.getLogger(__name__)


def parse_uuid(value: str, field: str, *, required: bool = True) -> uuid.UUID | None:
    if not value:
        if required:
            raise FieldErrors({field: "is required"})
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise FieldErrors({field: "must be a UUID"}) from None


def rpc(method: Callable) -> Callable:
    """Maps domain exceptions to gRPC status codes, one place for every RPC."""

    @functools.wraps(method)
    def wrapper(self, request, context: grpc.ServicerContext):
        try:
            return method(self, request, context)
        except FieldErrors as exc:
            abort_invalid(context, exc.violations)
        except Unauthenticated as exc:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, str(exc))
        except PermissionDenied as exc:
            context.abort(grpc.StatusCode.PERMISSION_DENIED, str(exc))
        except LookupError as exc:
            context.abort(grpc.StatusCode.NOT_FOUND, str(exc).strip("'\""))
        except intake.IdempotencyConflict as exc:
            context.abort(
                grpc.StatusCode.FAILED_PRECONDITION,
                f"idempotency key {exc} was already used with a different request body",
            )
        except NotPossible as exc:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(exc))
        except sa_exc.IntegrityError as exc:
            log.warning("%s: concurrent write conflict: %s", method.__name__, exc.orig)
            context.abort(grpc.StatusCode.ABORTED, "concurrent update conflict; retry the request")
        except sa_exc.OperationalError as exc:
            log.error("%s: database unavailable: %s", method.__name__, exc.orig)
            context.abort(grpc.StatusCode.UNAVAILABLE, "database unavailable")

    return wrapper
