"""The console served by uvicorn on a free port in front of the in-process mesh, people of the
demo company who can sign in, and headless Chromium (Playwright) to use it as a person does.
Screenshots of each page at phone and desktop width go to test-artifacts/console/."""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from shvya_console.app import create_app as create_console
from shvya_console.settings import ConsoleSettings

from shvya_crm.people import users
from shvya_crm.settings import DEFAULT_COMPANY_ID
from shvya_crm.storage.db import make_engine, make_sessionmaker
from shvya_gateway.app import create_app as create_gateway
from shvya_gateway.settings import GatewaySettings
from shvya_testkit.ports import free_port

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "console"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 860}
COMPANY = str(DEFAULT_COMPANY_ID)
ADMIN_TOKEN = "admin-token-for-tests-0123"


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # runs in a thread, not the main one
        pass


@dataclass
class Console:
    url: str
    settings: ConsoleSettings


@pytest.fixture
def console(mesh) -> Iterator[Console]:
    """The console against this test's mesh, served on a free port until the test ends."""
    settings = ConsoleSettings(
        crm_addr=mesh.crm_addr,
        conductor_addr=mesh.conductor_addr,
        channels_whatsapp_cloud_addr=mesh.channel_addrs.get("whatsapp_cloud", "localhost:1"),
        channels_whatsapp_web_addr=mesh.channel_addrs.get("whatsapp_web", "localhost:1"),
        live_poll_seconds=0.3,
    )
    port = free_port()
    server = _Server(uvicorn.Config(create_console(settings), host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the console did not start")
        time.sleep(0.05)
    yield Console(url=url, settings=settings)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def gateway(mesh) -> Iterator[TestClient]:
    """The public REST API of the same mesh, for the forms students post."""
    settings = GatewaySettings(
        crm_addr=mesh.crm_addr,
        conductor_addr=mesh.conductor_addr,
        admin_token=ADMIN_TOKEN,
        rate_limits_enabled=False,
    )
    with TestClient(create_gateway(settings), raise_server_exceptions=False) as client:
        yield client


@dataclass
class Person:
    id: str
    email: str
    password: str
    role: str
    company_id: str = COMPANY


def add_person(database_url: str, role: str, company_id: str = COMPANY, name: str = "") -> Person:
    """A user with a password who can sign in (what an accepted invitation leaves)."""
    password = secrets.token_urlsafe(12)
    email = f"{role}.{uuid.uuid4().hex[:8]}@academy.example"
    engine = make_engine(database_url, 1)
    try:
        with make_sessionmaker(engine).begin() as session:
            user = users.create_owner(session, uuid.UUID(company_id), email, password, name or role.title())
            user.role = role
            user_id = str(user.id)
    finally:
        engine.dispose()
    return Person(id=user_id, email=email, password=password, role=role, company_id=company_id)


@pytest.fixture
def owner(mesh) -> Person:
    return add_person(mesh.database_url, "owner", name="Asha Owner")


@pytest.fixture
def counsellor(mesh) -> Person:
    return add_person(mesh.database_url, "counsellor", name="Ravi Counsellor")


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page, console: Console, person: Person) -> None:
    page.goto(f"{console.url}/sign-in")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(person.password)
    if person.company_id != COMPANY:
        page.get_by_text("Another company").click()
        page.get_by_label("Company ID").fill(person.company_id)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def screenshot(page, name: str) -> None:
    """The page as it is, at desktop and at phone width, kept as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(size)
