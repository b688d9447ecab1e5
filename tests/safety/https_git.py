"""A git server over HTTPS on loopback: ``git http-backend`` (the smart protocol, as GitHub
speaks it) behind a TLS certificate made for the test, which git trusts via ``GIT_SSL_CAINFO``.

Pack installs accept only ``https://`` URLs, so this is how tests install a pack from git for
real without the network.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

import pytest

#: The server's own git never reads the test's (possibly hostile) git config.
SERVER_GIT_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "HOME": "/nonexistent",
}


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (``openssl`` is part of every git install)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class HttpsGitServer:
    """Serves every bare repository under ``root`` at ``https://127.0.0.1:PORT/NAME.git``."""

    def __init__(self, root: Path, workdir: Path) -> None:
        self.root = root
        self.cert, key = make_certificate(workdir)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, key)
        backend_root = str(root)

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._backend()

            def do_POST(self) -> None:
                self._backend()

            def _backend(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                env = {
                    **SERVER_GIT_ENV,
                    "GIT_PROJECT_ROOT": backend_root,
                    "GIT_HTTP_EXPORT_ALL": "1",
                    "REQUEST_METHOD": self.command,
                    "PATH_INFO": parts.path,
                    "QUERY_STRING": parts.query,
                    "CONTENT_TYPE": self.headers.get("Content-Type", ""),
                    "CONTENT_LENGTH": str(length),
                    "REMOTE_ADDR": "127.0.0.1",
                }
                if self.headers.get("Git-Protocol"):
                    env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
                result = subprocess.run(
                    ["git", "http-backend"], input=body, env=env, capture_output=True, check=False
                )
                head, _, payload = result.stdout.partition(b"\r\n\r\n")
                status, headers = 200, []
                for line in head.decode("latin-1").split("\r\n"):
                    name, _, value = line.partition(":")
                    if name.lower() == "status":
                        status = int(value.split()[0])
                    elif name:
                        headers.append((name, value.strip()))
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, name: str) -> str:
        return f"https://127.0.0.1:{self._server.server_address[1]}/{name}.git"

    def __enter__(self) -> HttpsGitServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()


def publish(work: Path, root: Path, name: str) -> Path:
    """Commit everything in the folder ``work`` and push it to a bare ``root/NAME.git``."""
    env = {**SERVER_GIT_ENV, "GIT_AUTHOR_NAME": "Curator", "GIT_AUTHOR_EMAIL": "c@example.org"}
    env |= {"GIT_COMMITTER_NAME": "Curator", "GIT_COMMITTER_EMAIL": "c@example.org"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], env=env, check=True, capture_output=True)

    git("-C", str(work), "init", "-q", "-b", "main")
    git("-C", str(work), "add", "-A")
    git("-C", str(work), "commit", "-q", "-m", "A pack")
    bare = root / f"{name}.git"
    git("clone", "-q", "--bare", str(work), str(bare))
    return bare
