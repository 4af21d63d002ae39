"""A real SMTP server (aiosmtpd) on loopback that records what it accepts and can be made to fail."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from shvya_testkit.ports import free_port


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    # time.monotonic() when the server accepted the message (the bench measures to it).
    received_at: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


@dataclass
class _Handler:
    messages: list[Received] = field(default_factory=list)
    rcpt_reply: str | None = None  # e.g. "550 5.1.1 no such user" to refuse recipients
    data_reply: str | None = None  # e.g. "451 4.3.0 try later" to refuse the message
    # Seconds between taking a message and answering 250: the time in which the server has
    # it and the client does not know yet (a real relay writes it to disk first).
    reply_delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.arrived = threading.Condition(self.lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.arrived:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
            self.arrived.notify_all()
        if self.reply_delay:
            await asyncio.sleep(self.reply_delay)
        return "250 Message accepted for delivery"


class SmtpServer:
    """Start/stop at will on a fixed port, so a client sees it 'go down' and 'come back'."""

    def __init__(self, port: int | None = None, *, reply_delay: float = 0.0) -> None:
        self.port = port or free_port()
        self.handler = _Handler(reply_delay=reply_delay)
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.messages)

    def start(self) -> SmtpServer:
        self._controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            server_kwargs={"decode_data": False},
            ready_timeout=10,
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuse_recipients(self, reply: str | None) -> None:
        self.handler.rcpt_reply = reply

    def refuse_data(self, reply: str | None) -> None:
        self.handler.data_reply = reply

    def clear(self) -> None:
        with self.handler.lock:
            self.handler.messages.clear()

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        """Waits until at least `count` messages have arrived; returns them all."""
        with self.handler.arrived:
            self.handler.arrived.wait_for(lambda: len(self.handler.messages) >= count, timeout)
            return list(self.handler.messages)
