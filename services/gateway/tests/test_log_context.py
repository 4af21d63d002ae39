"""Each request has a trace id: the caller's when it sends a traceparent, a new one otherwise."""

from fastapi.testclient import TestClient

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_rpc.log_context import trace_id_from
from shvya_testkit.ports import free_port

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def client() -> TestClient:
    settings = GatewaySettings(crm_addr=f"127.0.0.1:{free_port()}", conductor_addr=f"127.0.0.1:{free_port()}")
    return TestClient(create_app(settings))


def test_the_callers_trace_is_continued_and_answered_back():
    with client() as http:
        answer = http.get("/healthz", headers={"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"})
    assert trace_id_from(answer.headers["traceparent"]) == TRACE_ID


def test_a_request_without_a_trace_gets_a_new_one_each_time():
    with client() as http:
        first = trace_id_from(http.get("/healthz").headers["traceparent"])
        second = trace_id_from(http.get("/healthz").headers["traceparent"])
    assert first
    assert second
    assert first != second
