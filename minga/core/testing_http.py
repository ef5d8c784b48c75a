"""A real HTTP server on 127.0.0.1 for tests of outbound fetches: each path answers with a
fixed (status, headers, body) or a function of the request (which may also write the answer
itself and return None); every request is recorded.

    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]  # only the operator's list opens it
    with LocalServer() as server:
        server.route("/datos.csv", 200, {"Content-Type": "text/csv", "ETag": '"v1"'}, b"a,b\\n1,2\\n")
        fetch(server.url("/datos.csv"))
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]


Answer = tuple[int, dict[str, str], bytes] | None


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        return None

    def _answer(self) -> None:
        owner = self.server.owner
        owner.requests.append(Seen(self.command, self.path, dict(self.headers)))
        route = owner.routes.get(self.path.split("?", 1)[0])
        answer = (404, {}, b"not found") if route is None else route(self)
        if answer is None:  # the route wrote its own answer
            return
        status, headers, body = answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    do_GET = do_HEAD = _answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LocalServer


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], Answer]] = {}
        self.requests: list[Seen] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, status: int = 200, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        answer = (status, dict(headers or {}), body)
        self.routes[path] = lambda _request: answer

    def handle(self, path: str, function: Callable[[BaseHTTPRequestHandler], Answer]) -> None:
        self.routes[path] = function

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
