"""The socket layer of the practice forge: a threaded stdlib HTTP server around :class:`ForgeApp`.

Built on the stdlib's ``ThreadingHTTPServer`` so the forge adds no dependency and runs wherever
onboard runs. :class:`_Handler` turns bytes into a :class:`~onboard.practice.exchange.Request`
and a :class:`~onboard.practice.exchange.Response` back into bytes (or a TCP reset, for the
``reset`` fault), applying latency on the way; :class:`ForgeHTTPServer` knows its open
connections so that stopping the forge really ends them. Everything above the socket is
:mod:`.server`'s.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from onboard.practice import payloads
from onboard.practice.exchange import Request, Response, parse_int
from onboard.practice.server import ForgeApp

MAX_BODY = 10 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    """Adapts the stdlib handler to :class:`ForgeApp`; silent, keep-alive capable."""

    protocol_version = "HTTP/1.1"
    server_version = "onboard-practice-forge"
    timeout = 30  # idle keep-alive connections must not pin threads forever
    server: ForgeHTTPServer

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: stderr output would draw over a Textual screen."""

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, add=True)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.server.track(self.connection, add=False)

    def _read_body(self) -> bytes | None:
        """The request body (plain or chunked); ``None`` when it is unreadable or too large."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            total = 0
            while True:
                line = self.rfile.readline(1024).split(b";")[0].strip()
                size = parse_int(line.decode("ascii", "replace") or "x", -1, base=16)
                if size < 0:
                    return None
                if size == 0:
                    while self.rfile.readline(1024).strip():
                        pass  # trailers
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY:
                    return None
                chunks.append(self.rfile.read(size))
                self.rfile.readline(8)
        length = parse_int(self.headers.get("Content-Length") or "0", -1)
        if length < 0 or length > MAX_BODY:
            return None
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        body = self._read_body()
        if body is None:
            self._write(
                Response(400, payloads.error("Problems parsing JSON", payloads.DOCS, 400)), None
            )
            self.close_connection = True
            return
        request = Request(
            method=self.command,
            raw_path=parts.path,
            path=parts.path or "/",
            query_pairs=parse_qsl(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            client=self.client_address[0],
        )
        response = self.server.app.handle(request)
        delay = self.server.app.latency + response.delay
        if delay > 0 and self.server.stopping.wait(delay):
            response.reset = True  # the forge is stopping: let go of held connections now
        if response.reset:
            self._reset()
            return
        self._write(response, request)

    def _reset(self) -> None:
        """Drop the connection with a TCP reset instead of an answer."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # The socket really closes (sending the reset) once its last file object is closed.
        with contextlib.suppress(OSError, ValueError):
            self.rfile.close()
        with contextlib.suppress(OSError):
            self.connection.close()

    def _write(self, response: Response, request: Request | None) -> None:
        payload = b"" if response.status == 304 else response.encode()
        try:
            self.send_response(response.status)
            if response.status != 304:
                self.send_header("Content-Type", response.content_type)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if response.status != 304:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if payload and self.command != "HEAD":
                self.wfile.write(payload)
        except OSError:
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve


class ForgeHTTPServer(ThreadingHTTPServer):
    """Threaded server that knows its open connections so ``stop()`` can really stop."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: ForgeApp) -> None:
        self.app = app
        #: Set by ``stop()``; requests held by latency or timeout faults wake up and let go.
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def track(self, conn: socket.socket, *, add: bool) -> None:
        with self._connections_lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def close_connections(self) -> None:
        """End keep-alive connections, so a stopped forge no longer answers old clients."""
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Silenced: a client hanging up mid-response is not worth a traceback on the TUI."""


def make_server(host: str, port: int, app: ForgeApp) -> ForgeHTTPServer:
    """Bind ``port`` if possible (so clones' remotes stay valid), else any free port."""
    if port:
        try:
            return ForgeHTTPServer((host, port), app)
        except OSError:
            pass
    return ForgeHTTPServer((host, 0), app)
