"""What a person sees when something goes wrong: a page that says what and what to do, never a
stack trace. htmx requests get the same words as a small fragment for the page's alert area."""

from __future__ import annotations

import logging

import grpc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from grpc import aio
from starlette.exceptions import HTTPException as StarletteHTTPException

from shvya_console import session, views
from shvya_console.i18n import _

log = logging.getLogger("shvya.console")

# Backends that do not answer: the page says so and the person can try again.
_DOWN = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED}


def _page(request: Request, status: int, title: str, detail: str):
    template = "partials/alert.html" if views.is_htmx(request) else "error.html"
    response = views.render(
        request, template, {"title": title, "detail": detail, "status": status}, status_code=status
    )
    if views.is_htmx(request):
        # The alert replaces the page's alert area whatever the request was aiming at.
        response.headers["HX-Retarget"] = "#alerts"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def forbidden(request: Request, detail: str | None = None):
    return _page(
        request,
        403,
        _("You cannot open this"),
        detail or _("Your role does not allow it. Ask an owner or admin of your company."),
    )


def not_found(request: Request):
    return _page(request, 404, _("Not found"), _("There is nothing here, or it belongs to another company."))


def install(app: FastAPI) -> None:
    @app.exception_handler(session.SignInRequired)
    async def _sign_in(request: Request, exc: session.SignInRequired):
        target = f"/sign-in?next={exc.next_path}"
        if views.is_htmx(request):
            response = RedirectResponse(target, status_code=303)
            response.headers["HX-Redirect"] = target
            return response
        response = RedirectResponse(target, status_code=303)
        session.clear_cookie(response, request)
        return response

    @app.exception_handler(aio.AioRpcError)
    async def _rpc(request: Request, exc: aio.AioRpcError):
        code = exc.code()
        if code == grpc.StatusCode.UNAUTHENTICATED:
            return await _sign_in(request, session.SignInRequired(request.url.path))
        if code == grpc.StatusCode.PERMISSION_DENIED:
            return forbidden(request)
        if code == grpc.StatusCode.NOT_FOUND:
            return not_found(request)
        if code in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.FAILED_PRECONDITION):
            return _page(request, 400, _("That could not be done"), exc.details() or "")
        if code in _DOWN:
            log.warning("backend not answering", extra={"path": request.url.path, "code": code.name})
            return _page(
                request,
                503,
                _("Shvya is not answering right now"),
                _("A part of the system is down or busy. Nothing was lost; try again in a minute."),
            )
        log.error("backend error %s on %s: %s", code.name, request.url.path, exc.details())
        return _page(
            request,
            502,
            _("Something went wrong"),
            _("The error is logged. Try again, or tell whoever runs Shvya."),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return not_found(request)
        if exc.status_code == 403:
            if exc.detail == "csrf":
                return _page(request, 403, _("This form has expired"), _("Reload the page and try again."))
            return forbidden(request)
        return _page(request, exc.status_code, _("That could not be done"), str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
        return _page(request, 400, _("Some values are missing or wrong"), fields)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s", request.url.path)
        return _page(
            request,
            500,
            _("Something went wrong"),
            _("The error is logged. Try again, or tell whoever runs Shvya."),
        )
