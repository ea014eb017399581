"""Time :func:`mapping.matching.match_suppliers` on a 10,000-row buyer's list (target ≤ 10 s).

Usage: ``python benchmarks/bench_matching.py [--rows 10000] [--actors 0 1000000]``

``--actors 0`` is the built table (``data/build/suppliers.parquet``); another number a synthetic
table of that many actors (:mod:`benchmarks._synthetic`). The list is drawn from the actors (a third
with their SIRET, the rest by name with keying slips and wrong postcodes) plus 20 % non-members.
The actor side of the blocking keys is computed once per table (cached): it is printed apart
(``keys s``), then the list is matched twice (``match s``: the second, warm run).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import _synthetic  # noqa: E402
from mapping import matching  # noqa: E402
from mapping.store import load_suppliers  # noqa: E402


def buyer_list(actors: pd.DataFrame, rows: int, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    members = actors.iloc[rng.choice(len(actors), int(rows * 0.8), replace=len(actors) < rows)]
    table = pd.DataFrame(
        {c: members[c].astype("string").fillna("").to_numpy() for c in ("siret", "name", "address", "postcode", "city")}
    )
    drop = rng.random(len(table)) > 1 / 3
    table.loc[drop, "siret"] = ""
    names = table["name"].to_numpy(dtype=object)
    slip = np.flatnonzero(rng.random(len(table)) < 0.2)
    names[slip] = [n[:-2] + n[-1:] if len(n) > 4 else n for n in names[slip]]
    table["name"] = names
    k = rows - len(table)
    others = pd.DataFrame(
        {
            "siret": "",
            "name": [f"Entreprise Témoin {i}" for i in range(k)],
            "address": "1 rue de la Gare",
            "postcode": table["postcode"].sample(k, replace=True, random_state=seed).to_numpy(),
            "city": "",
        }
    )
    return pd.concat([table, others], ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--actors", type=int, nargs="+", default=[0])
    args = parser.parse_args(argv)
    print(f"{'actors':>9} {'rows':>7} {'keys s':>7} {'match s':>8} {'warm s':>7} {'matched':>8}")
    for size in args.actors:
        actors = load_suppliers() if size == 0 else _synthetic.actors(size)
        table = buyer_list(actors, args.rows)
        start = time.perf_counter()
        matching._cached_keys(actors)
        keys_s = time.perf_counter() - start
        start = time.perf_counter()
        result = matching.match_suppliers(table, actors)
        first = time.perf_counter() - start
        start = time.perf_counter()
        matching.match_suppliers(table, actors)
        warm = time.perf_counter() - start
        print(
            f"{len(actors):>9} {len(table):>7} {keys_s:>7.2f} {first:>8.2f} {warm:>7.2f} "
            f"{int(result['uid'].notna().sum()):>8}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
