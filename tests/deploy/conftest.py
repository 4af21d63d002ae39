"""Fixtures of the deploy tests: the rendered overlays, the compose file and .env.example."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The helper modules beside this file (deploy_model, deploy_invariants): the suite runs in
# importlib mode, which does not put test directories on sys.path.
sys.path.insert(0, str(Path(__file__).parent))

import deploy_model


@pytest.fixture(scope="session")
def rendered() -> dict[str, list[dict]]:
    """Every overlay, rendered once by kustomize."""
    return {
        overlay: deploy_model.render(deploy_model.K8S / "overlays" / overlay)
        for overlay in deploy_model.OVERLAYS
    }


@pytest.fixture(params=deploy_model.OVERLAYS)
def overlay(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def objects(rendered: dict[str, list[dict]], overlay: str) -> list[dict]:
    return deploy_model.deep(rendered[overlay])


@pytest.fixture
def compose() -> dict:
    return deploy_model.load_compose()


@pytest.fixture
def env_example() -> deploy_model.EnvExample:
    return deploy_model.load_env_example()
