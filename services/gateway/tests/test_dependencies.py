"""The gateway's endpoints and dependencies run on the event loop, none in a worker thread.

FastAPI runs a plain `def` endpoint or dependency in a thread pool: a thread hand-off per call,
which py-spy showed as a sixth of the gateway's CPU at intake when two shared dependencies were
plain functions.
"""

from __future__ import annotations

import uuid

import fastapi.dependencies.utils
import fastapi.routing
from fastapi.testclient import TestClient

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_testkit.ports import free_port


def test_requests_never_hand_work_to_the_thread_pool(monkeypatch):
    handed: list[str] = []
    for module in (fastapi.dependencies.utils, fastapi.routing):
        real = module.run_in_threadpool

        async def recording(func, *args, _real=real, **kwargs):
            handed.append(getattr(func, "__name__", repr(func)))
            return await _real(func, *args, **kwargs)

        monkeypatch.setattr(module, "run_in_threadpool", recording)
    # Backends that do not answer: every route still resolves its dependencies first
    settings = GatewaySettings(
        crm_addr=f"127.0.0.1:{free_port()}",
        conductor_addr=f"127.0.0.1:{free_port()}",
        request_timeout_seconds=1,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        statuses = [
            client.get("/healthz").status_code,
            client.post("/inbound-message", json={}).status_code,
            client.get("/queue/stats").status_code,
            client.get(f"/leads/{uuid.uuid4()}").status_code,
        ]
    assert statuses[:2] == [200, 422]
    assert handed == []
