"""Fixtures for the ai service: its real gRPC server, and an OpenAI-compatible HTTP server.

The HTTP server speaks the chat-completions protocol on 127.0.0.1 so that the
real `openai` client (retries, headers, JSON parsing and all) talks to it; it
records every request and answers from a script the test sets.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from shvya.ai.v1 import ai_service_pb2 as pb
from shvya.ai.v1 import ai_service_pb2_grpc as pb_grpc
from shvya.type.v1 import channel_pb2
from shvya_ai.server import run_server
from shvya_ai.settings import AiSettings
from shvya_rpc.client import connect

API_KEY = "sk-test-not-a-real-key"

# A small catalogue, shaped like the crm's knowledge-base matches.
FEES = pb.KnowledgeSnippet(
    document_id="doc-dm",
    title="Digital Marketing Pro",
    content=(
        "Digital Marketing Pro is a 12-week live online course covering SEO, Google Ads and Meta ads. "
        "Classes run on Saturdays and Sundays, 10 AM to 1 PM IST. The fee is Rs 24,999, or Rs 2,199 "
        "per month on a 12-month EMI. The next batch starts on 5 January 2027."
    ),
    rank=0.6,
)
REFUNDS = pb.KnowledgeSnippet(
    document_id="doc-refund",
    title="Fees, EMI and refunds",
    content=(
        "Every course can be paid in full or on a 12-month EMI. If a student withdraws within 7 days "
        "of the batch start, the full fee is refunded. Fees include GST."
    ),
    rank=0.2,
)


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


def turn_json(**overrides: Any) -> str:
    """A structured answer as a well-behaved model gives it; keyword arguments override fields."""
    answer = {
        "reply": "Hi Rahul! The fee is Rs 24,999.",
        "subject": "Digital Marketing Pro fees",
        "intent": "question",
        "suggested_stage": "qualified",
        "hand_off": False,
        "opt_out": False,
        "unanswered": False,
        "sources": [1],
    }
    answer.update(overrides)
    return json.dumps(answer)


@dataclass
class Scripted:
    status: int = 200
    content: str = field(default_factory=turn_json)
    model: str | None = None  # None: echo the requested model
    prompt_tokens: int = 321
    completion_tokens: int = 54
    headers: dict[str, str] = field(default_factory=dict)
    # The error's type and code, as api.openai.com sends them (e.g. insufficient_quota).
    code: str | None = None
    # Seconds to wait before answering (to make the client time out).
    delay: float = 0.0


class OpenAiCompatibleServer:
    """POST /v1/chat/completions as api.openai.com answers it; everything else is a 404."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._script: deque[Scripted] = deque()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                with server._lock:
                    server.requests.append(
                        Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    step = server._script.popleft() if server._script else Scripted()
                if step.delay:
                    time.sleep(step.delay)
                if self.path != "/v1/chat/completions":
                    self._reply(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
                elif step.status != 200:
                    error = {
                        "message": f"scripted {step.status}",
                        "type": step.code or "server_error",
                        "code": step.code,
                    }
                    self._reply(step.status, {"error": error}, step.headers)
                else:
                    self._reply(200, _completion(body, step), step.headers)

            def _reply(self, status: int, payload: dict, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="openai-fake", daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def then(self, *steps: dict[str, Any]) -> None:
        """Answers the next requests with these steps (Scripted fields), in order;
        afterwards with a default success."""
        with self._lock:
            self._script.extend(Scripted(**step) for step in steps)

    def start(self) -> OpenAiCompatibleServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _completion(request: dict, step: Scripted) -> dict:
    return {
        "id": "chatcmpl-test-1",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": step.model or request.get("model", ""),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": step.content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": step.prompt_tokens,
            "completion_tokens": step.completion_tokens,
            "total_tokens": step.prompt_tokens + step.completion_tokens,
        },
    }


def ai_settings(**overrides: Any) -> AiSettings:
    """Settings that never reach a real model: no key unless the test gives one."""
    values: dict[str, Any] = {
        "env": "development",
        "host": "127.0.0.1",
        "internal_token": None,
        "default_provider": "",
        "openai_api_key": None,
        "openai_base_url": None,
        "openai_model": "gpt-4o-mini",
        "openai_timeout_seconds": 5.0,
        "openai_max_retries": 1,
    }
    values.update(overrides)
    return AiSettings(**values)


@pytest.fixture(name="turn_json")
def turn_json_fixture():
    """Builds a structured answer: `turn_json(intent="wants_call", sources=[])`."""
    return turn_json


@pytest.fixture
def openai_server() -> Iterator[OpenAiCompatibleServer]:
    server = OpenAiCompatibleServer().start()
    yield server
    server.stop()


class AiClient:
    """A running ai server with a channel and a stub to it."""

    def __init__(self, settings: AiSettings) -> None:
        self.settings = settings

    def __enter__(self) -> AiClient:
        self._server = run_server(self.settings, port=0)
        running = self._server.__enter__()
        self.address = f"127.0.0.1:{running.port}"
        self.channel = connect(self.address)
        self.stub = pb_grpc.AiServiceStub(self.channel)
        return self

    def __exit__(self, *exc: object) -> None:
        self.channel.close()
        self._server.__exit__(*exc)


@pytest.fixture
def offline_ai() -> Iterator[pb_grpc.AiServiceStub]:
    """The ai service as it runs without OPENAI_API_KEY."""
    with AiClient(ai_settings()) as client:
        yield client.stub


@pytest.fixture
def openai_ai(openai_server) -> Iterator[pb_grpc.AiServiceStub]:
    """The ai service with an OpenAI key, pointed at the local OpenAI-compatible server."""
    with AiClient(ai_settings(openai_api_key=API_KEY, openai_base_url=openai_server.base_url)) as client:
        yield client.stub


@pytest.fixture
def make_ai():
    """Starts an ai service with `ai_settings(**overrides)`: `with make_ai(...) as client:`."""
    return lambda **overrides: AiClient(ai_settings(**overrides))


@pytest.fixture
def request_for():
    """Builds a ComposeReplyRequest with a sensible conversation; keyword arguments override."""

    def build(**overrides: Any) -> pb.ComposeReplyRequest:
        values: dict[str, Any] = {
            "company_name": "Shvya Demo Academy",
            "system_prompt": "You are Asha, an admissions counsellor at Shvya Demo Academy.",
            "lead_name": "Rahul Kumar",
            "lead_stage": "new",
            "channel": channel_pb2.CHANNEL_EMAIL,
            "inbound_text": "What is the fee for the digital marketing course?",
            "knowledge": [FEES, REFUNDS],
            "purpose": pb.PURPOSE_REPLY,
        }
        values.update(overrides)
        return pb.ComposeReplyRequest(**values)

    return build
