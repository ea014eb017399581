"""Benchmark: time and peak memory of ``python -m mapping build`` on the committed (default) world.

Usage: ``python benchmarks/bench_build.py [--repeat 3] [--steps]``. Each run is a fresh subprocess so that
peak RSS (``ru_maxrss`` of the child) and import costs are those a user sees. Prints figures only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, time, sys
t0 = time.perf_counter()
from mapping.build.pipeline import build
t1 = time.perf_counter()
report = build(output=sys.argv[1])
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "build_s": t2 - t1, "actors": report.actors,
                  "records": report.records, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "steps": report.timings}))
"""


def run_once(output: Path) -> dict:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    figures["wall_s"] = time.perf_counter() - start
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--steps", action="store_true", help="also print the median seconds of each build step")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = [run_once(Path(tmp) / f"suppliers-{i}.parquet") for i in range(args.repeat)]
    print(f"build of the committed world: {runs[0]['records']} records -> {runs[0]['actors']} actors")
    for key, label in (
        ("build_s", "build (s)"),
        ("import_s", "imports (s)"),
        ("wall_s", "process wall (s)"),
        ("peak_rss_mb", "peak RSS (MB)"),
    ):
        values = [r[key] for r in runs]
        print(f"{label:<18} median {statistics.median(values):8.2f}   min {min(values):8.2f}   max {max(values):8.2f}")
    if args.steps:
        print("steps (median s):")
        for step in runs[0].get("steps", {}):
            print(f"  {step:<32} {statistics.median(r['steps'].get(step, 0.0) for r in runs):6.2f}")


if __name__ == "__main__":
    main()
