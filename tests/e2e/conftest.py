"""The whole mesh as separate processes, started with the commands a user runs.

Each service gets free ports, a fresh migrated and seeded database, its own
Redis key prefix, and an SMTP server the test controls. Logs go to files
under the test's temporary directory and are printed when a test fails.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from shvya_testkit import meta_webhooks
from shvya_testkit.graph_api import GraphApiServer
from shvya_testkit.mesh import ROOT, ProcessMesh, Service, base_env
from shvya_testkit.ports import free_port
from shvya_testkit.postgres import truncate_all
from shvya_testkit.smtp import SmtpServer


@pytest.fixture(scope="module")
def process_mesh(migrated_database_url: str, redis_url: str, tmp_path_factory) -> Iterator[ProcessMesh]:
    import uuid

    import redis as redis_lib

    truncate_all(migrated_database_url)
    prefix = f"shvya_e2e_{uuid.uuid4().hex[:10]}"
    smtp = SmtpServer().start()
    graph = GraphApiServer().start()
    ports = {name: free_port() for name in ("crm", "ai", "conductor", "email", "whatsapp_cloud", "gateway")}
    env = {
        **base_env(),
        "ENV": "development",
        "LOG_LEVEL": "INFO",
        "DATABASE_URL": migrated_database_url,
        "REDIS_URL": redis_url,
        "CRM_PORT": str(ports["crm"]),
        "AI_PORT": str(ports["ai"]),
        "CONDUCTOR_PORT": str(ports["conductor"]),
        "CHANNELS_PORT": str(ports["email"]),
        "GATEWAY_PORT": str(ports["gateway"]),
        "CRM_ADDR": f"127.0.0.1:{ports['crm']}",
        "AI_ADDR": f"127.0.0.1:{ports['ai']}",
        "CONDUCTOR_ADDR": f"127.0.0.1:{ports['conductor']}",
        "CHANNELS_EMAIL_ADDR": f"127.0.0.1:{ports['email']}",
        "CHANNELS_WHATSAPP_CLOUD_ADDR": f"127.0.0.1:{ports['whatsapp_cloud']}",
        "CHANNELS_WHATSAPP_WEB_ADDR": f"127.0.0.1:{free_port()}",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "SMTP_SECURITY": "none",
        "CONDUCTOR_REDIS_NAMESPACE": prefix,
        "CHANNELS_REDIS_PREFIX": prefix,
        "CONDUCTOR_MAX_ATTEMPTS": "3",
        "CONDUCTOR_RETRY_BASE_SECONDS": "0.2",
        "CONDUCTOR_RETRY_MAX_SECONDS": "1",
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
        "PUBLIC_URL": f"http://127.0.0.1:{ports['gateway']}",
    }
    logs = tmp_path_factory.mktemp("mesh-logs")
    for command in (["-m", "shvya_crm", "migrate"], ["-m", "shvya_crm", "seed-demo"]):
        subprocess.run([sys.executable, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    mesh = ProcessMesh(env=env, database_url=migrated_database_url, smtp=smtp, logs=logs, graph=graph)
    for service in (
        Service("crm", ["-m", "shvya_crm", "serve"], grpc_port=ports["crm"]),
        Service("ai", ["-m", "shvya_ai"], grpc_port=ports["ai"]),
        Service("channels-email", ["-m", "shvya_channels", "--channel", "email"], grpc_port=ports["email"]),
        Service(
            "channels-whatsapp-cloud",
            ["-m", "shvya_channels", "--channel", "whatsapp_cloud"],
            grpc_port=ports["whatsapp_cloud"],
            env={"CHANNELS_PORT": str(ports["whatsapp_cloud"])},
        ),
        Service("conductor", ["-m", "shvya_conductor", "serve"], grpc_port=ports["conductor"]),
        Service("worker-p1", ["-m", "shvya_conductor", "worker", "--lane", "p1"]),
        Service("worker-p2", ["-m", "shvya_conductor", "worker", "--lane", "p2"]),
        Service("gateway", ["-m", "shvya_gateway"], http_port=ports["gateway"]),
    ):
        mesh.services[service.name] = service
    try:
        mesh.start(*mesh.services)
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
    mesh = item.funcargs.get("process_mesh") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and mesh is not None:
        report.sections.append(("mesh logs", mesh.dump_logs()))
