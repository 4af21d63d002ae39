"""Rich gRPC errors: field violations travel as google.rpc.BadRequest details."""

from __future__ import annotations

from collections.abc import Mapping

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status


class FieldErrors(ValueError):
    """Raised by domain code when input is invalid; maps to INVALID_ARGUMENT.

    `violations` maps a field name to the reason it was refused.
    """

    def __init__(self, violations: Mapping[str, str]) -> None:
        self.violations = dict(violations)
        super().__init__("; ".join(f"{f}: {r}" for f, r in self.violations.items()))


def abort_invalid(context: grpc.ServicerContext, violations: Mapping[str, str]) -> None:
    """Aborts the call with INVALID_ARGUMENT and one BadRequest violation per field."""
    detail = any_pb2.Any()
    detail.Pack(
        error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=field, description=reason)
                for field, reason in violations.items()
            ]
        )
    )
    message = "; ".join(f"{field}: {reason}" for field, reason in violations.items())
    context.abort_with_status(
        rpc_status.to_status(
            status_pb2.Status(code=code_pb2.INVALID_ARGUMENT, message=message, details=[detail])
        )
    )


def field_violations(error: grpc.RpcError) -> dict[str, str]:
    """The field violations carried by an INVALID_ARGUMENT error (empty if none)."""
    status = _status_of(error)
    out: dict[str, str] = {}
    if status is None:
        return out
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            for violation in bad.field_violations:
                out[violation.field] = violation.description
    return out


def _status_of(error: grpc.RpcError) -> status_pb2.Status | None:
    metadata = error.trailing_metadata() if hasattr(error, "trailing_metadata") else None
    for key, value in metadata or ():
        if key == rpc_status.GRPC_DETAILS_METADATA_KEY:
            status = status_pb2.Status()
            status.MergeFromString(value)
            return status
    return None
