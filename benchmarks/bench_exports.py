"""Benchmark: time and size of exporting a list of suppliers as CSV, XLSX and GeoJSON.

Usage: ``python benchmarks/bench_exports.py [--sizes 100000] [--seed 1] [--repeat 1]``.
Actors come from the demo world (``benchmarks/_synthetic.py``) and go through GeoParquet and
``mapping.build.table.read_suppliers`` as the built table does (shared list objects, pyarrow strings); a
radius search then adds ``distance_km`` to every row (``SupplierIndex.search`` with a radius covering
the whole region), as a result exported from the search page would have. Prints figures only.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import _synthetic
from mapping import exports
from mapping.build import pipeline, table
from mapping.search import SupplierIndex

ORLEANS = (1.9093, 47.9025)
FORMATS = {"CSV": exports.to_csv, "XLSX": exports.to_xlsx, "GeoJSON": exports.to_geojson}


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:,.1f} MB"


def run(n: int, *, seed: int, repeat: int) -> None:
    start = time.perf_counter()
    gdf = pipeline.storage_order(_synthetic.actors(n, seed=seed))
    with tempfile.TemporaryDirectory() as tmp:
        path = table.write_suppliers(gdf, Path(tmp) / "suppliers.parquet")
        gdf = table.read_suppliers(path)
    found = SupplierIndex(gdf).search(near=ORLEANS, radius_km=400)
    print(f"{len(found):,} suppliers (with distance_km), prepared in {time.perf_counter() - start:.1f} s")
    for name, export in FORMATS.items():
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            data = export(found)
            times.append(time.perf_counter() - t)
        best = min(times)
        print(f"  {name:<8} {best:6.2f} s  {_size(len(data)):>10}  ({len(found) / best:,.0f} rows/s)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs per format (best time printed)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    for n in args.sizes:
        run(n, seed=args.seed, repeat=args.repeat)


if __name__ == "__main__":
    main()
