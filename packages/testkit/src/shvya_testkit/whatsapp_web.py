"""A local page that behaves like WhatsApp Web, and the server behind it, for tests that drive the
real WhatsApp Web adapter in headless Chromium.

The page (whatsapp_web_page.html) shows a QR code until the test "scans" it,
then the chat list; `/send?phone=<digits>` opens a chat with a contenteditable
composer and a send button, or WhatsApp's invalid-number dialog; our bubbles
carry ticks (clock, one tick, two ticks, read); students' messages arrive in
the open chat or as unread chats in the list. The link lives in the
browser's localStorage, so a browser profile that is kept stays linked, as
with the real WhatsApp Web. The test plays the phone and the students:
scan(), logout(), ban(), receive(), deliver(), read().
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlparse


@dataclass
class Bubble:
    id: str
    out: bool
    text: str
    sender: str
    at: datetime
    tick: str = "pending"  # our bubbles: pending, sent, delivered, read, failed

    def view(self) -> dict:
        stamp = self.at.strftime("%H:%M, %d/%m/%Y")
        return {
            "id": self.id,
            "out": self.out,
            "text": self.text,
            "pre": f"[{stamp}] {self.sender}: ",
            "time": self.at.strftime("%H:%M"),
            "tick": self.tick,
        }


@dataclass
class Chat:
    digits: str
    name: str = ""
    bubbles: list[Bubble] = field(default_factory=list)
    unread: int = 0

    @property
    def title(self) -> str:
        return self.name or f"+{self.digits}"


@dataclass(frozen=True)
class Sent:
    """A message the page sent, as its composer held it."""

    id: str
    to: str
    text: str
    # Milliseconds between key presses while it was typed (pasted text has none).
    key_intervals: tuple[float, ...]


def _hex_id() -> str:
    return "3EB0" + uuid.uuid4().hex[:16].upper()


class FakeWhatsAppWeb:
    def __init__(self, *, bubble_ids: bool = True) -> None:
        # False: bubbles carry no data-id (as some WhatsApp Web releases render them).
        self.bubble_ids = bubble_ids
        self._lock = threading.Condition()
        self._tokens: set[str] = set()
        self._scan_pending = False
        self.banned = False
        self._invalid: set[str] = set()
        self._chats: dict[str, Chat] = {}
        self._sent: list[Sent] = []
        self._qr_epoch = time.monotonic()
        self._server: ThreadingHTTPServer | None = None
        self._page = resources.files("shvya_testkit").joinpath("whatsapp_web_page.html").read_bytes()

    # -- the phone and the students (test controls) -------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def linked(self) -> bool:
        with self._lock:
            return bool(self._tokens)

    def scan(self) -> None:
        """The number's phone scans the QR code the page shows."""
        with self._lock:
            self._scan_pending = True

    def logout(self) -> None:
        """The phone removes this linked device (or WhatsApp expires it)."""
        with self._lock:
            self._tokens.clear()

    def ban(self) -> None:
        with self._lock:
            self.banned = True

    def mark_invalid(self, digits: str) -> None:
        """A number that is not on WhatsApp."""
        with self._lock:
            self._invalid.add(digits)

    def receive(self, digits: str, name: str, text: str) -> str:
        """A student writes to the number; returns the message's data-id."""
        with self._lock:
            chat = self._chats.setdefault(digits, Chat(digits))
            chat.name = chat.name or name
            bubble = Bubble(f"false_{digits}@c.us_{_hex_id()}", False, text, name, datetime.now())
            chat.bubbles.append(bubble)
            chat.unread += 1
            self._lock.notify_all()
            return bubble.id

    def deliver(self, message_id: str) -> None:
        self._tick(message_id, "delivered")

    def read(self, message_id: str) -> None:
        self._tick(message_id, "read")

    def sent(self) -> list[Sent]:
        with self._lock:
            return list(self._sent)

    def wait_for_sent(self, count: int, timeout: float = 20.0) -> list[Sent]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self._sent) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._lock.wait(left)
            return list(self._sent)

    def unread(self, digits: str) -> int:
        with self._lock:
            chat = self._chats.get(digits)
            return chat.unread if chat else 0

    def _tick(self, message_id: str, tick: str) -> None:
        with self._lock:
            for chat in self._chats.values():
                for bubble in chat.bubbles:
                    if bubble.id == message_id:
                        bubble.tick = tick
                        return
        raise KeyError(message_id)

    # -- the server ----------------------------------------------------------------------------

    def start(self) -> FakeWhatsAppWeb:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                fake._get(self)

            def do_POST(self) -> None:
                fake._post(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _reply(self, handler: BaseHTTPRequestHandler, status: int, body: bytes, kind: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Cache-Control", "no-store")
        handler.end_headers()
        handler.wfile.write(body)

    def _json(self, handler: BaseHTTPRequestHandler, status: int, body: dict) -> None:
        self._reply(handler, status, json.dumps(body).encode(), "application/json")

    def _get(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlparse(handler.path)
        if url.path == "/api/state":
            token = parse_qs(url.query).get("token", [""])[0]
            self._json(handler, 200, self._state(token))
        elif url.path in ("/", "/send", "/send/"):
            self._reply(handler, 200, self._page, "text/html; charset=utf-8")
        else:
            self._reply(handler, 404, b"not found", "text/plain")

    def _state(self, token: str) -> dict:
        with self._lock:
            state: dict = {
                "banned": self.banned,
                "invalid": sorted(self._invalid),
                "linked": token in self._tokens,
                "bubbleIds": self.bubble_ids,
            }
            if not state["linked"] and self._scan_pending and not self.banned:
                token = uuid.uuid4().hex
                self._tokens = {token}  # one linked browser at a time
                self._scan_pending = False
                state.update(linked=True, newToken=token)
            # WhatsApp rotates its QR code about every 20 seconds.
            state["qrRef"] = (
                f"2@{int((time.monotonic() - self._qr_epoch) // 20)}{id(self) % 100000},shvya-test"
            )
            if state["linked"]:
                for chat in self._chats.values():
                    for bubble in chat.bubbles:
                        if bubble.out and bubble.tick == "pending":
                            bubble.tick = "sent"  # the server took it
                state["chats"] = {
                    d: {"title": c.title, "unread": c.unread, "messages": [b.view() for b in c.bubbles]}
                    for d, c in self._chats.items()
                }
            return state

    def _post(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = json.loads(handler.rfile.read(length) or b"{}")
        with self._lock:
            if body.get("token") not in self._tokens:
                self._json(handler, 403, {"error": "not linked"})
                return
            if handler.path == "/api/send":
                to = body["to"]
                chat = self._chats.setdefault(to, Chat(to))
                bubble = Bubble(f"true_{to}@c.us_{_hex_id()}", True, body["text"], "Me", datetime.now())
                chat.bubbles.append(bubble)
                self._sent.append(Sent(bubble.id, to, body["text"], tuple(body.get("keys") or ())))
                self._lock.notify_all()
                self._json(handler, 200, {"id": bubble.id})
            elif handler.path == "/api/read":
                chat = self._chats.get(body.get("chat", ""))
                if chat is not None:
                    chat.unread = 0
                self._json(handler, 200, {})
            else:
                self._json(handler, 404, {"error": "unknown"})
