"""The lines about a failed hand-over carry the trace of the request that leased each job, even
when several requests' jobs went in one call."""

from __future__ import annotations

import json
import uuid

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from shvya.conductor.v1 import conductor_service_pb2_grpc
from shvya_rpc.client import connect
from shvya_rpc.crm_client import CrmClient
from shvya_rpc.handover import Leased, Outcome, hand_over
from shvya_rpc.log_context import bound
from shvya_rpc.logs import configure_logging
from shvya_testkit.ports import free_port

FIRST_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
SECOND_TRACE = "0af7651916cd43dd8448eb211c80319c"
CALLER_TRACE = "11111111111111111111111111111111"


pytestmark = pytest.mark.usefixtures("restore_logging")


def test_each_failed_job_is_logged_with_its_own_requests_trace_id(capsys):
    # Given two jobs leased by two requests, and neither a conductor nor a crm answering
    configure_logging("gateway", "INFO", "json")
    until = Timestamp(seconds=2_000_000_000)
    first = Leased(str(uuid.uuid4()), "ai_engage", until, FIRST_TRACE)
    second = Leased(str(uuid.uuid4()), "ai_engage", until, SECOND_TRACE)
    conductor, crm = connect(f"127.0.0.1:{free_port()}"), connect(f"127.0.0.1:{free_port()}")
    # When they are handed over in one call, made in a third trace
    try:
        with bound(trace_id=CALLER_TRACE):
            outcomes = hand_over(
                CrmClient.over(crm),
                conductor_service_pb2_grpc.ConductorServiceStub(conductor),
                [first, second],
                timeout=1.0,
            )
    finally:
        conductor.close()
        crm.close()

    # Then each job's line carries the trace of the request that leased it
    assert outcomes == {first.job_id: Outcome.LEASE_KEPT, second.job_id: Outcome.LEASE_KEPT}
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]
    traces = {
        job.job_id: [line["trace_id"] for line in lines if job.job_id in line["message"]]
        for job in (first, second)
    }
    assert traces == {first.job_id: [FIRST_TRACE], second.job_id: [SECOND_TRACE]}
