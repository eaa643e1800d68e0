"""A stand-in for a provider's API, for the demo, the examples and offline tests: a server on
127.0.0.1 that answers every request with a recorded SSE stream, a few bytes at a time, as a model
generates it, and counts what it sent before the client hung up. Point the real SDK client at
``url`` (with any API key): no network, no account."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class Replay:
    """``Replay(recording, *more)``: each request gets the next recording (the last one
    repeated); ``sent``, ``hung_up`` and ``body`` are about the last request."""

    def __init__(self, recording: Path, *more: Path, piece: int = 48,
                 delay: float = 0.002) -> None:
        self.bodies = [path.read_bytes() for path in (recording, *more)]
        self.body = self.bodies[0]
        self.requests = 0
        self.sent = 0
        self.hung_up = False
        self.done = threading.Event()
        replay = self

        class Handler(BaseHTTPRequestHandler):  # HTTP/1.0: the body ends when the socket does
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                replay.body = replay.bodies[min(replay.requests, len(replay.bodies) - 1)]
                replay.requests += 1
                replay.sent, replay.hung_up = 0, False
                replay.done.clear()
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                try:
                    for at in range(0, len(replay.body), piece):
                        self.wfile.write(replay.body[at : at + piece])
                        self.wfile.flush()
                        replay.sent = min(at + piece, len(replay.body))
                        if delay:
                            time.sleep(delay)
                    replay.sent = len(replay.body)
                except ConnectionError:
                    replay.hung_up = True
                replay.done.set()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def report(self) -> str:
        """What the server sent, once it stopped sending."""
        self.done.wait(10)
        if self.hung_up:
            return (f"the client hung up after {self.sent:,} of {len(self.body):,} bytes: "
                    f"the rest was never generated")
        return f"the server sent all {len(self.body):,} bytes"

    def __enter__(self) -> Replay:
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
