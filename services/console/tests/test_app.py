"""The console's own rules, without the mesh: settings, anti-forgery tokens, security headers,
where sign-in may send the person next."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from shvya_console.app import create_app
from shvya_console.routes.auth import _safe_next
from shvya_console.settings import ConsoleSettings

UNREACHABLE = "127.0.0.1:1"


@pytest.fixture
def client():
    settings = ConsoleSettings(crm_addr=UNREACHABLE, conductor_addr=UNREACHABLE, request_timeout_seconds=1)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)


def test_outside_development_a_secret_key_and_internal_token_are_required(monkeypatch):
    monkeypatch.setenv("ENV", "production")
    with pytest.raises(ValidationError, match="CONSOLE_SECRET_KEY"):
        ConsoleSettings(internal_token="x" * 32)


def test_a_short_secret_key_is_refused():
    with pytest.raises(ValidationError, match="at least 32"):
        ConsoleSettings(secret_key="short")


def test_a_post_without_the_anti_forgery_token_is_refused_before_anything_is_done(client):
    client.get("/sign-in")
    reply = client.post("/sign-in", data={"email": "a@b.example", "password": "x" * 12})
    assert reply.status_code == 403
    assert "This form has expired" in reply.text


def test_a_token_from_another_browser_is_refused(client):
    token = _token(client.get("/sign-in").text)
    client.cookies.clear()
    client.get("/sign-in")  # a new cookie, so the old token no longer matches
    reply = client.post("/sign-in", data={"email": "a@b.example", "password": "x" * 12, "csrf_token": token})
    assert reply.status_code == 403


def test_with_the_token_a_sign_in_reaches_the_crm_and_a_crm_that_is_down_is_a_page_not_a_trace(client):
    token = _token(client.get("/sign-in").text)
    reply = client.post("/sign-in", data={"email": "a@b.example", "password": "x" * 12, "csrf_token": token})
    assert reply.status_code == 503
    assert "not answering" in reply.text
    assert "Traceback" not in reply.text


def test_every_response_tells_the_servers_own_time_in_server_timing(client):
    reply = client.get("/sign-in")
    assert re.fullmatch(r"app;dur=\d+\.\d", reply.headers["server-timing"])


def test_pages_forbid_framing_and_any_script_from_elsewhere(client):
    reply = client.get("/sign-in")
    assert reply.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in reply.headers["content-security-policy"]
    assert "//" not in re.sub(r"https?://127\.0\.0\.1[^\"']*", "", reply.text.split("<body")[0]).replace(
        "<!doctype", ""
    )


def test_the_anti_forgery_cookie_is_http_only_and_strict(client):
    reply = client.get("/sign-in")
    cookie = reply.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie


def test_an_unknown_page_is_the_not_found_page(client):
    reply = client.get("/no-such-page")
    assert reply.status_code == 404
    assert "Not found" in reply.text


def test_a_page_that_needs_a_person_sends_to_sign_in(client):
    reply = client.get("/inbox", follow_redirects=False)
    assert reply.status_code == 303
    assert reply.headers["location"].startswith("/sign-in?next=/inbox")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/leads?stage=new", "/leads?stage=new"),
        ("https://evil.example/", "/inbox"),
        ("//evil.example/x", "/inbox"),
        ("javascript:alert(1)", "/inbox"),
        ("", "/inbox"),
    ],
)
def test_sign_in_sends_the_person_only_to_a_page_of_this_site(given, expected):
    assert _safe_next(given) == expected
