"""Benchmark of geocoding-free build + deduplication at 10k, 100k and 1M records, and splink as peer.

Each measurement runs in a fresh subprocess so that its peak RSS is its own::

    .venv/bin/python benchmarks/bench_dedup.py                       # 10k, 100k, 1M + splink on 100k
    .venv/bin/python benchmarks/bench_dedup.py --sizes 10000 --no-splink
    .venv/bin/python benchmarks/bench_dedup.py --scope region          # the old one-region world

Records come from :func:`mapping.demo.records.source_records` (about 1.58 records per actor) of a
world spread over every commune of metropolitan France by population (``--scope france``, the
default: a million actors in one region of 2.5 M inhabitants put dozens of namesakes such as
« AMAP de Tours » in one commune, which no real data set has);
"build" = demo world + records + offline location; "dedup" = :func:`mapping.dedup.deduplicate`
(blocking, comparison, scoring, clustering, survivorship and explanations). F1 is pairwise
against the generator's truth. Splink (DuckDB backend) gets the same records, normalised by our
:func:`mapping.dedup.compare.prepare` (timed with it), comparable blocking rules and comparisons.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RECORDS_PER_ACTOR = 1.58
#: Match probability at which splink's pairs are clustered (connected components). Measured on the
#: 100k set: 0.95 -> F1 0.82, 0.99 -> 0.90, 0.999 -> 0.93 (connected components chain namesakes).
SPLINK_CLUSTER_THRESHOLD = 0.999
logger = logging.getLogger("bench_dedup")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _records(n_records: int, seed: int, scope: str = "france"):
    from mapping.build.locate import locate
    from mapping.demo.records import source_records
    from mapping.demo.world import generate

    start = time.perf_counter()
    world = generate(round(n_records / RECORDS_PER_ACTOR), seed=seed, scope=scope)
    records, truth = source_records(world, seed=seed + 1)
    del world
    records = locate(records)
    return records, truth, time.perf_counter() - start


def run_ours(n_records: int, seed: int, scope: str = "france") -> dict:
    """Build and dedup ``n_records`` records; figures as a dict."""
    from mapping.dedup import deduplicate
    from scripts.dedup_quality import pairwise_scores

    records, truth, build_s = _records(n_records, seed, scope)
    start = time.perf_counter()
    actors = deduplicate(records)
    dedup_s = time.perf_counter() - start
    keys = actors["source_keys"].explode()
    scores = pairwise_scores(truth, pd_series(keys))
    return {
        "engine": "sourcier",
        "records": len(records),
        "actors": len(actors),
        "build_s": round(build_s, 2),
        "dedup_s": round(dedup_s, 2),
        "peak_rss_mb": round(_peak_rss_mb()),
        **scores,
    }


def pd_series(exploded):
    import pandas as pd

    return pd.Series(exploded.index.to_numpy(), index=pd.Index(exploded.to_numpy(), name="source_key"))


def run_splink(n_records: int, seed: int, scope: str = "france") -> dict:
    """Deduplicate the same records with splink (DuckDB backend)."""
    import numpy as np
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from mapping.dedup.compare import prepare
    from scripts.dedup_quality import pairwise_scores

    records, truth, build_s = _records(n_records, seed, scope)
    start = time.perf_counter()
    p = prepare(records)
    geom = records.geometry
    # like ours: only points that locate the establishment itself (not a commune centroid)
    has = (geom.notna() & ~geom.is_empty).to_numpy() & p["x"].notna().to_numpy()
    df = pd.DataFrame(
        {
            "unique_id": np.arange(len(p)),
            "key": p["key"],
            "name": p["name"],
            "token1": p["token1"],
            "token2": p["token2"],
            "address": p["address"],
            "siret": p["siret"],
            "siren": p["siren"],
            "phone": p["phone"],
            "domain": p["domain"],
            "commune": p["commune"],
            "abbrev": p["abbrev1"],
            "email": p["email"],
            "lat": np.where(has, geom.y.where(has), np.nan),
            "lon": np.where(has, geom.x.where(has), np.nan),
        }
    )
    for column in (
        "name",
        "token1",
        "token2",
        "address",
        "siret",
        "siren",
        "phone",
        "domain",
        "commune",
        "abbrev",
        "email",
    ):
        df[column] = df[column].replace("", None)
    settings = SettingsCreator(
        link_type="dedupe_only",
        # same spirit as ours: exact identifiers, then commune x distinctive name token / address / initials
        blocking_rules_to_generate_predictions=[
            block_on("siret"),
            block_on("siren"),
            block_on("phone"),
            block_on("domain"),
            block_on("email"),
            block_on("commune", "token1"),
            block_on("commune", "token2"),
            block_on("commune", "address"),
            block_on("commune", "abbrev"),
        ],
        comparisons=[
            cl.JaroWinklerAtThresholds("name", [0.95, 0.88, 0.8]).configure(term_frequency_adjustments=True),
            # the world has few street names per commune: an address agreement is worth its frequency
            cl.LevenshteinAtThresholds("address", [2, 5]).configure(term_frequency_adjustments=True),
            # never trained by EM on these rules (same SIRET => same commune): m set by hand
            cl.ExactMatch("commune").configure(m_probabilities=[0.95, 0.05]),
            cl.ExactMatch("siret"),
            cl.ExactMatch("siren"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("domain"),
            cl.DistanceInKMAtThresholds("lat", "lon", [0.1, 0.3, 1.0, 5.0]),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    db = DuckDBAPI()
    linker = Linker(db.register(df), settings, log_level=logging.WARNING)
    # lambda from deterministic rules; u from random pairs; m by EM on two rules that leave the others free.
    # Not EM on (commune, name): that block is full of namesakes (several actors of one name in a
    # commune), EM then learns that 1-5 km apart is a match (+5.7 bits) and clusters chain them
    # (F1 0.41 at 100k). (commune, address) leaves name, distance and identifiers free.
    linker.training.estimate_probability_two_random_records_match(
        [block_on("siret"), block_on("phone", "commune")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("siret"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("commune", "address"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=SPLINK_CLUSTER_THRESHOLD
    ).as_pandas_dataframe()
    splink_s = time.perf_counter() - start
    predicted = pd.Series(
        clusters["cluster_id"].to_numpy(), index=pd.Index(df["key"].to_numpy()[clusters["unique_id"]])
    )
    scores = pairwise_scores(truth, predicted)
    return {
        "engine": "splink",
        "records": len(records),
        "actors": int(predicted.nunique()),
        "build_s": round(build_s, 2),
        "dedup_s": round(splink_s, 2),
        "peak_rss_mb": round(_peak_rss_mb()),
        **scores,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per measurement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--splink-size", type=int, default=100_000)
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument(
        "--scope", choices=("france", "region"), default="france", help="world: metropolitan France or the region"
    )
    parser.add_argument("--one", choices=("ours", "splink"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.one:
        run = run_ours if args.one == "ours" else run_splink
        sys.stdout.write(json.dumps(run(args.sizes[0], args.seed, args.scope)) + "\n")
        return 0
    jobs = [("ours", n) for n in args.sizes]
    if not args.no_splink:
        jobs.append(("splink", args.splink_size))
    results = []
    header = (
        f"{'engine':<9}{'records':>9}{'actors':>9}{'build s':>9}{'dedup s':>9}{'RSS MB':>8}"
        f"{'prec.':>8}{'recall':>8}{'F1':>8}"
    )
    sys.stdout.write(f"scope {args.scope}, seed {args.seed}\n" + header + "\n")
    for engine, n in jobs:
        cmd = [sys.executable, __file__, "--one", engine, "--sizes", str(n), "--seed", str(args.seed)]
        cmd += ["--scope", args.scope]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
        if done.returncode:
            sys.stdout.write(f"{engine} {n}: échec\n{done.stderr[-2000:]}\n")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(r)
        sys.stdout.write(
            f"{r['engine']:<9}{r['records']:>9}{r['actors']:>9}{r['build_s']:>9.1f}{r['dedup_s']:>9.1f}"
            f"{r['peak_rss_mb']:>8}{r['precision']:>8.4f}{r['recall']:>8.4f}{r['f1']:>8.4f}\n"
        )
        sys.stdout.flush()
    ours = {r["records"] // 1000: r for r in results if r["engine"] == "sourcier"}
    peer = next((r for r in results if r["engine"] == "splink"), None)
    big = [r for r in results if r["engine"] == "sourcier"]
    if len(big) >= 2:
        sys.stdout.write(f"time(largest)/time(previous) = {big[-1]['dedup_s'] / big[-2]['dedup_s']:.1f}\n")
    if peer:
        mine = next((r for r in results if r["engine"] == "sourcier" and r["records"] == peer["records"]), None)
        if mine:
            sys.stdout.write(
                f"sourcier/splink time = {mine['dedup_s'] / peer['dedup_s']:.2f}; "
                f"F1 {mine['f1']:.4f} vs {peer['f1']:.4f}\n"
            )
    del ours
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
