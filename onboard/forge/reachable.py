"""Is anything listening at the forge's address? Known in milliseconds, before PyGithub loads.

The app's first question to GitHub (the rate limit) goes through PyGithub, whose import alone
takes a good part of a second on a modest machine, and then through the retry policy. With no
network the answer is already known much sooner: a TCP connection to the API's host (or to the
proxy requests would use) is refused at once, or its name does not resolve. This module asks
exactly that and nothing more; a connection that is merely slow is left to the real request,
whose timeout and message cover it.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

from onboard.forge.base import ForgeConfig, ForgeUnreachable

#: A refused or unresolvable address answers at once; this only bounds a silent one.
PROBE_TIMEOUT_SECONDS = 1.0


def check_reachable(config: ForgeConfig, timeout: float = PROBE_TIMEOUT_SECONDS) -> None:
    """Raise :class:`ForgeUnreachable` when the API (or its proxy) refuses or cannot be found."""
    url = urlsplit(config.api_url)
    host, port = _first_hop(url.scheme or "https", url.hostname or "", url.port)
    if not host:
        return
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return
    except TimeoutError:
        return  # silent, not refused: the real request decides, with its own timeout
    except socket.gaierror as error:
        raise ForgeUnreachable(
            f"Cannot reach {config.label} at {config.api_url}: the name {host} could not be "
            "looked up. Check your internet connection."
        ) from error
    except OSError as error:
        raise ForgeUnreachable(
            f"Cannot reach {config.label} at {config.api_url}. Check your internet connection."
        ) from error


def _first_hop(scheme: str, host: str, port: int | None) -> tuple[str, int]:
    """Where the first TCP connection goes: the proxy requests would use, or the host itself."""
    default = 443 if scheme == "https" else 80
    proxy = getproxies().get(scheme)
    if proxy and host and not proxy_bypass(host):
        hop = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        return hop.hostname or "", hop.port or 80
    return host, port or default
