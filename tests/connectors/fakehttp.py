"""Fake HTTP layer for connector tests, built on ``responses``: zero network, virtual time.

* :class:`FakeClock` gives the :class:`HttpClient` a clock and a ``sleep`` that only advance a
  counter and record each wait.
* :func:`make_client` builds an ``HttpClient`` on that clock (no real sleeping, no jitter).
* :func:`serve_snapshot` answers every request to a connector's base URL with the snapshot file
  that ``connector.snapshot_path(url, params)`` names (404 when absent), so that a fetch replays a
  recorded snapshot byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import responses

from connectors.base import MANIFEST_NAME, Connector
from mapping.http import HttpClient


@dataclass
class FakeClock:
    """Virtual monotonic + wall clock; ``sleep`` advances it and records the waits."""

    now: float = 1_000.0
    wall: float = 1_750_000_000.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.wall + self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)


def make_client(clock: FakeClock | None = None, **kwargs: object) -> tuple[HttpClient, FakeClock]:
    """An ``HttpClient`` running on virtual time (jitter fixed at its maximum)."""
    clock = clock or FakeClock()
    options: dict = {
        "sleep": clock.sleep,
        "clock": clock.monotonic,
        "wall_clock": clock.time,
        "jitter": lambda: 1.0,
    }
    options.update(kwargs)
    return HttpClient(**options), clock


@dataclass
class SnapshotServer:
    """Requests served from a snapshot folder."""

    connector: Connector
    root: Path
    failures: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def __call__(self, request: object) -> tuple[int, dict[str, str], bytes]:
        url = request.url  # type: ignore[attr-defined]
        self.requests.append(url)
        if self.failures:
            return self.failures.pop(0)
        params = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
        try:
            rel = self.connector.snapshot_path(url, params)
        except ValueError as exc:
            return 400, {"Content-Type": "text/plain"}, str(exc).encode()
        path = self.root / rel
        if rel == MANIFEST_NAME or not path.is_file():
            self.missing.append(rel)
            return 404, {"Content-Type": "text/plain"}, f"introuvable : {rel}".encode()
        self.served.append(rel)
        return 200, {"Content-Type": "application/json; charset=utf-8"}, path.read_bytes()


def host_pattern(base_url: str) -> re.Pattern[str]:
    """Regex matching every URL under ``base_url``."""
    return re.compile(re.escape(base_url.rstrip("/")) + r"([/?].*)?$")


def serve_snapshot(
    rsps: responses.RequestsMock,
    connector: Connector,
    root: Path,
    *,
    base_url: str | None = None,
    failures: list[tuple[int, dict[str, str], bytes]] | None = None,
) -> SnapshotServer:
    """Register a callback answering ``connector``'s requests from the files under ``root``;
    the first requests get the ``failures`` answers (status, headers, body) instead."""
    server = SnapshotServer(connector, Path(root), list(failures or []))
    rsps.add_callback(responses.GET, host_pattern(base_url or connector.base_url()), callback=server)
    return server


def serve_sequence(
    rsps: responses.RequestsMock,
    url: str,
    answers: list[tuple[int, dict[str, str], bytes | str]],
) -> Callable[[], int]:
    """Answer requests to ``url`` (any query) with ``answers`` in order, repeating the last one.

    Returns a function giving the number of requests received.
    """
    calls = {"n": 0}

    def callback(request: object) -> tuple[int, dict[str, str], bytes | str]:
        answer = answers[min(calls["n"], len(answers) - 1)]
        calls["n"] += 1
        return answer

    rsps.add_callback(responses.GET, host_pattern(url), callback=callback)
    return lambda: calls["n"]
