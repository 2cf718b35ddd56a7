"""Local stand-ins for the platforms: HTTP servers on loopback speaking each platform's wire format.

Each stand-in records every request it got (path and query) and can be scripted with errors
that it answers byte for byte as the platform does (CHANNELS.md).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})


def dumps(data: Any) -> bytes:
    """Compact JSON with raw UTF-8, as Google's and Telegram's servers write it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


class StandIn:
    """Subclasses implement `handle`; `errors` holds replies to give instead, one per request, first."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.errors: list[Reply] = []
        self.lock = threading.Lock()
        self.url = ""

    def handle(self, request: Request) -> Reply:
        raise NotImplementedError

    def respond(self, request: Request) -> Reply:
        with self.lock:
            self.requests.append(request)
            if self.errors:
                return self.errors.pop(0)
        return self.handle(request)

    @contextmanager
    def running(self) -> Iterator[StandIn]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                reply = standin.respond(Request(self.command, parts.path, query, dict(self.headers), body))
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: Any) -> None:
                return None

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)
