"""Fixtures shared by every test directory: a migrated crm database and its helpers.

Generic infrastructure fixtures (an empty database, Redis, an SMTP server)
come from the shvya_testkit pytest plugin.
"""

from __future__ import annotations

import pytest

from shvya_testkit.postgres import truncate_all


@pytest.fixture(scope="session")
def migrated_database_url(empty_database_url: str) -> str:
    """A database at the latest crm schema, shared by the session."""
    from shvya_crm.migrate import upgrade

    upgrade(empty_database_url)
    return empty_database_url


@pytest.fixture
def database_url(migrated_database_url: str) -> str:
    """The migrated database, emptied before each test that uses it."""
    truncate_all(migrated_database_url)
    return migrated_database_url
