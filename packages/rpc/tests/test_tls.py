"""TLS on the gRPC hops, with certificates a test CA (trustme) issues: server TLS, mutual TLS
when a CA is given, the plaintext health-only port, and the GRPC_TLS_* variables."""

from __future__ import annotations

import asyncio
from pathlib import Path

import grpc
import pytest
import trustme
from grpc_health.v1 import health_pb2, health_pb2_grpc

from shvya.ai.v1 import ai_service_pb2 as ai_pb
from shvya.ai.v1 import ai_service_pb2_grpc as ai_pb_grpc
from shvya_rpc.client import connect, connect_aio
from shvya_rpc.server import Registration, run_server
from shvya_rpc.tls import GrpcTlsSettings, Tls


def _echo_registration() -> Registration:
    def add(servicer, server: grpc.Server) -> None:
        handler = grpc.unary_unary_rpc_method_handler(
            lambda request, context: ai_pb.ComposeReplyResponse(text="pong"),
            request_deserializer=ai_pb.ComposeReplyRequest.FromString,
            response_serializer=ai_pb.ComposeReplyResponse.SerializeToString,
        )
        server.add_generic_rpc_handlers(
            (grpc.method_handlers_generic_handler("shvya.ai.v1.AiService", {"ComposeReply": handler}),)
        )

    return Registration(None, add, ai_pb.DESCRIPTOR.services_by_name["AiService"])


def compose(channel) -> str:
    return ai_pb_grpc.AiServiceStub(channel).ComposeReply(ai_pb.ComposeReplyRequest(), timeout=5).text


def pem(cert: trustme.LeafCert) -> tuple[bytes, bytes]:
    return cert.cert_chain_pems[0].bytes(), cert.private_key_pem.bytes()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def server_tls(ca) -> Tls:
    cert, key = pem(ca.issue_cert("127.0.0.1", "localhost"))
    return Tls(cert=cert, key=key)


@pytest.fixture(scope="module")
def client_cert(ca) -> tuple[bytes, bytes]:
    return pem(ca.issue_cert("gateway.shvya.internal"))


def ca_pem(ca: trustme.CA) -> bytes:
    return ca.cert_pem.bytes()


def test_a_tls_server_answers_a_client_that_trusts_its_ca(ca, server_tls):
    with (
        run_server([_echo_registration()], port=0, host="127.0.0.1", tls=server_tls) as server,
        connect(f"127.0.0.1:{server.port}", tls=Tls(ca=ca_pem(ca))) as channel,
    ):
        assert compose(channel) == "pong"


def test_a_tls_server_refuses_a_plaintext_client(server_tls):
    with (
        run_server([_echo_registration()], port=0, host="127.0.0.1", tls=server_tls) as server,
        connect(f"127.0.0.1:{server.port}", tls=Tls()) as channel,
        pytest.raises(grpc.RpcError) as refused,
    ):
        compose(channel)
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE


def test_a_client_refuses_a_server_its_ca_did_not_sign(server_tls):
    with (
        run_server([_echo_registration()], port=0, host="127.0.0.1", tls=server_tls) as server,
        connect(f"127.0.0.1:{server.port}", tls=Tls(ca=ca_pem(trustme.CA()))) as channel,
        pytest.raises(grpc.RpcError) as refused,
    ):
        compose(channel)
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE


def test_with_a_ca_the_server_refuses_a_client_without_a_certificate(ca, server_tls):
    mutual = Tls(cert=server_tls.cert, key=server_tls.key, ca=ca_pem(ca))
    with (
        run_server([_echo_registration()], port=0, host="127.0.0.1", tls=mutual) as server,
        connect(f"127.0.0.1:{server.port}", tls=Tls(ca=ca_pem(ca))) as channel,
        pytest.raises(grpc.RpcError) as refused,
    ):
        compose(channel)
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE


def test_with_a_ca_the_server_refuses_a_certificate_another_ca_signed(ca, server_tls):
    mutual = Tls(cert=server_tls.cert, key=server_tls.key, ca=ca_pem(ca))
    cert, key = pem(trustme.CA().issue_cert("intruder.example"))
    with (
        run_server([_echo_registration()], port=0, host="127.0.0.1", tls=mutual) as server,
        connect(f"127.0.0.1:{server.port}", tls=Tls(cert=cert, key=key, ca=ca_pem(ca))) as channel,
        pytest.raises(grpc.RpcError) as refused,
    ):
        compose(channel)
    assert refused.value.code() == grpc.StatusCode.UNAVAILABLE


def test_with_a_ca_the_server_answers_a_client_whose_certificate_it_signed(ca, server_tls, client_cert):
    mutual = Tls(cert=server_tls.cert, key=server_tls.key, ca=ca_pem(ca))
    cert, key = client_cert
    with (
        run_server([_echo_registration()], port=0, host="127.0.0.1", tls=mutual) as server,
        connect(f"127.0.0.1:{server.port}", tls=Tls(cert=cert, key=key, ca=ca_pem(ca))) as channel,
    ):
        assert compose(channel) == "pong"


def test_the_asyncio_client_speaks_mutual_tls_too(ca, server_tls, client_cert):
    mutual = Tls(cert=server_tls.cert, key=server_tls.key, ca=ca_pem(ca))
    cert, key = client_cert

    async def call(port: int) -> str:
        channel = connect_aio(f"127.0.0.1:{port}", tls=Tls(cert=cert, key=key, ca=ca_pem(ca)))
        try:
            stub = ai_pb_grpc.AiServiceStub(channel)
            return (await stub.ComposeReply(ai_pb.ComposeReplyRequest(), timeout=5)).text
        finally:
            await channel.close()

    with run_server([_echo_registration()], port=0, host="127.0.0.1", tls=mutual) as server:
        assert asyncio.run(call(server.port)) == "pong"


def test_the_health_port_answers_health_in_plaintext_and_nothing_else(ca, server_tls):
    tls = Tls(cert=server_tls.cert, key=server_tls.key, ca=ca_pem(ca), health_port=0)
    with (
        run_server([_echo_registration()], port=0, host="127.0.0.1", tls=tls) as server,
        connect(f"127.0.0.1:{server.health_port}", tls=Tls()) as plain,
    ):
        health = health_pb2_grpc.HealthStub(plain).Check(health_pb2.HealthCheckRequest(), timeout=5)
        with pytest.raises(grpc.RpcError) as refused:
            compose(plain)
    assert health.status == health_pb2.HealthCheckResponse.SERVING
    assert refused.value.code() == grpc.StatusCode.UNIMPLEMENTED


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_servers_and_clients_read_their_certificates_from_the_files_the_variables_name(
    ca, server_tls, tmp_path, monkeypatch
):
    # Given every process of the mesh pointed at one set of files (a mounted Secret)
    monkeypatch.setenv("GRPC_TLS_CA_FILE", write(tmp_path, "ca.crt", ca_pem(ca)))
    monkeypatch.setenv("GRPC_TLS_CERT_FILE", write(tmp_path, "tls.crt", server_tls.cert))
    monkeypatch.setenv("GRPC_TLS_KEY_FILE", write(tmp_path, "tls.key", server_tls.key))
    with run_server([_echo_registration()], port=0, host="127.0.0.1") as server:
        address = f"127.0.0.1:{server.port}"
        # Then a client configured the same way is served, over mutual TLS
        with connect(address) as channel:
            assert compose(channel) == "pong"
        # And a plaintext client is not
        with connect(address, tls=Tls()) as channel, pytest.raises(grpc.RpcError):
            compose(channel)


def test_a_certificate_without_its_key_is_refused_at_start(tmp_path):
    with pytest.raises(ValueError, match="go together"):
        GrpcTlsSettings(cert_file=tmp_path / "tls.crt")
