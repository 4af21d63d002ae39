"""An HTTP server on 127.0.0.1 that answers like a bot check's siteverify endpoint.

Cloudflare Turnstile, hCaptcha and reCAPTCHA share the protocol: a form POST of `secret`,
`response` (the widget's token) and optionally `remoteip`; the answer is JSON with `success`
and, on failure, `error-codes`. A token is valid once, as with the real providers.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class SiteverifyServer:
    secret: str = "0x4AAAAAAAtestsecret"
    # Tokens the widget handed out and no one has redeemed yet.
    tokens: set[str] = field(default_factory=set)
    # Every verification asked for: the form fields as posted.
    requests: list[dict[str, str]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}/siteverify"

    def issue(self, token: str) -> str:
        self.tokens.add(token)
        return token

    def start(self) -> SiteverifyServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                owner.requests.append(form)
                if form.get("secret") != owner.secret:
                    answer = {"success": False, "error-codes": ["invalid-input-secret"]}
                elif form.get("response") in owner.tokens:
                    owner.tokens.discard(form["response"])
                    answer = {"success": True, "error-codes": []}
                else:
                    answer = {"success": False, "error-codes": ["invalid-input-response"]}
                raw = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
