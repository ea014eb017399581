"""Benchmark: N concurrent browser sessions on one Streamlit instance — search, then open a supplier.

Usage: ``python benchmarks/bench_sessions.py [--sessions 10 25 50] [--place Tours] [--timeout 240]``.

One ``streamlit run app.py`` server on the built table (built first if missing); one headless Debian
Chromium (``/usr/bin/chromium``) with one browser context — one Streamlit session — per simulated agent,
all started at once (asyncio). Each session opens ``/search``, types the place and waits for the result
headline (« N fournisseurs à moins de 20 km de … »): **time to first result**, from navigation. Then it
opens a supplier: the supplier card is not in this tree yet, so it opens the first result's map popup
(the marker's ``click``, as a user would; its content is the actor's name, kinds, address, contact) and
waits for it: **time to supplier**. A session that fails or times out counts as an error. The server's
memory (RSS of the process, sampled every 0.2 s) is reported before and at its peak.

Prints figures only (median, p95, max, errors, RSS); read them, they are not asserted anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._chromium import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402
from mapping import store  # noqa: E402

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
#: Zoom on the first marker (out of its cluster) and click it; resolves "ok", or why not within 20 s.
OPEN_FIRST_MARKER = """() => new Promise((resolve) => {
    let cluster = null;
    map_div.eachLayer((layer) => { if (layer.zoomToShowLayer) { cluster = cluster || layer; } });
    if (!cluster || !cluster.getLayers().length) { resolve("no marker"); return; }
    const marker = cluster.getLayers()[0];
    map_div.setView(marker.getLatLng(), 17, {animate: false});
    const started = Date.now();
    const poll = setInterval(() => {
        if (marker._map) {  // the click bubbles to the cluster group, which binds and opens the popup
            clearInterval(poll);
            marker.fire("click", {latlng: marker.getLatLng()}, true);
            resolve("ok");
        }
        else if (Date.now() - started > 20000) { clearInterval(poll); resolve("marker not shown after 20 s"); }
    }, 100);
})"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB (Linux ``/proc``)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (``/proc/<pid>/stat``), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy (all cores; ``/proc/stat``)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class MemoryWatch:
    """Peak RSS of a process, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.2)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def start_server(log_path: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
        "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    out = log_path.open("w")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    msg = f"Streamlit did not start: {log_path.read_text()[-2000:]}"
    raise RuntimeError(msg)


async def session(browser, url: str, place: str, timeout_s: float) -> dict:
    """One agent: search around ``place``, then open the first supplier's popup."""
    from playwright.async_api import expect

    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = await context.new_page()
    page.set_default_timeout(timeout_s * 1000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    result: dict = {"first_result": None, "supplier": None, "error": None}
    start = time.perf_counter()
    step = "open /search"
    try:
        await page.goto(f"{url}/search")
        field = page.get_by_label("Lieu", exact=True)
        await field.fill(place)
        await field.press("Enter")
        headline = page.get_by_text(re.compile(rf"^\d[\d\u202f\u00a0 ]* fournisseurs? à moins de .*{re.escape(place)}"))
        step = "result headline"
        await headline.first.wait_for()
        result["first_result"] = time.perf_counter() - start
        # the run has finished and the whole-region map of the first run is gone: one map, the search's
        step = "run finished"
        await page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for()
        frame_el = page.locator(MAP_FRAME)
        await expect(frame_el).to_have_count(1, timeout=timeout_s * 1000)
        frame = page.frame_locator(MAP_FRAME)
        step = "map features"
        await frame.locator(".marker-cluster, .leaflet-marker-icon, path.leaflet-interactive").first.wait_for()
        step = "supplier popup"
        t0 = time.perf_counter()
        inner = await (await frame_el.element_handle()).content_frame()
        opened = await asyncio.wait_for(inner.evaluate(OPEN_FIRST_MARKER), timeout_s)
        if opened != "ok":
            raise RuntimeError(opened)
        await frame.locator(".leaflet-popup-content").wait_for(state="visible")
        result["supplier"] = time.perf_counter() - t0
        result["supplier_total"] = time.perf_counter() - start
        if errors:
            result["error"] = errors[0][:200]
    except Exception as exc:  # counted and reported
        result["error"] = f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    finally:
        await context.close()
    return result


async def run_round(url: str, n: int, place: str, timeout_s: float) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM_PATH), headless=True, args=list(CHROMIUM_ARGS))
        try:
            return await asyncio.gather(*(session(browser, url, place, timeout_s) for _ in range(n)))
        finally:
            await browser.close()


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def _fmt(values: list[float]) -> str:
    if not values:
        return "n/a"
    return f"median {statistics.median(values):5.1f} s · p95 {_p95(values):5.1f} s · max {max(values):5.1f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 25, 50])
    parser.add_argument("--place", default="Tours")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds per step of a session")
    args = parser.parse_args(argv)
    actors = store.load_suppliers()  # build before the server, outside the timings
    print(f"{len(actors)} actors in the built table; {os.cpu_count()} CPU(s)")
    log_path = Path("/tmp") / f"bench_sessions_{os.getpid()}.log"
    proc, url = start_server(log_path)
    try:
        asyncio.run(run_round(url, 1, args.place, args.timeout))  # warm-up: caches built once per process
        print(f"server RSS after warm-up: {rss_mb(proc.pid):.0f} MB")
        for n in args.sessions:
            before = rss_mb(proc.pid)
            cpu_before, busy_before = cpu_seconds(proc.pid), machine_busy_seconds()
            with MemoryWatch(proc.pid) as watch:
                started = time.perf_counter()
                results = asyncio.run(run_round(url, n, args.place, args.timeout))
                wall = time.perf_counter() - started
            server_cpu = cpu_seconds(proc.pid) - cpu_before
            busy = machine_busy_seconds() - busy_before
            first = [r["first_result"] for r in results if r["first_result"] is not None]
            supplier = [r["supplier_total"] for r in results if r.get("supplier_total") is not None]
            errors = [r["error"] for r in results if r["error"]]
            print(f"\n{n} concurrent sessions (wall {wall:.1f} s)")
            print(f"  time to first result : {_fmt(first)}  ({len(first)}/{n})")
            print(f"  time to supplier open: {_fmt(supplier)}  ({len(supplier)}/{n}, from navigation)")
            print(f"  errors: {len(errors)}" + "".join(f"\n    - {e}" for e in sorted(set(errors))[:5]))
            print(f"  server RSS: {before:.0f} MB before, peak {watch.peak:.0f} MB")
            print(
                f"  CPU: server {server_cpu:.0f} s ({server_cpu / n:.1f} s per session), whole machine busy "
                f"{busy:.0f} s of {wall * (os.cpu_count() or 1):.0f} s available: the rest is the browsers"
            )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
