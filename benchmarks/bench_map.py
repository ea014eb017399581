"""Benchmark: the folium map of N actors — build, ``render()``, HTML size, time to interactive in Chromium.

Usage: ``python benchmarks/bench_map.py [--sizes 1000 20000 100000] [--runs 3] [--seed 1]``.
Actors come from the demo world (``benchmarks/_synthetic.py``: rich contacts, so a pessimistic size).
The rendered page and ``static/vendor`` are served by a local ``http.server`` (the map's ``asset_base``
points at it, no tiles); headless Debian Chromium (``/usr/bin/chromium``, Playwright) measures from
navigation to the first cluster/marker visible plus a ``requestAnimationFrame`` round-trip (the page
answers). Prints figures only; targets of the issue at 20,000 points: HTML ≤ 3 MB, interactive ≤ 2 s.
"""

from __future__ import annotations

import argparse
import functools
import logging
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import _synthetic  # noqa: E402
from benchmarks._chromium import launch  # noqa: E402
from mapping.maps.builder import build_map  # noqa: E402

FEATURES = ".marker-cluster, .leaflet-marker-icon, path.leaflet-interactive"
RAF_ROUND_TRIP = "() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``directory`` on a free local port in a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def time_to_interactive(url: str, runs: int) -> list[float]:
    """Seconds from navigation to features visible + a frame round-trip, one fresh page per run."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                errors: list[str] = []
                page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
                start = time.perf_counter()
                page.goto(url, wait_until="commit")
                page.locator(FEATURES).first.wait_for(state="visible", timeout=120_000)
                page.evaluate(RAF_ROUND_TRIP)
                times.append(time.perf_counter() - start)
                if errors:
                    raise RuntimeError(f"page errors: {errors}")
                page.close()
        finally:
            browser.close()
    return times


def run(size: int, runs: int, seed: int, workdir: Path, base_url: str) -> None:
    start = time.perf_counter()
    gdf = _synthetic.actors(size, seed=seed)
    made = time.perf_counter() - start
    start = time.perf_counter()
    folium_map = build_map(gdf, tiles=None, asset_base=f"{base_url}/vendor")
    built = time.perf_counter() - start
    start = time.perf_counter()
    page = folium_map.get_root().render()
    rendered = time.perf_counter() - start
    html = page.encode("utf-8")
    (workdir / f"map-{size}.html").write_bytes(html)
    tti = time_to_interactive(f"{base_url}/map-{size}.html", runs)
    print(
        f"{size:>8,} {made:9.1f} {built:9.2f} {rendered:10.2f} {len(html) / 1e6:9.2f} {len(html) / size:8.0f}"
        f" {statistics.median(tti):10.2f} {max(tti):8.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 20_000, 100_000])
    parser.add_argument("--runs", type=int, default=3, help="browser loads per size (median and max shown)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="bench_map_") as tmp:
        workdir = Path(tmp)
        shutil.copytree(ROOT / "static" / "vendor", workdir / "vendor")
        server, base_url = serve(workdir)
        try:
            print(
                f"{'points':>8} {'data s':>9} {'build s':>9} {'render s':>10} {'HTML MB':>9} {'B/pt':>8}"
                f" {'TTI p50 s':>10} {'TTI max':>8}"
            )
            for size in args.sizes:
                run(size, args.runs, args.seed, workdir, base_url)
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
