"""The processes a bench run starts: the mesh (as separate processes, on free ports, with a
temporary database and its own Redis prefix) and the floor. All of them are stopped by the
ExitStack they are registered on, whatever happens."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from shvya_testkit.mesh import ROOT, ProcessMesh, Service, base_env, catalogue, free_ports, wiring
from shvya_testkit.ports import free_port
from shvya_testkit.postgres import temporary_database

# What the speed-to-lead figure is measured with, as docs/performance.md states it: no deliberate wait
# anywhere between the form and the SMTP server. Printed with the results.
NO_DELIBERATE_WAITS = {
    # A lead's first reply never waits, but a burst of messages would be coalesced.
    "CONDUCTOR_COALESCE_SECONDS": "0",
    # Human pacing is a WhatsApp matter; off so no channel waits on purpose.
    "WHATSAPP_HUMAN_PACING": "false",
    # No OPENAI_API_KEY: the offline provider composes every reply.
    "AI_DEFAULT_PROVIDER": "offline",
}

INTAKE_SERVICES = ("crm", "conductor", "gateway")
FULL_SERVICES = ("crm", "ai", "channels-email", "conductor", "worker-p1", "worker-p2", "gateway")


def prepared_database(stack: contextlib.ExitStack, env: dict[str, str]) -> str:
    """A temporary database (dropped on exit), migrated and seeded with the demo company."""
    url = stack.enter_context(temporary_database(prefix="shvya_bench"))
    for command in (["-m", "shvya_crm", "migrate"], ["-m", "shvya_crm", "seed-demo"]):
        subprocess.run(
            [sys.executable, *command],
            cwd=ROOT,
            env={**env, "DATABASE_URL": url},
            check=True,
            capture_output=True,
        )
    return url


def start_mesh(
    stack: contextlib.ExitStack,
    *,
    names: tuple[str, ...],
    database_url: str,
    redis_url: str,
    namespace: str,
    logs: Path,
    smtp_port: int | None = None,
    extra_env: dict[str, str] | None = None,
) -> ProcessMesh:
    ports = free_ports()
    env = {
        **base_env(),
        "ENV": "development",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        **wiring(ports, smtp_port=smtp_port or free_port(), namespace=namespace),
        # As `make up` and compose run it on one machine (scripts/mesh.sh, docker-compose.yml)
        "CRM_PROCESSES": "2",
        **NO_DELIBERATE_WAITS,
        **(extra_env or {}),
    }
    logs.mkdir(parents=True, exist_ok=True)
    mesh = ProcessMesh(env=env, database_url=database_url, smtp=None, logs=logs)
    services = catalogue(ports)
    for name in names:
        mesh.services[name] = services[name]
    stack.callback(mesh.stop, *names)
    mesh.start(*names)
    return mesh


def start_console(stack: contextlib.ExitStack, mesh: ProcessMesh) -> str:
    """The console as `make up` runs it, one more process of the mesh (wired to its crm and
    conductor); returns its address."""
    port = free_port()
    mesh.services["console"] = Service(
        "console", ["-m", "shvya_console"], http_port=port, env={"CONSOLE_PORT": str(port)}
    )
    stack.callback(mesh.stop, "console")
    mesh.start("console")
    return f"http://127.0.0.1:{port}"


@dataclass
class Floor:
    url: str
    process: subprocess.Popen


def start_floor(
    stack: contextlib.ExitStack,
    *,
    database_url: str,
    redis_url: str,
    key: str,
    logs: Path,
    module: str = "bench.perf.floor",
) -> Floor:
    """Runs a floor (bench.perf.floor, or the previous one, bench.perf.floor_threadpool)."""
    port = free_port()
    logs.mkdir(parents=True, exist_ok=True)
    name = module.rsplit(".", 1)[1]
    log = (logs / f"{name}.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", module],
        cwd=ROOT,
        env={
            **base_env(),
            "FLOOR_DATABASE_URL": database_url,
            "FLOOR_REDIS_URL": redis_url,
            "FLOOR_REDIS_KEY": key,
            "FLOOR_PORT": str(port),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    stack.callback(_terminate, process)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the floor exited: {(logs / f'{name}.log').read_text()[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return Floor(url, process)
        time.sleep(0.1)
    raise RuntimeError("the floor did not start")


def _terminate(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def rss(pid: int) -> int:
    """Resident bytes of a process and its children."""
    try:
        proc = psutil.Process(pid)
        total = proc.memory_info().rss
        for child in proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        return total
    except psutil.Error:
        return 0


@dataclass
class Footprint:
    """Resident memory per service: idle (after start, before load) and the peak under load."""

    idle: dict[str, int] = field(default_factory=dict)
    peak: dict[str, int] = field(default_factory=dict)

    def snapshot_idle(self, pids: dict[str, int]) -> None:
        for name, pid in pids.items():
            self.idle[name] = max(self.idle.get(name, 0), rss(pid))

    @contextlib.contextmanager
    def sampling(self, pids: dict[str, int], every: float = 0.25):
        """Samples the peak RSS of `pids` while the block runs (the load)."""
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                for name, pid in pids.items():
                    self.peak[name] = max(self.peak.get(name, 0), rss(pid))
                stop.wait(every)

        thread = threading.Thread(target=sample, name="rss-sampler", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()


def pids(mesh: ProcessMesh) -> dict[str, int]:
    return {name: s.process.pid for name, s in mesh.services.items() if s.process is not None}


def postgresql_cpu_seconds() -> float:
    """CPU time every PostgreSQL process on this machine has used so far (the bench's databases
    are its only users while it runs)."""
    total = 0.0
    for proc in psutil.process_iter(["name"]):
        if proc.info["name"] in ("postgres", "postmaster"):
            with contextlib.suppress(psutil.Error):
                total += sum(proc.cpu_times()[:2])
    return total


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """CPU time (user + system) each process and its children have used so far."""
    out = {}
    for name, pid in pids.items():
        try:
            proc = psutil.Process(pid)
            total = sum(proc.cpu_times()[:2])
            for child in proc.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += sum(child.cpu_times()[:2])
            out[name] = total
        except psutil.Error:
            out[name] = 0.0
    return out


@contextlib.contextmanager
def profiling(directory: Path | None, label: str, pids: dict[str, int], seconds: float):
    """Records each process with py-spy while the block runs: collapsed stacks of the threads
    holding the GIL (where Python spends CPU, not where it waits), <label>-<name>.txt."""
    if directory is None:
        yield
        return
    directory.mkdir(parents=True, exist_ok=True)
    spies = [
        subprocess.Popen(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--pid",
                str(pid),
                "--duration",
                str(max(int(seconds), 1)),
                "--rate",
                "100",
                "--format",
                "raw",
                "--nonblocking",
                "--gil",
                "--subprocesses",
                "--output",
                str(directory / f"{label}-{name}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, pid in pids.items()
    ]
    try:
        yield
    finally:
        for spy in spies:
            try:
                spy.wait(seconds + 30)
            except subprocess.TimeoutExpired:
                _terminate(spy)
