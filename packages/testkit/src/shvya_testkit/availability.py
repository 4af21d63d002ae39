"""Skip when a real dependency is missing on a laptop; fail when it is missing in CI."""

from __future__ import annotations

import os

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(what: str) -> None:
    message = f"{what} is not reachable"
    if in_ci():
        pytest.fail(f"{message} (CI=true: real dependencies are required)", pytrace=False)
    pytest.skip(message)
