"""What the crm refused in a form: its INVALID_ARGUMENT message, shown beside the form that sent it
instead of the generic error page, so the person can correct the value and send it again."""

from __future__ import annotations

import grpc
from fastapi import Request
from grpc import aio

from shvya_console import views
from shvya_console.i18n import _
from shvya_rpc.errors import field_violations


def refusal(error: aio.AioRpcError) -> str:
    """The crm's reason for refusing the values; any other error goes on to the error pages."""
    if error.code() != grpc.StatusCode.INVALID_ARGUMENT:
        raise error
    return error.details() or _("Some values were not accepted.")


def fields(error: aio.AioRpcError) -> dict[str, str]:
    """Which fields the crm named, to mark them on the form (empty when it named none)."""
    return field_violations(error)


def status(request: Request) -> int:
    """A form sent back with the crm's message: 422 for a browser, 200 for htmx, which swaps only
    successful answers into the page."""
    return 200 if views.is_htmx(request) else 422
