"""Optional TLS for every gRPC hop: certificates from files (a mounted Kubernetes Secret), mutual with a CA.

Every service reads the same variables, as a server and as a client:

- GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE: the process's certificate and key. A server
  with them serves TLS only; a client presents them when the server asks.
- GRPC_TLS_CA_FILE: the certificate authority of the mesh. A client verifies servers
  against it; a server with it requires every client to present a certificate it signed
  (mutual TLS), so that only the mesh's own processes can call.
- GRPC_TLS_HEALTH_PORT: with TLS on, a second port that serves only gRPC health in
  plaintext, for probes that cannot speak TLS (the kubelet's native gRPC probe).

A client uses TLS when a CA or a certificate is given (without a CA, servers are verified
against the system's roots). Nothing set: plaintext, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import grpc
from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class GrpcTlsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRPC_TLS_", extra="ignore", env_ignore_empty=True)

    cert_file: Path | None = None
    key_file: Path | None = None
    ca_file: Path | None = None
    health_port: int | None = None

    @model_validator(mode="after")
    def _pair(self) -> GrpcTlsSettings:
        if (self.cert_file is None) != (self.key_file is None):
            raise ValueError("GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE go together")
        if self.health_port is not None and self.cert_file is None:
            raise ValueError(
                "GRPC_TLS_HEALTH_PORT needs GRPC_TLS_CERT_FILE: without TLS, probe the gRPC port"
            )
        return self


@dataclass(frozen=True)
class Tls:
    """The PEM bytes of a process's TLS material; all None is plaintext."""

    cert: bytes | None = None
    key: bytes | None = None
    ca: bytes | None = None
    health_port: int | None = None

    @classmethod
    def load(cls, settings: GrpcTlsSettings) -> Tls:
        def read(path: Path | None) -> bytes | None:
            return path.read_bytes() if path is not None else None

        return cls(
            read(settings.cert_file), read(settings.key_file), read(settings.ca_file), settings.health_port
        )

    @classmethod
    def from_environment(cls) -> Tls:
        return cls.load(GrpcTlsSettings())

    def server_credentials(self) -> grpc.ServerCredentials | None:
        if self.cert is None or self.key is None:
            return None
        return grpc.ssl_server_credentials(
            [(self.key, self.cert)], root_certificates=self.ca, require_client_auth=self.ca is not None
        )

    def channel_credentials(self) -> grpc.ChannelCredentials | None:
        if self.ca is None and self.cert is None:
            return None
        return grpc.ssl_channel_credentials(
            root_certificates=self.ca, private_key=self.key, certificate_chain=self.cert
        )
