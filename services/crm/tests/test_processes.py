"""`CRM_PROCESSES=2`: two crm processes serving one port, supervised by the first.

Run as the product runs it (`python -m shvya_crm serve`), against the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import grpc
import psutil
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.type.v1 import channel_pb2
from shvya_rpc.client import connect_many
from shvya_rpc.crm_client import CrmClient
from shvya_testkit.ports import free_port
from shvya_testkit.waiting import wait_until

CONNECTIONS = 16  # a lopsided spread of 16 connections over 2 processes: 2 in 65,536


@dataclass
class Served:
    process: subprocess.Popen
    port: int

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def children(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children()


def _serving(address: str) -> bool:
    channel = grpc.insecure_channel(address)
    try:
        status = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=1).status
        return status == health_pb2.HealthCheckResponse.SERVING
    except grpc.RpcError:
        return False
    finally:
        channel.close()


def _ports(process: psutil.Process, status: str) -> list[int]:
    return [c.laddr.port for c in process.net_connections(kind="tcp") if c.status == status]


@pytest.fixture
def served(database_url) -> Iterator[Served]:
    port = free_port()
    env = {
        **os.environ,
        "ENV": "development",
        "DATABASE_URL": database_url,
        "CRM_HOST": "127.0.0.1",
        "CRM_PORT": str(port),
        "CRM_PROCESSES": "2",
        "CRM_TEST_CLOCK": "false",
        "LOG_LEVEL": "INFO",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "shvya_crm", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    served = Served(process, port)
    children: list[psutil.Process] = []
    try:
        # One answering process is enough for the health check; the other may still be starting
        # (its imports, its server), so the fixture waits until both listen.
        wait_until(
            lambda: (
                _serving(served.address)
                and len(served.children()) == 2
                and all(port in _ports(child, psutil.CONN_LISTEN) for child in served.children())
            ),
            30,
            "two crm processes listening",
        )
        children = served.children()
        yield served
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        for child in children:
            if child.is_running():
                child.kill()


def test_both_processes_listen_on_the_port_and_serve_the_calls_of_one_client(served):
    children = served.children()
    assert [served.port in _ports(child, psutil.CONN_LISTEN) for child in children] == [True, True]
    channels = connect_many(served.address, None, CONNECTIONS)
    stub = CrmClient.over(channels)
    try:
        for i in range(CONNECTIONS):
            stub.leads.IngestInboundMessage(
                leads_pb.IngestInboundMessageRequest(
                    phone_number=f"98765{i:05d}",
                    contact_name="Rahul",
                    message_text="Interested in Digital Marketing",
                    channel=channel_pb2.CHANNEL_WHATSAPP_WEB,
                ),
                timeout=10,
            )
        # Each process holds some of the client's connections, so each served some calls
        held = [_ports(child, psutil.CONN_ESTABLISHED).count(served.port) for child in children]
    finally:
        for channel in channels:
            channel.close()
    assert sum(held) == CONNECTIONS
    assert all(held), held


def test_sigterm_stops_every_process_gracefully(served):
    children = served.children()
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(30) == 0
    assert b"did not stop" not in served.process.stderr.read()
    assert not any(child.is_running() and child.status() != psutil.STATUS_ZOMBIE for child in children)
    assert not _serving(served.address)


def test_a_process_that_dies_stops_the_others_and_the_crm_exits_non_zero(served):
    """So that the process manager restarts the whole crm rather than run on at half strength."""
    first, second = served.children()
    first.kill()
    assert served.process.wait(30) == 1
    wait_until(
        lambda: not second.is_running() or second.status() == psutil.STATUS_ZOMBIE, 10, "the other process"
    )
    assert b"ended on its own" in served.process.stderr.read()


def test_the_processes_stop_when_the_crm_is_killed_outright(served):
    """SIGKILL (or the OOM killer) leaves no signal to pass on: no process serves on, orphaned."""
    children = served.children()
    served.process.kill()
    served.process.wait(10)
    gone = psutil.wait_procs(children, timeout=15)[1] == []
    assert gone, "a crm process kept running after its parent was killed"
    assert not _serving(served.address)
