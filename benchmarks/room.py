"""How many learners one ``onboard serve --practice`` holds: real apps, driven as browsers do.

Starts the server (with the example workshop session, as a room runs it) in a throwaway home,
then opens LEARNERS learner sessions as websocket clients speaking textual-serve's protocol
(``["stdin", keys]`` and ``["resize", ...]`` text frames up, the app's output as binary frames
down: what ``textual.js`` does in a browser). Each learner joins with a name, then goes through
choose → fork → clone → issue list on the practice forge (at most ``--parallel`` at a time in
the fork and clone, as a room where people do not all press Enter in the same second). The
time from a key leaving to the app's next frame coming back is the key-to-frame latency,
measured twice: by learners moving in the project list while they wait for their turn (the
room busy starting, forking and cloning), then with every learner on their issue list, each
pressing a key every second or so. Prints each app's RSS, the server's own RSS (it runs the
practice forge too), the total, and both p50/p95 latencies.

Run: ``python benchmarks/room.py [--learners 30] [--parallel 4] [--presses 10]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
SESSION = ROOT / "guides" / "sessions" / "workshop-example.toml"
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
ENTER, DOWN, UP = "\r", "\x1b[B", "\x1b[A"
WIDTH, HEIGHT = 140, 40


@dataclass
class Learner:
    """One learner's websocket, and what their app drew since the last :meth:`mark`."""

    number: int
    ws: aiohttp.ClientWebSocketResponse | None = None
    shown: bytearray = field(default_factory=bytearray)
    frame: asyncio.Event = field(default_factory=asyncio.Event)
    reached: str = "joining"
    timings: dict[str, float] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    #: Key-to-frame times measured on the welcome screen while others fork and clone.
    busy_latencies: list[float] = field(default_factory=list)
    misses: int = 0
    #: Held while a timed Down+Up pair is in flight, so the journey's Enter never lands
    #: between them (the project list is back on Hello Docs whenever it is free).
    keys: asyncio.Lock = field(default_factory=asyncio.Lock)

    def mark(self) -> None:
        self.shown.clear()

    def text(self) -> str:
        return _ESCAPES.sub(b"", bytes(self.shown)).decode("utf-8", errors="replace")

    async def read(self) -> None:
        assert self.ws is not None
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.shown += message.data
                self.frame.set()
            elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break

    async def press(self, keys: str) -> None:
        assert self.ws is not None
        await self.ws.send_str(json.dumps(["stdin", keys]))

    async def wait_for(self, *wanted: str, timeout: float = 240) -> None:
        until = time.monotonic() + timeout
        while not all(w in self.text() for w in wanted):
            if time.monotonic() > until:
                raise TimeoutError(f"learner {self.number} never saw {wanted} ({self.reached})")
            await asyncio.sleep(0.1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children_of(root: int) -> dict[int, str]:
    """Every process below ``root`` with its command line (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                raw = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(raw[raw.rindex(")") + 2 :].split()[1])
    found: dict[int, str] = {}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                try:
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                except OSError:
                    cmd = ""
                found[pid] = cmd
                frontier.append(pid)
    return found


async def join(base: str, learner: Learner, http: aiohttp.ClientSession) -> None:
    started = time.monotonic()
    async with http.post(f"{base}/join", json={"name": f"Learner {learner.number:02d}"}) as answer:
        answer.raise_for_status()
        secret = answer.cookies["onboard_learner"].value
    learner.ws = await http.ws_connect(
        f"{base.replace('http', 'ws', 1)}/ws?width={WIDTH}&height={HEIGHT}",
        headers={"Cookie": f"onboard_learner={secret}", "Origin": base},
        max_msg_size=0,
    )
    asyncio.get_running_loop().create_task(learner.read())
    await learner.ws.send_str(json.dumps(["resize", {"width": WIDTH, "height": HEIGHT}]))
    await learner.wait_for("Hello Docs")
    learner.timings["to welcome"] = time.monotonic() - started
    learner.reached = "welcome"


async def journey(learner: Learner, gate: asyncio.Semaphore) -> None:
    """Choose Hello Docs, fork and clone it, and open the issue list."""
    async with gate, learner.keys:
        learner.reached = "choosing"
        started = time.monotonic()
        learner.mark()
        await learner.press(ENTER)  # choose the project the list opens on
        await learner.wait_for("Fork and set up")
        learner.reached = "chosen"
        learner.mark()
        await learner.press(ENTER)  # agree: fork, clone, branch
        await learner.wait_for("Cloned into", "first-contribution")
        learner.reached = "cloned"
        learner.timings["choose+fork+clone"] = time.monotonic() - started
    await asyncio.sleep(1.0)
    learner.mark()
    await learner.press(ENTER)  # "Done": on to the issue list
    await learner.wait_for("Sync")
    learner.reached = "issue list"


async def press_and_time(learner: Learner, presses: int) -> None:
    """A key about every second; the time until the app's next frame arrives."""
    for index in range(presses):
        await asyncio.sleep(random.uniform(0.6, 1.4))
        learner.frame.clear()
        sent = time.monotonic()
        await learner.press(DOWN if index % 2 == 0 else UP)
        try:
            await asyncio.wait_for(learner.frame.wait(), timeout=5)
        except TimeoutError:
            learner.misses += 1
            continue
        learner.latencies.append(time.monotonic() - sent)


async def timed_key(learner: Learner, keys: str) -> float | None:
    """Seconds from sending ``keys`` to the app's next frame; None after 5 s without one."""
    learner.frame.clear()
    sent = time.monotonic()
    await learner.press(keys)
    try:
        await asyncio.wait_for(learner.frame.wait(), timeout=5)
    except TimeoutError:
        return None
    return time.monotonic() - sent


async def press_while_waiting(learner: Learner) -> None:
    """While waiting for their turn to fork, move in the project list and back, timed: the
    latency a learner feels while the room's other apps start, fork and clone."""
    while learner.reached == "welcome":
        await asyncio.sleep(random.uniform(0.6, 1.4))
        async with learner.keys:
            if learner.reached != "welcome":
                return
            for keys in (DOWN, UP):
                took = await timed_key(learner, keys)
                if took is None:
                    learner.misses += 1
                else:
                    learner.busy_latencies.append(took)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def run(args: argparse.Namespace, base: str, server_pid: int) -> dict[str, object]:
    learners = [Learner(number) for number in range(1, args.learners + 1)]
    sessions = [aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) for _ in learners]
    try:
        started = time.monotonic()
        joining = asyncio.Semaphore(args.parallel * 2)

        async def joined(learner: Learner, http: aiohttp.ClientSession) -> None:
            async with joining:
                await join(base, learner, http)

        pairs = zip(learners, sessions, strict=True)
        await asyncio.gather(*(joined(learner, http) for learner, http in pairs))
        all_joined = time.monotonic() - started
        print(f"{len(learners)} learners on the welcome screen after {all_joined:.0f} s")
        gate = asyncio.Semaphore(args.parallel)
        waiting = [asyncio.create_task(press_while_waiting(ln)) for ln in learners]
        results = await asyncio.gather(
            *(journey(ln, gate) for ln in learners), return_exceptions=True
        )
        await asyncio.gather(*waiting, return_exceptions=True)
        busy = [value for ln in learners for value in ln.busy_latencies]
        failed = [str(r) for r in results if isinstance(r, BaseException)]
        at_list = [ln for ln in learners if ln.reached == "issue list"]
        all_through = time.monotonic() - started
        print(f"{len(at_list)} learners at the issue list after {all_through:.0f} s")
        apps = {pid: cmd for pid, cmd in children_of(server_pid).items() if "-m onboard" in cmd}
        app_rss = [rss_kib(pid) for pid in apps]
        others = {pid: cmd for pid, cmd in children_of(server_pid).items() if pid not in apps}
        await asyncio.gather(*(press_and_time(ln, args.presses) for ln in at_list))
        latencies = [value for ln in at_list for value in ln.latencies]
        server_rss = rss_kib(server_pid)
        helpers_rss = sum(rss_kib(pid) for pid in others)
        return {
            "learners": len(learners),
            "reached_issue_list": len(at_list),
            "failures": failed[:5],
            "seconds_all_joined": round(all_joined, 1),
            "seconds_all_through": round(all_through, 1),
            "median_choose_fork_clone_s": round(
                statistics.median(ln.timings.get("choose+fork+clone", 0) for ln in at_list), 2
            )
            if at_list
            else None,
            "app_rss_mib": {
                "median": round(statistics.median(app_rss) / 1024, 1) if app_rss else None,
                "max": round(max(app_rss) / 1024, 1) if app_rss else None,
                "each": [round(value / 1024, 1) for value in app_rss],
            },
            "server_rss_mib": round(server_rss / 1024, 1),
            "helpers_rss_mib": round(helpers_rss / 1024, 1),
            "total_rss_mib": round((server_rss + helpers_rss + sum(app_rss)) / 1024, 1),
            "key_to_frame_ms_while_others_fork_and_clone": {
                "presses": len(busy),
                "p50": round(percentile(busy, 0.5) * 1000) if busy else None,
                "p95": round(percentile(busy, 0.95) * 1000) if busy else None,
            },
            "key_to_frame_ms": {
                "presses": len(latencies),
                "missed": sum(ln.misses for ln in at_list),
                "p50": round(percentile(latencies, 0.5) * 1000) if latencies else None,
                "p95": round(percentile(latencies, 0.95) * 1000) if latencies else None,
            },
        }
    finally:
        for learner in learners:
            if learner.ws is not None:
                await learner.ws.close()
        for http in sessions:
            await http.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--parallel", type=int, default=4, help="forks and clones at once")
    parser.add_argument("--presses", type=int, default=10, help="timed key presses each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="onboard-room-") as tmp:
        home = Path(tmp)
        env = {
            **os.environ,
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
        }
        env.pop("GITHUB_TOKEN", None)
        env.pop("GH_TOKEN", None)
        port = free_port()
        log = (home / "serve.log").open("wb")
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "onboard",
                "serve",
                "--practice",
                "--session",
                str(SESSION),
                "--port",
                str(port),
                "--room",
                str(home / "room"),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            until = time.monotonic() + 60
            while b"onboard is ready" not in (home / "serve.log").read_bytes():
                if time.monotonic() > until or server.poll() is not None:
                    print((home / "serve.log").read_text(), file=sys.stderr)
                    return 1
                time.sleep(0.2)
            result = asyncio.run(run(args, base, server.pid))
        finally:
            server.send_signal(2)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
        summary = {k: v for k, v in result.items() if k != "app_rss_mib"}
        rss = result["app_rss_mib"]
        assert isinstance(rss, dict)
        summary["app_rss_mib"] = {"median": rss["median"], "max": rss["max"]}
        print(json.dumps(summary, indent=2))
        print("per-learner app RSS (MiB):", " ".join(str(v) for v in rss["each"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
