"""The pytest plugin: session-wide real PostgreSQL, Redis and SMTP for Shvya's tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import redis

from shvya_testkit.availability import unavailable
from shvya_testkit.postgres import reachable, temporary_database
from shvya_testkit.smtp import SmtpServer

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def empty_database_url() -> Iterator[str]:
    """The URL of a brand-new, empty database for this test session."""
    if not reachable():
        unavailable("PostgreSQL (TEST_DATABASE_ADMIN_URL)")
    with temporary_database() as url:
        yield url


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis server tests use (TEST_REDIS_URL); isolate keys with `redis_prefix`."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError:
        unavailable(f"Redis ({REDIS_URL})")
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix no other test (or concurrent test run) uses; its keys are deleted afterwards.

    Tests never flush a database: several suites may share one Redis server.
    """
    prefix = f"shvya_test_{uuid.uuid4().hex[:10]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{prefix}*", count=1000):
        client.delete(key)
    client.close()


@pytest.fixture(autouse=True)
def gateway_keys_apart(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test's gateways count their intake rate limits under a Redis prefix of their own, so
    that the forms of one test (or of an earlier run) never spend another's allowance."""
    prefix = f"shvya_test_{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("GATEWAY_REDIS_PREFIX", prefix)
    yield
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=2)
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.delete(key)
        client.close()
    except redis.RedisError:
        pass  # no Redis: nothing was counted


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on a free loopback port, recording every message it accepts."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def graph_api():
    """An HTTP server on loopback that answers like Meta's Graph API (see shvya_testkit.graph_api)."""
    from shvya_testkit.graph_api import GraphApiServer

    server = GraphApiServer().start()
    yield server
    server.stop()


CHROMIUM = os.environ.get("TEST_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium, which the WhatsApp Web adapter drives (TEST_CHROMIUM overrides the path)."""
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"Chromium ({CHROMIUM})")
    return CHROMIUM


@pytest.fixture
def whatsapp_web_page(chromium_path):
    """A local page that behaves like WhatsApp Web (see shvya_testkit.whatsapp_web)."""
    from shvya_testkit.whatsapp_web import FakeWhatsAppWeb

    page = FakeWhatsAppWeb().start()
    yield page
    page.stop()
