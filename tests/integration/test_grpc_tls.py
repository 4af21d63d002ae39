"""The mesh with mutual TLS on every gRPC hop, configured as a deployment would be: each process
reads the same certificate, key and CA from the files GRPC_TLS_* name."""

from __future__ import annotations

import uuid

import grpc
import pytest
import trustme
from fastapi.testclient import TestClient
from grpc_health.v1 import health_pb2, health_pb2_grpc

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings


@pytest.fixture
def mesh_tls_files(tmp_path, monkeypatch):
    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    files = {
        "GRPC_TLS_CA_FILE": ("ca.crt", ca.cert_pem.bytes()),
        "GRPC_TLS_CERT_FILE": ("tls.crt", leaf.cert_chain_pems[0].bytes()),
        "GRPC_TLS_KEY_FILE": ("tls.key", leaf.private_key_pem.bytes()),
    }
    for variable, (name, data) in files.items():
        (tmp_path / name).write_bytes(data)
        monkeypatch.setenv(variable, str(tmp_path / name))


def test_a_form_is_answered_with_mutual_tls_on_every_grpc_hop(mesh_tls_files, make_mesh):
    # Given the whole mesh started with mutual TLS
    mesh = make_mesh()
    settings = GatewaySettings(
        crm_addr=mesh.crm_addr, conductor_addr=mesh.conductor_addr, rate_limits_enabled=False
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as api:
        # When a student posts a form
        n = uuid.uuid4().int % 10**8
        response = api.post(
            "/inbound-message",
            json={
                "phone_number": f"+9196{n:08d}",
                "contact_name": "Asha",
                "message_text": "Fees for the data science course?",
                "channel": "email",
                "email": f"asha.{n}@example.com",
            },
        )
    # Then it is recorded (gateway to crm and conductor), and the reply goes out (conductor to
    # crm, ai and the email channel)
    assert response.status_code == 200
    mesh.wait_for_job(response.json()["job_id"], "completed")
    assert len(mesh.smtp.wait_for(1)) == 1


def test_the_mesh_under_mutual_tls_refuses_a_plaintext_caller(mesh_tls_files, make_mesh):
    mesh = make_mesh()

    with grpc.insecure_channel(mesh.crm_addr) as channel, pytest.raises(grpc.RpcError) as refused:
        health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)

    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
