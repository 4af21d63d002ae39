"""The whole mesh as separate processes, started with the commands a user runs.

Each service gets free ports, a fresh migrated and seeded database, its own
Redis key prefix, and an SMTP server the test controls. Logs go to files
under the test's temporary directory and are printed when a test fails.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from shvya_testkit import meta_webhooks
from shvya_testkit.graph_api import GraphApiServer
from shvya_testkit.mesh import ROOT, ProcessMesh, base_env, catalogue, free_ports, wiring
from shvya_testkit.otlp import OtlpCollector
from shvya_testkit.postgres import truncate_all
from shvya_testkit.smtp import SmtpServer

DEMO_OWNER_PASSWORD = "e2e-owner-password-0123"


@pytest.fixture(scope="module")
def process_mesh(migrated_database_url: str, redis_url: str, tmp_path_factory) -> Iterator[ProcessMesh]:
    with running_mesh(migrated_database_url, redis_url, tmp_path_factory) as mesh:
        yield mesh


@pytest.fixture(scope="module")
def otlp_collector() -> Iterator[OtlpCollector]:
    collector = OtlpCollector().start()
    yield collector
    collector.stop()


# The services one form passes through, from the gateway to the email channel.
FORM_PATH = ("crm", "ai", "channels-email", "conductor", "worker-p1", "gateway")


@pytest.fixture(scope="module")
def traced_mesh(
    migrated_database_url: str, redis_url: str, tmp_path_factory, otlp_collector: OtlpCollector
) -> Iterator[ProcessMesh]:
    """The mesh with tracing turned on by the standard variables, exporting to `otlp_collector`."""
    env = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": otlp_collector.endpoint,
        # Spans leave every 100 ms instead of every 5 s, so a test waits for them briefly.
        "OTEL_BSP_SCHEDULE_DELAY": "100",
        # Two crm processes, as `make up` runs it: tracing begins before they fork.
        "CRM_TEST_CLOCK": "false",
        "CRM_PROCESSES": "2",
    }
    with running_mesh(migrated_database_url, redis_url, tmp_path_factory, env, only=FORM_PATH) as mesh:
        yield mesh


@contextmanager
def running_mesh(
    migrated_database_url: str,
    redis_url: str,
    tmp_path_factory,
    extra_env: dict[str, str] | None = None,
    only: tuple[str, ...] = (),
) -> Iterator[ProcessMesh]:
    """The mesh on a fresh database, with `extra_env` for every process; `only` starts those
    services alone (default: all of them)."""
    import uuid

    import redis as redis_lib

    truncate_all(migrated_database_url)
    prefix = f"shvya_e2e_{uuid.uuid4().hex[:10]}"
    smtp = SmtpServer().start()
    graph = GraphApiServer().start()
    ports = free_ports()
    env = {
        **base_env(),
        "ENV": "development",
        "LOG_LEVEL": "INFO",
        "DATABASE_URL": migrated_database_url,
        "REDIS_URL": redis_url,
        **wiring(ports, smtp_port=smtp.port, namespace=prefix),
        "CONDUCTOR_MAX_ATTEMPTS": "3",
        "CONDUCTOR_RETRY_BASE_SECONDS": "0.2",
        "CONDUCTOR_RETRY_MAX_SECONDS": "1",
        "CONDUCTOR_OUTAGE_MAX_SECONDS": "3",
        "CONDUCTOR_OUTAGE_RETRY_BASE_SECONDS": "0.2",
        "CONDUCTOR_OUTAGE_RETRY_MAX_SECONDS": "1",
        "CONDUCTOR_DISPATCH_LEASE_SECONDS": "2",
        "CONDUCTOR_RELAY_INTERVAL_SECONDS": "0.1",
        "CONDUCTOR_RUN_LEASE_SECONDS": "60",
        "CONDUCTOR_CHANNELS_TIMEOUT_SECONDS": "20",
        "SMTP_TIMEOUT_SECONDS": "5",
        # The Cloud API against the Graph API stand-in, and Meta's webhook at the gateway.
        "WHATSAPP_CLOUD_GRAPH_URL": graph.url,
        "WHATSAPP_CLOUD_API_VERSION": graph.version,
        "WHATSAPP_CLOUD_PHONE_ID": graph.phone_id,
        "WHATSAPP_CLOUD_TOKEN": graph.token,
        "WHATSAPP_CLOUD_PAIR_GAP_SECONDS": "1",
        "WHATSAPP_CLOUD_APP_SECRET": meta_webhooks.APP_SECRET,
        "WHATSAPP_CLOUD_VERIFY_TOKEN": meta_webhooks.VERIFY_TOKEN,
        # Follow-ups, sequences and quiet hours run on the crm's clock, which tests move.
        "CRM_TEST_CLOCK": "true",
        # The demo company's owner, who signs in to the console.
        "DEMO_OWNER_PASSWORD": DEMO_OWNER_PASSWORD,
        **(extra_env or {}),
    }
    logs = tmp_path_factory.mktemp("mesh-logs")
    for command in (["-m", "shvya_crm", "migrate"], ["-m", "shvya_crm", "seed-demo"]):
        subprocess.run([sys.executable, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    mesh = ProcessMesh(env=env, database_url=migrated_database_url, smtp=smtp, logs=logs, graph=graph)
    mesh.services.update(catalogue(ports))
    names = only or tuple(mesh.services)
    try:
        mesh.start(*names)
        yield mesh
    finally:
        mesh.stop(*mesh.services)
        smtp.stop()
        graph.stop()
        client = redis_lib.Redis.from_url(redis_url)
        for key in client.scan_iter(match=f"{prefix}*", count=1000):
            client.delete(key)
        client.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    funcargs = getattr(item, "funcargs", {})
    mesh = funcargs.get("process_mesh") or funcargs.get("traced_mesh")
    if report.when == "call" and report.failed and mesh is not None:
        report.sections.append(("mesh logs", mesh.dump_logs()))
