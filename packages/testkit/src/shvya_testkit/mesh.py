"""The mesh as separate processes, started with the commands a user runs (e2e tests and the bench)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import httpx
from grpc_health.v1 import health_pb2, health_pb2_grpc

from shvya_testkit.ports import free_port
from shvya_testkit.postgres import query
from shvya_testkit.smtp import SmtpServer
from shvya_testkit.waiting import wait_until

ROOT = Path(__file__).resolve().parents[4]


@dataclass
class Service:
    name: str
    args: list[str]
    grpc_port: int | None = None
    http_port: int | None = None
    # Variables of this process only (on top of the mesh's).
    env: dict[str, str] = field(default_factory=dict)
    log: Path | None = None
    process: subprocess.Popen | None = None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def free_ports() -> dict[str, int]:
    """A free loopback port for each listening service."""
    return {
        name: free_port()
        for name in ("crm", "ai", "conductor", "email", "whatsapp_cloud", "gateway", "console")
    }


def wiring(ports: dict[str, int], *, smtp_port: int, namespace: str) -> dict[str, str]:
    """The variables that put each service on its port and point it at the others, with mail to a
    local SMTP server without TLS and every Redis key under `namespace`."""
    return {
        "CRM_PORT": str(ports["crm"]),
        "AI_PORT": str(ports["ai"]),
        "CONDUCTOR_PORT": str(ports["conductor"]),
        "CHANNELS_PORT": str(ports["email"]),
        "GATEWAY_PORT": str(ports["gateway"]),
        "CONSOLE_PORT": str(ports["console"]),
        "CONSOLE_URL": f"http://127.0.0.1:{ports['console']}",
        "CRM_ADDR": f"127.0.0.1:{ports['crm']}",
        "AI_ADDR": f"127.0.0.1:{ports['ai']}",
        "CONDUCTOR_ADDR": f"127.0.0.1:{ports['conductor']}",
        "CHANNELS_EMAIL_ADDR": f"127.0.0.1:{ports['email']}",
        "CHANNELS_WHATSAPP_CLOUD_ADDR": f"127.0.0.1:{ports['whatsapp_cloud']}",
        "CHANNELS_WHATSAPP_WEB_ADDR": f"127.0.0.1:{free_port()}",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "SMTP_SECURITY": "none",
        "CONDUCTOR_REDIS_NAMESPACE": namespace,
        "CHANNELS_REDIS_PREFIX": namespace,
        "GATEWAY_REDIS_PREFIX": namespace,
        "PUBLIC_URL": f"http://127.0.0.1:{ports['gateway']}",
        # Every form comes from 127.0.0.1, thousands a second in the bench: the limits are
        # still counted in Redis, but set far above any load the mesh is given.
        **{
            f"GATEWAY_{limit}": "1000000/second"
            for limit in (
                "RATE_LIMIT_PER_ADDRESS",
                "RATE_LIMIT_PER_PHONE",
                "RATE_LIMIT_PER_EMAIL",
                "RATE_LIMIT_PER_COMPANY",
                "NEW_EMAIL_ADDRESSES_PER_COMPANY",
            )
        },
    }


def catalogue(ports: dict[str, int]) -> dict[str, Service]:
    """Every service of the mesh, started as `make up` starts it, on `ports`."""
    services = (
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
        Service("console", ["-m", "shvya_console"], http_port=ports["console"]),
    )
    return {service.name: service for service in services}


@dataclass
class ProcessMesh:
    env: dict[str, str]
    database_url: str
    smtp: SmtpServer | None
    logs: Path
    # Meta's Graph API, as the whatsapp_cloud channel reaches it.
    graph: object | None = None
    services: dict[str, Service] = field(default_factory=dict)

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.services['gateway'].http_port}"

    @property
    def console(self) -> str:
        return f"http://127.0.0.1:{self.services['console'].http_port}"

    def start(self, *names: str) -> None:
        for name in names:
            service = self.services[name]
            assert not service.running(), f"{name} is already running"
            service.log = self.logs / f"{name}.log"
            handle = service.log.open("ab")
            service.process = subprocess.Popen(
                [sys.executable, *service.args],
                cwd=ROOT,
                env={**self.env, **service.env},
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
            handle.close()
        for name in names:
            self._wait_ready(self.services[name])

    def stop(self, *names: str, timeout: float = 20.0) -> dict[str, int]:
        """Stops services with SIGTERM (graceful shutdown); returns their exit codes."""
        codes = {}
        for name in names:
            service = self.services[name]
            if service.running():
                service.process.send_signal(signal.SIGTERM)
        for name in names:
            service = self.services[name]
            if service.process is None:
                continue
            try:
                codes[name] = service.process.wait(timeout)
            except subprocess.TimeoutExpired:
                service.process.kill()
                codes[name] = service.process.wait()
            service.process = None
        return codes

    def _wait_ready(self, service: Service, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not service.running():
                raise AssertionError(f"{service.name} exited early:\n{service.log.read_text()[-3000:]}")
            if self._ready(service):
                return
            time.sleep(0.1)
        raise AssertionError(f"{service.name} not ready after {timeout}s:\n{service.log.read_text()[-3000:]}")

    @staticmethod
    def _ready(service: Service) -> bool:
        if service.http_port is not None:
            try:
                return httpx.get(f"http://127.0.0.1:{service.http_port}/readyz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False
        if service.grpc_port is not None:
            with grpc.insecure_channel(f"127.0.0.1:{service.grpc_port}") as channel:
                try:
                    reply = health_pb2_grpc.HealthStub(channel).Check(
                        health_pb2.HealthCheckRequest(), timeout=1
                    )
                except grpc.RpcError:
                    return False
                return reply.status == health_pb2.HealthCheckResponse.SERVING
        # A lane worker has no port: give it a moment to connect to Redis.
        time.sleep(0.5)
        return True

    def sql(self, statement: str, params: tuple = ()) -> list[tuple]:
        return query(self.database_url, statement, params)

    def wait_until(self, predicate, timeout: float = 30.0, what: str = "condition") -> None:
        wait_until(predicate, timeout, what, interval=0.1)

    def job_status(self, job_id: str) -> str:
        return self.sql("SELECT status FROM jobs WHERE id = %s", (job_id,))[0][0]

    def dump_logs(self) -> str:
        out = []
        for path in sorted(self.logs.glob("*.log")):
            out.append(f"===== {path.name} =====\n{path.read_text()[-4000:]}")
        return "\n".join(out)


def base_env() -> dict[str, str]:
    # Only what a process needs from the outside: a stray OPENAI_API_KEY or
    # DATABASE_URL in the developer's shell must not change the mesh under test.
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "SYSTEMROOT")
    return {k: v for k, v in os.environ.items() if k in keep}
