"""/docs and /redoc render the API in a browser that can reach nothing but the gateway."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import uvicorn
from playwright.sync_api import sync_playwright

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_testkit.ports import free_port, wait_for_port

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def gateway() -> Iterator[str]:
    """The real gateway app served over HTTP; its backends are not needed to show its documentation."""
    settings = GatewaySettings(crm_addr=f"127.0.0.1:{free_port()}", conductor_addr=f"127.0.0.1:{free_port()}")
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port(port)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def offline_page(chromium_path, gateway):
    """A headless Chromium page whose every request to anywhere but the gateway is refused and recorded."""
    gateway_host = urlsplit(gateway).netloc
    refused: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 1000})

        def only_the_gateway(route):
            if urlsplit(route.request.url).netloc == gateway_host:
                route.continue_()
            else:
                refused.append(route.request.url)
                route.abort("internetdisconnected")

        context.route("**/*", only_the_gateway)
        page = context.new_page()
        page.refused = refused
        yield page
        browser.close()


def test_swagger_ui_shows_the_routes_without_the_internet(offline_page, gateway, tmp_path):
    offline_page.goto(f"{gateway}/docs")

    offline_page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    offline_page.screenshot(path=tmp_path / "docs.png", full_page=False)
    paths = offline_page.locator(".opblock-summary-path").all_inner_texts()

    assert "/inbound-message" in paths
    assert offline_page.refused == []


def test_redoc_shows_the_routes_without_the_internet(offline_page, gateway, tmp_path):
    offline_page.goto(f"{gateway}/redoc")

    offline_page.get_by_role("heading", name="Record a student's message").wait_for(timeout=20_000)
    offline_page.screenshot(path=tmp_path / "redoc.png", full_page=False)

    assert offline_page.get_by_role("heading", level=1).first.inner_text().startswith("Shvya gateway")
    assert offline_page.refused == []
