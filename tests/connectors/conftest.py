"""Fixtures of the connector tests: mocked HTTP (no network) and virtual time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import responses

from tests.connectors.fakehttp import FakeClock

ROOT = Path(__file__).resolve().parents[2]
#: Hand-written snapshots in the native layout, one folder per source.
FIXTURES = ROOT / "tests" / "fixtures" / "snapshots"


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    """Every ``requests`` call is intercepted; an unmatched URL raises ConnectionError."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def clock() -> FakeClock:
    """Virtual clock whose ``sleep`` records the waits."""
    return FakeClock()


@pytest.fixture(autouse=True)
def _no_base_url_override(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start without any ``SOURCIER_<NAME>_URL`` from the environment."""
    for key in list(os.environ):
        if key.startswith("SOURCIER_") and key.endswith("_URL"):
            monkeypatch.delenv(key)
