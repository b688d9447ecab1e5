"""The plain HTML pages behind "open in browser" in practice mode (not JSON at all)."""

from __future__ import annotations

import html


def html_page(title: str, sections: list[tuple[str, str]]) -> str:
    """A deliberately plain page so "open in browser" shows something in practice mode.

    ``sections`` are (heading, preformatted text); everything is escaped.
    """
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)} · practice forge</title>",
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 1em}"
        "pre{white-space:pre-wrap;background:#f6f8fa;padding:1em;border-radius:6px}</style>",
        "</head><body>",
        "<p><em>Practice forge: a rehearsal space, nothing here is on GitHub.</em></p>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for heading, text in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(f"<pre>{html.escape(text)}</pre>")
    parts.append("</body></html>")
    return "\n".join(parts)
