"""Fixtures for the channels service: its real gRPC server over real Redis, and real SMTP servers.

Plain SMTP comes from the test kit's `smtp_server`. TLS cases get their own
aiosmtpd controllers here, with certificates from a trustme CA, and a handler
that records every envelope command together with whether the connection was
encrypted at that moment, so a test can prove nothing went out in clear text.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import ssl
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya.channels.v1 import channels_service_pb2_grpc as pb_grpc
from shvya.type.v1 import channel_pb2
from shvya_channels.server import run_server
from shvya_channels.settings import ChannelsSettings
from shvya_rpc.client import connect
from shvya_testkit.ports import free_port


def channels_settings(**overrides: Any) -> ChannelsSettings:
    values: dict[str, Any] = {
        "env": "development",
        "channel": "email",
        "host": "127.0.0.1",
        "internal_token": None,
        "smtp_host": "127.0.0.1",
        "smtp_security": "none",
        "smtp_user": None,
        "smtp_password": None,
        "smtp_timeout_seconds": 5,
        "smtp_from": "Shvya Admissions <admissions@shvya.test>",
        "smtp_message_id_domain": None,
        "smtp_ca_file": None,
    }
    values.update(overrides)
    return ChannelsSettings(**values)


@pytest.fixture
def make_settings(redis_url: str, redis_prefix: str) -> Callable[..., ChannelsSettings]:
    """ChannelsSettings on the test Redis under this test's key prefix; keywords override."""
    return lambda **overrides: channels_settings(
        **{"redis_url": redis_url, "redis_prefix": redis_prefix, **overrides}
    )


class ChannelsClient:
    """A running channels deployment with a channel and a stub to it."""

    def __init__(self, settings: ChannelsSettings) -> None:
        self.settings = settings

    def __enter__(self) -> ChannelsClient:
        self._server = run_server(self.settings, port=0)
        running = self._server.__enter__()
        self.address = f"127.0.0.1:{running.port}"
        self.channel = connect(self.address)
        self.stub = pb_grpc.ChannelsServiceStub(self.channel)
        return self

    def __exit__(self, *exc: object) -> None:
        # Idempotent: a test may stop a deployment itself, before the fixture does.
        if self._server is None:
            return
        server, self._server = self._server, None
        self.channel.close()
        server.__exit__(*exc)


@pytest.fixture
def start_channels() -> Iterator[Callable[[ChannelsSettings], ChannelsClient]]:
    """Starts a channels deployment for the rest of the test: `client = start_channels(settings)`."""
    started: list[ChannelsClient] = []

    def start(settings: ChannelsSettings) -> ChannelsClient:
        client = ChannelsClient(settings).__enter__()
        started.append(client)
        return client

    yield start
    for client in reversed(started):
        client.__exit__(None, None, None)


@pytest.fixture
def cloud_settings(make_settings, graph_api) -> Callable[..., ChannelsSettings]:
    """Settings of a whatsapp_cloud deployment that talks to the test's Graph API server."""

    def build(**overrides: Any) -> ChannelsSettings:
        values: dict[str, Any] = {
            "channel": "whatsapp_cloud",
            "whatsapp_cloud_graph_url": graph_api.url,
            "whatsapp_cloud_api_version": graph_api.version,
            "whatsapp_cloud_phone_id": graph_api.phone_id,
            "whatsapp_cloud_token": graph_api.token,
            "whatsapp_cloud_timeout_seconds": 5,
            "whatsapp_human_pacing": True,
        }
        values.update(overrides)
        return make_settings(**values)

    return build


@pytest.fixture
def wa_request():
    """Builds a WhatsApp Cloud SendMessageRequest; keyword arguments override."""

    def build(**overrides: Any) -> pb.SendMessageRequest:
        values: dict[str, Any] = {
            "channel": channel_pb2.CHANNEL_WHATSAPP_CLOUD,
            "idempotency_key": f"message:{uuid.uuid4()}",
            "message_id": str(uuid.uuid4()),
            "recipient": pb.Recipient(name="Priya Sharma", phone_number="+919812345678"),
            "text": "Hi Priya, the fee for Digital Marketing Pro is Rs 24,999.",
            "window_open": True,
            "recipient_wrote_first": True,
        }
        values.update(overrides)
        return pb.SendMessageRequest(**values)

    return build


@pytest.fixture
def web_settings(
    make_settings, whatsapp_web_page, chromium_path, tmp_path
) -> Callable[..., ChannelsSettings]:
    """Settings of a whatsapp_web deployment driving the local WhatsApp Web page.

    Human pacing is off unless a test turns it on; the session directory is the test's own."""

    def build(**overrides: Any) -> ChannelsSettings:
        values: dict[str, Any] = {
            "channel": "whatsapp_web",
            "whatsapp_web_url": whatsapp_web_page.url,
            "whatsapp_web_chromium_path": chromium_path,
            "whatsapp_session_dir": str(tmp_path / "session"),
            "whatsapp_web_account": "test-number",
            "whatsapp_web_poll_seconds": 0.2,
            "whatsapp_human_pacing": False,
            "whatsapp_web_daily_cap": 100,
            # Nothing listens here: what the page reports waits in the account's Redis outbox.
            "crm_addr": f"127.0.0.1:{free_port()}",
        }
        values.update(overrides)
        return make_settings(**values)

    return build


@pytest.fixture
def email_channel(smtp_server, make_settings, start_channels) -> ChannelsClient:
    """The email deployment, delivering to the test kit's SMTP server in plain text."""
    return start_channels(make_settings(smtp_port=smtp_server.port))


@pytest.fixture
def send_request():
    """Builds an email SendMessageRequest; keyword arguments override."""

    def build(**overrides: Any) -> pb.SendMessageRequest:
        values: dict[str, Any] = {
            "channel": channel_pb2.CHANNEL_EMAIL,
            "idempotency_key": "reply_job-1",
            "message_id": "0b7e9a52-5d1c-4c39-9f1e-2f6f0a3c1d11",
            "recipient": pb.Recipient(name="Rahul Kumar", email="rahul@example.com"),
            "subject": "Your enquiry about Digital Marketing Pro",
            "text": "Hi Rahul,\n\nThe fee is Rs 24,999. See https://shvya.test/dm for details.",
        }
        values.update(overrides)
        return pb.SendMessageRequest(**values)

    return build


# -- TLS ------------------------------------------------------------------


@dataclass
class Pki:
    ca: trustme.CA
    ca_file: str

    def server_context(self, *hostnames: str, ca: trustme.CA | None = None) -> ssl.SSLContext:
        """A server-side TLS context with a certificate for `hostnames` (issued by `ca`, default ours)."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        (ca or self.ca).issue_cert(*hostnames).configure_cert(context)
        return context


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> Pki:
    """A private certificate authority; its certificate file is what SMTP_CA_FILE points at."""
    ca = trustme.CA()
    path = Path(tmp_path_factory.mktemp("pki")) / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return Pki(ca=ca, ca_file=str(path))


@dataclass
class Delivered:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    encrypted: bool


@dataclass
class RecordingHandler:
    """Records MAIL, RCPT and DATA, each with whether the connection was encrypted."""

    data_delay: float = 0.0
    commands: list[tuple[str, bool]] = field(default_factory=list)
    delivered: list[Delivered] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def _encrypted(server, session) -> bool:
        transport = server.transport
        return session.ssl is not None or (
            transport is not None and transport.get_extra_info("ssl_object") is not None
        )

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            self.commands.append(("MAIL", self._encrypted(server, session)))
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.commands.append(("RCPT", self._encrypted(server, session)))
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.commands.append(("DATA", self._encrypted(server, session)))
            self.delivered.append(
                Delivered(
                    envelope.mail_from, list(envelope.rcpt_tos), parsed, self._encrypted(server, session)
                )
            )
        return "250 Message accepted for delivery"

    def messages(self) -> list[Delivered]:
        with self.lock:
            return list(self.delivered)


@dataclass
class SmtpUnderTest:
    port: int
    handler: RecordingHandler


@pytest.fixture
def start_smtp() -> Iterator[Callable[..., SmtpUnderTest]]:
    """Starts an aiosmtpd server on a free port with a RecordingHandler.

    `start_smtp(tls_context=ctx, require_starttls=True)` offers STARTTLS;
    `start_smtp(ssl_context=ctx)` speaks implicit TLS; `start_smtp()` is plain.
    """
    controllers: list[Controller] = []

    def start(data_delay: float = 0.0, **kwargs: Any) -> SmtpUnderTest:
        handler = RecordingHandler(data_delay=data_delay)
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10, **kwargs)
        controller.start()
        controllers.append(controller)
        return SmtpUnderTest(port=port, handler=handler)

    yield start
    for controller in controllers:
        controller.stop()
