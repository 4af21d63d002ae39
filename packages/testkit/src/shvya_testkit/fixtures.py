"""The pytest plugin: session-wide real PostgreSQL, Redis and SMTP for Shvya's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis

from shvya_testkit.availability import unavailable
from shvya_testkit.postgres import reachable, temporary_database
from shvya_testkit.smtp import SmtpServer

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture(scope="session")
def empty_database_url() -> Iterator[str]:
    """The URL of a brand-new, empty database for this test session."""
    if not reachable():
        unavailable("PostgreSQL (TEST_DATABASE_ADMIN_URL)")
    with temporary_database() as url:
        yield url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis database that tests may flush; set TEST_REDIS_URL to move it."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError:
        unavailable(f"Redis ({REDIS_URL})")
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on a free loopback port, recording every message it accepts."""
    server = SmtpServer().start()
    yield server
    server.stop()
