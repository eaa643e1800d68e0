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


class _Reply:
    """What the server sent in answer to one request."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.sent = 0
        self.hung_up = False
        self.done = threading.Event()


class Replay:
    """``Replay(recording, *more)``: each request gets the next recording (the last one
    repeated); ``body``, ``sent``, ``hung_up`` and ``done`` are about the last request."""

    def __init__(self, recording: Path, *more: Path, piece: int = 48,
                 delay: float = 0.002) -> None:
        self.bodies = [path.read_bytes() for path in (recording, *more)]
        self.replies = [_Reply(self.bodies[0])]  # (a reply that no request has asked for yet)
        self.requests = 0  # requests answered (or being answered)
        replay = self

        class Handler(BaseHTTPRequestHandler):  # HTTP/1.0: the body ends when the socket does
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                reply = replay._next()
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                try:
                    for at in range(0, len(reply.body), piece):
                        self.wfile.write(reply.body[at : at + piece])
                        self.wfile.flush()
                        reply.sent = min(at + piece, len(reply.body))
                        if delay:
                            time.sleep(delay)
                    reply.sent = len(reply.body)
                except ConnectionError:
                    reply.hung_up = True
                reply.done.set()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _next(self) -> _Reply:
        if self.requests:
            body = self.bodies[min(self.requests, len(self.bodies) - 1)]
            self.replies.append(_Reply(body))
        self.requests += 1
        return self.replies[-1]

    @property
    def body(self) -> bytes:
        return self.replies[-1].body

    @property
    def sent(self) -> int:
        return self.replies[-1].sent

    @property
    def hung_up(self) -> bool:
        return self.replies[-1].hung_up

    @property
    def done(self) -> threading.Event:
        return self.replies[-1].done

    def report(self) -> str:
        """What the server sent in answer to the last request, once it stopped sending."""
        reply = self.replies[-1]
        reply.done.wait(10)
        if reply.hung_up:
            return (f"the client hung up after {reply.sent:,} of {len(reply.body):,} bytes: "
                    f"the rest was never generated")
        return f"the server sent all {len(reply.body):,} bytes"

    def __enter__(self) -> Replay:
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
