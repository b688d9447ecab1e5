"""A tiny PyPI JSON API + npm registry on loopback, serving the documents in tests/data/deps.

Real HTTP (``http.server``), real ETags and ``304 Not Modified``, PyPI's and npm's own 404
bodies, and a log of every request so tests can check what was (not) asked.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

DATA = Path(__file__).parent / "data" / "deps"
REGISTRY = DATA / "registry"


class RegistryServer:
    """``pypi_url`` and ``npm_url`` answer like pypi.org and registry.npmjs.org."""

    def __init__(self, root: Path = REGISTRY) -> None:
        self.root = root
        self.requests: list[tuple[str, int]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body, etag = server.answer(self.path)
                if etag and self.headers.get("If-None-Match") == etag:
                    status, body = 304, b""
                with server._lock:
                    server.requests.append((self.path, status))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # a client that stopped reading
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def pypi_url(self) -> str:
        return f"{self.base}/pypi-registry"

    @property
    def npm_url(self) -> str:
        return f"{self.base}/npm-registry"

    def answer(self, raw_path: str) -> tuple[int, bytes, str | None]:
        path = urlsplit(raw_path).path
        if path.startswith("/pypi-registry/pypi/") and path.endswith("/json"):
            name = unquote(path.removeprefix("/pypi-registry/pypi/").removesuffix("/json"))
            return self._document(self.root / "pypi" / f"{name}.json", {"message": "Not Found"})
        if path.startswith("/npm-registry/"):
            name = unquote(path.removeprefix("/npm-registry/"))
            return self._document(self.root / "npm" / f"{name}.json", {"error": "Not found"})
        return 404, b'{"message": "Not Found"}', None

    def _document(self, file: Path, missing: dict[str, str]) -> tuple[int, bytes, str | None]:
        if ".." in file.parts or not file.is_file():
            return 404, json.dumps(missing).encode(), None
        body = file.read_bytes()
        return 200, body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'

    def paths(self) -> list[str]:
        with self._lock:
            return [path for path, _ in self.requests]

    def start(self) -> RegistryServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> RegistryServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def write_distribution(site: Path, name: str, version: str, headers: list[str]) -> Path:
    """A real installed distribution: ``site/NAME-VERSION.dist-info/METADATA`` (and RECORD)."""
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", *headers]
    (info / "METADATA").write_text("\n".join(lines) + "\n\nThe long description.\n")
    (info / "INSTALLER").write_text("pip\n")
    (info / "RECORD").write_text(f"{info.name}/METADATA,,\n{info.name}/INSTALLER,,\n")
    return info
