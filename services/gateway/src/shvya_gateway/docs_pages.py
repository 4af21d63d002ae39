"""The API's documentation pages, /docs (Swagger UI) and /redoc, served with their own assets: no CDN."""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

# FastAPI's own pages load Swagger UI and ReDoc from a CDN, so they stay blank on a machine or a
# network without the internet; the fastapi-offline package ships the same bundles.
ASSETS_URL = "/docs-assets"


def install(app: FastAPI) -> None:
    """Mounts the assets and the two pages; build `app` with docs_url=None and redoc_url=None."""
    app.mount(ASSETS_URL, StaticFiles(directory=str(files("fastapi_offline") / "static")), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            # The validator badge would ask an online service to check the document.
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_redoc_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )
        html = page.body.decode().replace("<head>", "<head>" + _REDOC_OFFLINE, 1)
        return HTMLResponse(html)


# ReDoc's menu ends with its vendor's logo, loaded from their CDN: the page's policy keeps images to
# the gateway's own, and the link that would show a broken image is hidden.
_REDOC_OFFLINE = (
    '\n<meta http-equiv="Content-Security-Policy" content="img-src \'self\' data:">'
    '\n<style>a[href*="redocly.com"], a[href*="redoc.ly"] { display: none; }</style>'
)
