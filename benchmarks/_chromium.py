"""Headless Debian Chromium for Playwright, shared by ``bench_map.py`` and ``tests/screens/test_browser.py``.

The system browser (``/usr/bin/chromium``, ``apt-get install chromium``) rather than one downloaded by
Playwright, launched headless with :data:`CHROMIUM_ARGS`: no sandbox (containers, CI), no GPU, and
none of Chromium's own background traffic (component updates, sync, QUIC), so the pages only make
the requests under test.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def launch(playwright: Playwright, executable: Path = CHROMIUM_PATH) -> Browser:
    """Launch headless Chromium (``executable``, :data:`CHROMIUM_PATH` by default) with :data:`CHROMIUM_ARGS`."""
    return playwright.chromium.launch(executable_path=str(executable), headless=True, args=list(CHROMIUM_ARGS))
