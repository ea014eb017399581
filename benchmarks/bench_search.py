"""Benchmark: latency of SupplierIndex.search at 10k and 1M actors (p50 / p95 / max per query type).

Usage: ``python benchmarks/bench_search.py [--sizes 10000 1000000] [--queries 200] [--seed 7] [--in-memory]``.
Actors come from the demo world (placed over the region's communes, weighted by population, see
``benchmarks/_synthetic.py``) and go through ``mapping.build.pipeline.storage_order``, GeoParquet and
``mapping.store.read_suppliers``, as the built table and the app do (``--in-memory`` skips that: world
order, object string columns, one list object per row). Query points
are the region's lycées; codes are drawn at random. « all matches » queries build every matching row;
« first 2,000 » queries are what the search page asks (``mapping.screens.query.MAX_RESULTS`` rows, nearest
first, plus the total count).
Prints figures only (the targets of issue 6: p95 ≤ 5 ms at 10k, ≤ 20 ms at 1M for filters + radius).
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import _synthetic
from mapping import store
from mapping.build import pipeline
from mapping.reference import geography, taxonomy
from mapping.screens import query
from mapping.search.index import SupplierIndex, tokenize

logger = logging.getLogger("bench_search")


def _typo(word: str, rng: np.random.Generator) -> str:
    """Drop or swap one inner letter (``ressourcerie`` -> ``resourcerie`` / ``ressoucrerie``)."""
    i = int(rng.integers(1, len(word) - 2))
    if rng.random() < 0.5:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def query_makers(gdf, rng: np.random.Generator) -> dict[str, Callable[[], dict]]:
    """Generators of typical searches, by query type."""
    lycees = geography.lycees()
    points = list(zip(lycees["lon"], lycees["lat"], strict=True))
    families = taxonomy.codes("purchase_families")
    wastes = taxonomy.codes("waste_types")
    kinds = ["esat", "ea", "aci", "association", "scop", "producteur"]
    deps = geography.departements()
    words = sorted({w for name in gdf["name"].iloc[:20000] for w in tokenize(name) if len(w) >= 7 and w.isalpha()})

    def pick(values: list) -> object:
        return values[int(rng.integers(len(values)))]

    return {
        "family + kind, all matches": lambda: {"purchase_families": [pick(families)], "actor_kinds": [pick(kinds)]},
        "family + kind, first 2,000": lambda: {
            "purchase_families": [pick(families)],
            "actor_kinds": [pick(kinds)],
            "limit": query.MAX_RESULTS,
        },
        "family + 20 km, all matches": lambda: {
            "purchase_families": [pick(families)],
            "near": pick(points),
            "radius_km": 20,
        },
        "family + 20 km, first 2,000": lambda: {
            "purchase_families": [pick(families)],
            "near": pick(points),
            "radius_km": 20,
            "limit": query.MAX_RESULTS,
        },
        "family + 20 km, first 50": lambda: {
            "purchase_families": [pick(families)],
            "near": pick(points),
            "radius_km": 20,
            "limit": 50,
        },
        "2 labels, all of + 20 km": lambda: {
            "labels": ["c_du_centre", pick(["ab", "hve", "label_rouge"])],
            "labels_all": True,
            "near": pick(points),
            "radius_km": 20,
        },
        "waste type + dép., all matches": lambda: {"waste_types": [pick(wastes)], "departements": [pick(deps)]},
        "waste type + dép., first 2,000": lambda: {
            "waste_types": [pick(wastes)],
            "departements": [pick(deps)],
            "limit": query.MAX_RESULTS,
        },
        "text with a typo, all matches": lambda: {"text": _typo(pick(words), rng)},
        "text with a typo, first 2,000": lambda: {"text": _typo(pick(words), rng), "limit": query.MAX_RESULTS},
    }


def _rss_mb() -> float:
    """Resident memory of this process now (MB; Linux)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def run(size: int, n_queries: int, seed: int, *, parquet: bool = True, freeze: bool = False) -> None:
    start = time.perf_counter()
    gdf = _synthetic.actors(size, seed=seed)
    loaded = ""
    if parquet:  # stored and read as the pipeline and the app do
        gdf = pipeline.storage_order(gdf)
        with tempfile.TemporaryDirectory(prefix="bench_search_") as tmp:
            path = store.write_suppliers(gdf, Path(tmp) / "suppliers.parquet")
            del gdf
            gc.collect()
            before = _rss_mb()
            t0 = time.perf_counter()
            gdf = store.read_suppliers(path)
            loaded = f", read_suppliers {time.perf_counter() - t0:.1f} s (+{_rss_mb() - before:,.0f} MB resident)"
    made = time.perf_counter() - start
    start = time.perf_counter()
    index = SupplierIndex(gdf)
    built = time.perf_counter() - start
    if freeze:  # what a server can do once its table is loaded: the GC stops re-scanning its objects
        gc.collect()
        gc.freeze()
    source = ("GeoParquet" if parquet else "in memory") + (", gc.freeze()" if freeze else "")
    print(f"\n{size:,} actors ({source}) — table {made:.1f} s{loaded}, index build {built:.2f} s")
    print(f"{'query':<32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'median rows':>12} {'p95 rows':>9} {'matches':>9}")
    rng = np.random.default_rng(seed)
    for label, make in query_makers(gdf, rng).items():
        queries = [make() for _ in range(n_queries)]
        for criteria in queries[:5]:  # warm-up (first rapidfuzz call, caches)
            index.search(**criteria)
        times, sizes, totals = [], [], []
        for criteria in queries:
            t0 = time.perf_counter()
            found = index.search(**criteria)
            times.append((time.perf_counter() - t0) * 1000)
            sizes.append(len(found))
            totals.append(found.attrs["total"])
        p50, p95 = np.percentile(times, [50, 95])
        print(
            f"{label:<32} {p50:8.2f} {p95:8.2f} {max(times):8.2f} {statistics.median(sizes):12,.0f}"
            f" {np.percentile(sizes, 95):9,.0f} {statistics.median(totals):9,.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--in-memory", action="store_true", help="search the generated table as is (no GeoParquet round trip)"
    )
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() after the build (a 1M-row table holds millions of objects: full collections take"
        " ~0.1 s and land in the slowest queries)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    for size in args.sizes:
        run(size, args.queries, args.seed, parquet=not args.in_memory, freeze=args.gc_freeze)


if __name__ == "__main__":
    main()
