"""A local HTTP server standing in for a dead man's switch (Healthchecks.io's URL/start, URL/<status>):
it records each path asked for. Shared by the recorder's tests and the end-to-end test."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator

import pytest


class PingServer:
    def __init__(self) -> None:
        self.paths: list[str] = []
        paths = self.paths

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                paths.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"OK")

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/ping/abc"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def ping_server() -> Iterator[PingServer]:
    if shutil.which("curl") is None:
        pytest.skip("needs curl (apt-get install --no-install-recommends curl)")
    server = PingServer()
    try:
        yield server
    finally:
        server.server.shutdown()
