"""shvya-healthcheck, the health check baked into every image, tells healthy from unhealthy."""

from __future__ import annotations

import importlib.util
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import deploy_model as model
import pytest

from shvya_rpc.server import run_server
from shvya_rpc.tls import Tls


@pytest.fixture(scope="module")
def healthcheck():
    spec = importlib.util.spec_from_file_location(
        "shvya_healthcheck", model.REPO / "deploy/docker/healthcheck.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/healthz" else 503)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_grpc_check_passes_while_the_server_is_serving(healthcheck):
    with run_server([], port=0, host="127.0.0.1") as running:
        assert healthcheck.main(["grpc", str(running.port)]) == 0


def test_grpc_check_asks_the_plaintext_health_port_when_the_grpc_port_speaks_tls(healthcheck, monkeypatch):
    import trustme

    leaf = trustme.CA().issue_cert("127.0.0.1")
    tls = Tls(cert=leaf.cert_chain_pems[0].bytes(), key=leaf.private_key_pem.bytes(), health_port=0)
    with run_server([], port=0, host="127.0.0.1", tls=tls) as running:
        monkeypatch.setenv("GRPC_TLS_HEALTH_PORT", str(running.health_port))

        assert healthcheck.main(["grpc", str(running.port)]) == 0


def test_grpc_check_fails_when_the_server_reports_not_serving(healthcheck, capsys):
    with run_server([], port=0, host="127.0.0.1") as running:
        running.set_serving(False)

        assert healthcheck.main(["grpc", str(running.port)]) == 1
    assert "NOT_SERVING" in capsys.readouterr().err


def test_grpc_check_fails_when_nothing_listens(healthcheck):
    assert healthcheck.main(["--timeout", "1", "grpc", str(_free_port())]) == 1


def test_http_check_passes_on_2xx_and_fails_otherwise(healthcheck, http_server):
    assert healthcheck.main(["http", f"http://127.0.0.1:{http_server}/healthz"]) == 0
    assert healthcheck.main(["http", f"http://127.0.0.1:{http_server}/readyz"]) == 1


def test_redis_check_fails_when_redis_does_not_answer(healthcheck, monkeypatch):
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{_free_port()}/0")

    assert healthcheck.main(["--timeout", "1", "redis"]) == 1


def test_redis_check_passes_against_a_real_redis(healthcheck, redis_url, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_url)

    assert healthcheck.main(["redis"]) == 0


def _lane_worker(redis_url: str, namespace: str, marker_dir):
    from shvya_conductor.settings import ConductorSettings
    from shvya_conductor.worker import LaneWorker

    settings = ConductorSettings(
        redis_url=redis_url, redis_namespace=namespace, worker_marker_dir=str(marker_dir), lane_threads=1
    )
    return LaneWorker(settings, "p2")


def test_worker_check_passes_while_the_lane_worker_polls_and_fails_once_it_stops(
    healthcheck, redis_url, redis_prefix, tmp_path, capsys
):
    argv = ["worker", "p2", "--url", redis_url, "--dir", str(tmp_path)]
    assert healthcheck.main(argv) == 1  # no worker yet
    worker = _lane_worker(redis_url, redis_prefix, tmp_path)
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while healthcheck.main(argv) != 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert healthcheck.main(argv) == 0
    finally:
        worker.stop(grace_seconds=5)
    capsys.readouterr()

    assert healthcheck.main(argv) == 1
    assert "no running worker for lane p2" in capsys.readouterr().err


def test_worker_check_fails_when_the_heartbeat_is_stale(
    healthcheck, redis_client, redis_prefix, redis_url, tmp_path, capsys
):
    # Given a marker left by a worker whose consumer stopped polling two minutes ago
    (tmp_path / "shvya-worker-p1.json").write_text(
        json.dumps({"lane": "p1", "namespace": redis_prefix, "broker_id": "wedged"})
    )
    redis_client.zadd(f"{redis_prefix}:__heartbeats__", {"wedged": (time.time() - 130) * 1000})
    argv = ["worker", "p1", "--url", redis_url, "--dir", str(tmp_path)]

    assert healthcheck.main(argv) == 1
    assert "last polled its queue 130s ago" in capsys.readouterr().err
    assert healthcheck.main([*argv, "--max-age", "330"]) == 0
