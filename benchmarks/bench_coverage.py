"""Benchmark: mapping.coverage.coverage_matrix for 1M actors x every family x every EPCI of the région.

Usage: ``python benchmarks/bench_coverage.py [--size 1000000] [--repeat 5] [--seed 3] [--in-memory]``.
Actors come from the demo world (``benchmarks/_synthetic.py``) and go through
``mapping.build.pipeline.storage_order``, GeoParquet and ``mapping.store.read_suppliers``, as the app
loads them (equal code lists are then one shared object); ``--in-memory`` keeps one list object per row
(the slow path: every list is read in Python). Prints figures only (target of issue 15: ≤ 2 s for
every purchase family x every EPCI), plus the other levels, kinds and the indicator table for reference.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import _synthetic
from mapping import coverage, store
from mapping.build import pipeline


def _timed(label: str, repeat: int, call: Callable[[], object]) -> None:
    call()  # warm the reference caches (communes, EPCI names, lycées)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    shape = getattr(result, "shape", None)
    print(f"{label:<58} median {statistics.median(times):6.3f} s  max {max(times):6.3f} s  shape {shape}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--in-memory", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    gdf = _synthetic.actors(args.size, seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="bench_coverage_") as tmp:
        if not args.in_memory:
            path = store.write_suppliers(pipeline.storage_order(gdf), Path(tmp) / "suppliers.parquet")
            del gdf
            gdf = store.read_suppliers(path)
        how = "in memory" if args.in_memory else "read_suppliers"
        print(f"{len(gdf):,} actors ready in {time.perf_counter() - start:.1f} s ({how})")
        _timed("families x EPCI (target ≤ 2 s)", args.repeat, lambda: coverage.coverage_matrix(gdf, by="epci"))
        _timed("families x départements", args.repeat, lambda: coverage.coverage_matrix(gdf))
        _timed(
            "families x EPCI, kinds=insertion",
            args.repeat,
            lambda: coverage.coverage_matrix(gdf, by="epci", kinds=["insertion"]),
        )
        _timed(
            "waste types x EPCI", args.repeat, lambda: coverage.coverage_matrix(gdf, dimension="waste_types", by="epci")
        )
        _timed(
            "families x lycées (10 km)", max(1, args.repeat // 2), lambda: coverage.coverage_matrix(gdf, by="lycee:10")
        )
        _timed(
            "reservation potential, families x EPCI",
            max(1, args.repeat // 2),
            lambda: coverage.reservation_potential(gdf, by="epci"),
        )
        _timed("indicators, families x EPCI (+ région rows)", 1, lambda: coverage.indicators(gdf, by="epci"))


if __name__ == "__main__":
    main()
