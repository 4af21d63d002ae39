"""/metrics exposes request counts per route template, not per concrete path."""

from fastapi.testclient import TestClient

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_testkit.ports import free_port


def test_requests_are_counted_per_route_template_and_status():
    settings = GatewaySettings(crm_addr=f"127.0.0.1:{free_port()}", conductor_addr=f"127.0.0.1:{free_port()}")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        client.get("/healthz")
        client.post("/inbound-message", json={})
        text = client.get("/metrics").text
    assert 'shvya_gateway_requests_total{method="GET",route="/healthz",status="200"} 1.0' in text
    assert 'shvya_gateway_requests_total{method="POST",route="/inbound-message",status="422"} 1.0' in text
    assert "shvya_gateway_request_seconds_bucket" in text
