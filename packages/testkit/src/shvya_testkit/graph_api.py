"""An HTTP server on 127.0.0.1 that answers like Meta's Graph API for WhatsApp Cloud API sends.

It checks what Meta checks (the path with version and phone number id, the
Bearer token, the message body's required fields), records every request,
and answers with Meta's real shapes: `{"messaging_product", "contacts",
"messages": [{"id": "wamid..."}]}` on success and the error envelope
`{"error": {"message", "type", "code", "error_data", "fbtrace_id"}}` on
failure. Tests queue errors with `fail_next(code)`.
"""

from __future__ import annotations

import base64
import json
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Meta's titles for the codes tests use (message, details, HTTP status).
ERRORS: dict[int, tuple[str, str, int]] = {
    130429: ("(#130429) Rate limit hit", "Cloud API message throughput has been reached.", 400),
    131056: ("(#131056) (Business Account, Consumer Account) pair rate limit hit",
             "Message failed to send because there were too many messages sent from this phone number "
             "to the same phone number in a short period of time.", 400),
    131047: ("(#131047) Re-engagement message",
             "Message failed to send because more than 24 hours have passed since the customer last "
             "replied to this number.", 400),
    131026: ("(#131026) Message undeliverable", "Message Undeliverable.", 400),
    368: ("(#368) Temporarily blocked for policies violations",
          "The WhatsApp Business Account associated with the app has been restricted or disabled.", 400),
    190: ("Error validating access token: Session has expired.", "", 401),
    131048: ("(#131048) Spam rate limit hit",
             "Message failed to send because there are restrictions on how many messages can be sent "
             "from this phone number.", 400),
    131049: ("(#131049) This message was not delivered to maintain healthy ecosystem engagement.",
             "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.", 400),
    4: ("(#4) Application request limit reached", "", 400),
    80007: ("(#80007) Rate limit issues", "The WhatsApp Business Account has reached its rate limit.", 400),
    131030: ("(#131030) Recipient phone number not in allowed list",
             "Recipient phone number not in allowed list: Add recipient phone number to recipient list "
             "and try again.", 400),
    132000: ("(#132000) Number of parameters does not match the expected number of params",
             "body: number of localizable_params (1) does not match the expected number of params (2)", 400),
    132001: ("(#132001) Template name does not exist in the translation",
             "template name (lead_intro_v1) does not exist in en_US", 404),
    132015: ("(#132015) Template is Paused", "Template is paused due to low quality.", 400),
    132016: ("(#132016) Template is Disabled", "Template has been paused too many times.", 400),
    131050: ("(#131050) User has stopped marketing messages",
             "Unable to deliver the marketing message because the user has chosen to stop receiving "
             "marketing messages from this business.", 400),
    131000: ("(#131000) Something went wrong", "Message failed to send due to an unknown error.", 500),
    100: ("(#100) Invalid parameter", "", 400),
}  # fmt: skip


class _QuietServer(ThreadingHTTPServer):
    """A client that went away mid-request (a channel killed by a fault test) is not an error."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any

    @property
    def to(self) -> str:
        return self.body.get("to", "") if isinstance(self.body, dict) else ""


@dataclass
class _Planned:
    code: int
    http_status: int | None = None


def error_body(code: int, message: str | None = None, details: str | None = None) -> dict:
    known_message, known_details, _ = ERRORS.get(code, (f"(#{code}) Error", "", 400))
    error: dict[str, Any] = {
        "message": message or known_message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "A" + uuid.uuid4().hex[:22],
    }
    if code == 190:
        error["error_subcode"] = 463
    elif details or known_details:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details or known_details}
    return {"error": error}


def new_wamid() -> str:
    raw = b"\x15\x02\x00\x11\x18\x12" + uuid.uuid4().hex[:18].upper().encode() + b"\x00"
    return "wamid." + base64.b64encode(b"HBgMOTE5ODEyMzQ1Njc4FQIAERgS" + raw).decode()


@dataclass
class GraphApiServer:
    version: str = "v24.0"
    phone_id: str = "106540352242922"
    token: str = "EAAG-test-access-token"
    requests: list[Recorded] = field(default_factory=list)
    latency: float = 0.0

    def __post_init__(self) -> None:
        self._lock = threading.Condition()
        self._planned: list[_Planned] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> GraphApiServer:
        graph = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet test output
                pass

            def do_POST(self) -> None:
                graph._handle(self)

            def do_GET(self) -> None:
                graph._reply(self, 400, error_body(100, "Unsupported get request."))

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def fail_next(self, code: int, times: int = 1, http_status: int | None = None) -> None:
        """The next `times` sends answer with Meta's error `code`."""
        with self._lock:
            self._planned.extend(_Planned(code, http_status) for _ in range(times))

    def sends(self) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.method == "POST"]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Recorded]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._lock.wait(left)
            return list(self.requests)

    # -- the API -----------------------------------------------------------------------------

    def _reply(self, handler: BaseHTTPRequestHandler, status: int, body: dict) -> None:
        payload = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=UTF-8")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        record = Recorded("POST", handler.path, {k.lower(): v for k, v in handler.headers.items()}, body)
        with self._lock:
            self.requests.append(record)
            self._lock.notify_all()
            planned = self._planned.pop(0) if self._planned else None
        if self.latency:
            time.sleep(self.latency)
        if record.headers.get("authorization") != f"Bearer {self.token}":
            self._reply(
                handler, 401, error_body(190, "Invalid OAuth access token - Cannot parse access token")
            )
            return
        if handler.path != f"/{self.version}/{self.phone_id}/messages":
            self._reply(
                handler,
                400,
                error_body(100, f"Unsupported post request. Object with ID '{handler.path}' ..."),
            )
            return
        problem = _body_problem(body)
        if problem:
            self._reply(handler, 400, error_body(100, f"(#100) {problem}"))
            return
        if planned is not None:
            status = planned.http_status or ERRORS.get(planned.code, ("", "", 400))[2]
            self._reply(handler, status, error_body(planned.code))
            return
        to = body["to"].lstrip("+")
        self._reply(
            handler,
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": to}],
                "messages": [{"id": new_wamid()}],
            },
        )


def _body_problem(body: Any) -> str:
    if not isinstance(body, dict):
        return "The request body must be JSON"
    if body.get("messaging_product") != "whatsapp":
        return "The parameter messaging_product is required."
    to = str(body.get("to", "")).lstrip("+")
    if not to.isdigit():
        return "The parameter to is required."
    kind = body.get("type", "text")
    if kind == "text":
        text = body.get("text")
        if not isinstance(text, dict) or not str(text.get("body", "")).strip():
            return "The parameter text['body'] is required."
    elif kind == "template":
        template = body.get("template")
        if not isinstance(template, dict) or not template.get("name"):
            return "The parameter template['name'] is required."
        if not isinstance(template.get("language"), dict) or not template["language"].get("code"):
            return "The parameter template['language']['code'] is required."
    else:
        return f"Unsupported message type {kind}"
    return ""
