"""``GET /contents``: files (base64 wrapped as GitHub wraps it) and directory entries."""

from __future__ import annotations

import base64
from urllib.parse import quote

from onboard.practice.payloads.common import JSON, Urls


def _wrap_base64(raw: bytes) -> str:
    """GitHub's contents API wraps base64 at 60 characters with a trailing newline."""
    encoded = base64.b64encode(raw).decode("ascii")
    return "".join(encoded[i : i + 60] + "\n" for i in range(0, len(encoded), 60))


def _content_common(
    urls: Urls, full_name: str, ref: str, path: str, sha: str, size: int, kind: str
) -> JSON:
    quoted = quote(path)
    api = f"{urls.repo_api(full_name)}/contents/{quoted}?ref={quote(ref, safe='')}"
    web = f"{urls.repo_html(full_name)}/{'tree' if kind == 'dir' else 'blob'}/{ref}/{quoted}"
    git = f"{urls.repo_api(full_name)}/git/{'trees' if kind == 'dir' else 'blobs'}/{sha}"
    download = f"{urls.repo_html(full_name)}/raw/{ref}/{quoted}" if kind == "file" else None
    return {
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "size": size,
        "url": api,
        "html_url": web,
        "git_url": git,
        "download_url": download,
        "type": kind,
    }


def content_file(urls: Urls, full_name: str, ref: str, path: str, sha: str, raw: bytes) -> JSON:
    payload = _content_common(urls, full_name, ref, path, sha, len(raw), "file")
    payload["content"] = _wrap_base64(raw)
    payload["encoding"] = "base64"
    payload["_links"] = {
        "self": payload["url"],
        "git": payload["git_url"],
        "html": payload["html_url"],
    }
    return payload


def content_entry(
    urls: Urls, full_name: str, ref: str, path: str, sha: str, size: int, kind: str
) -> JSON:
    """One entry of a directory listing (no ``content``)."""
    payload = _content_common(urls, full_name, ref, path, sha, size, kind)
    payload["_links"] = {
        "self": payload["url"],
        "git": payload["git_url"],
        "html": payload["html_url"],
    }
    return payload
