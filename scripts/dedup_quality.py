"""Quality of the deduplication on several labelled sets: our engine, splink and a plain baseline, in one run.

    .venv/bin/python scripts/dedup_quality.py                      # every set, every engine: the table
    .venv/bin/python scripts/dedup_quality.py --sets febrl2 french  # some sets only
    .venv/bin/python scripts/dedup_quality.py --report demo         # French report of our misses on one set

Sets (``--sets``):

* ``demo``: the committed snapshots through the real path (connectors' parse/normalise -> locate)
  against ``data/demo/ground_truth.csv`` (the region);
* ``demo-france``: a generated world over metropolitan France (``--actors`` actors, every source);
* ``febrl1``, ``febrl2``, ``febrl3``: the public Febrl sets of ``../shared/linkage/``, mapped to
  ``name`` (given name + surname), ``address`` (number + address lines), ``postcode``, ``city``
  (suburb) only, as its README says;
* ``french``: the handwritten French cases of ``tests/fixtures/linkage/french_hard_cases.csv``
  (several organisations at one address, namesakes in one town, one network's establishments
  in neighbouring towns, acronyms, farms' usage and legal names, records without coordinates or
  SIRET, CEDEX and foreign postcodes).

Engines: ``sourcier`` (:func:`mapping.dedup.link`, weights learned from the set itself),
``splink`` (5, DuckDB, unsupervised: u by random sampling, m by EM, on the same normalised fields,
clustered at match probability 0.9) and ``baseline`` (names fuzzy-matched, rapidfuzz
``token_sort_ratio`` >= 90, inside one postcode; connected components). Figures are pairwise
precision, recall and F1 against the labels; ``SIRET≠`` counts predicted pairs of records with two
different SIRETs (must be 0); time is the engine's wall time on the set.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

logger = logging.getLogger("dedup_quality")

LINKAGE = ROOT.parent / "shared" / "linkage"
FRENCH = ROOT / "tests" / "fixtures" / "linkage" / "french_hard_cases.csv"
SETS = ("demo", "demo-france", "febrl1", "febrl2", "febrl3", "french")
ENGINES = ("sourcier", "splink", "baseline")
#: Match probability at which splink's pairs are clustered (TECHNICAL.md §7: its best F1 there).
SPLINK_THRESHOLD = 0.9


def _pairs(labels: pd.Series) -> int:
    sizes = labels.value_counts().to_numpy(dtype=np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def pairwise_scores(truth: pd.Series, predicted: pd.Series) -> dict[str, float]:
    """Pairwise precision / recall / F1 of ``predicted`` (source_key -> cluster) against ``truth``
    (source_key -> actor_id), on the keys present in both."""
    both = predicted.index.intersection(truth.index)
    frame = pd.DataFrame({"c": predicted.loc[both].to_numpy(), "a": truth.loc[both].to_numpy()})
    tp = _pairs(frame["c"].astype(str) + "\x1f" + frame["a"].astype(str))
    predicted_pairs, true_pairs = _pairs(frame["c"]), _pairs(frame["a"])
    precision = tp / predicted_pairs if predicted_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "true_pairs": true_pairs,
        "predicted_pairs": predicted_pairs,
    }


def different_siret_pairs(records: pd.DataFrame, predicted: pd.Series) -> int:
    """Predicted pairs whose two records carry two different valid SIRETs."""
    from mapping.dedup import normalise

    if "siret" not in records.columns:
        return 0
    keys = records["source"].astype(str) + ":" + records["source_id"].astype(str)
    siret = normalise.sirets(records["siret"].reset_index(drop=True)).to_numpy(dtype=object)
    frame = pd.DataFrame({"c": predicted.reindex(keys.to_numpy()).to_numpy(), "s": siret})
    frame = frame[(frame["s"] != "") & frame["c"].notna()]
    per_cluster = frame.groupby("c")["s"].value_counts()
    total = 0
    for _, counts in per_cluster.groupby(level=0):
        n = counts.to_numpy(dtype=np.int64)
        total += int((n.sum() ** 2 - (n**2).sum()) // 2)
    return total


# --------------------------------------------------------------------------------------- sets


def febrl(number: int) -> tuple[pd.DataFrame, pd.Series]:
    """A Febrl set as a user's file would arrive: name, address, postcode, city; truth by entity."""
    df = pd.read_csv(LINKAGE / f"dataset{number}.csv", dtype=str, skipinitialspace=True).fillna("")
    df.columns = [c.strip() for c in df.columns]
    records = pd.DataFrame(
        {
            "source": "fichier",
            "source_id": df["rec_id"].str.strip(),
            "name": (df["given_name"].str.strip() + " " + df["surname"].str.strip()).str.strip(),
            "address": (
                df["street_number"].str.strip() + " " + df["address_1"].str.strip() + " " + df["address_2"].str.strip()
            ).str.strip(),
            "postcode": df["postcode"].str.strip(),
            "city": df["suburb"].str.strip(),
        }
    )
    truth = pd.Series(
        records["source_id"].str.split("-").str[1].to_numpy(), index="fichier:" + records["source_id"].to_numpy()
    )
    return records, truth


def french() -> tuple[pd.DataFrame, pd.Series]:
    """The handwritten French cases (points where the file gives coordinates)."""
    import geopandas as gpd

    from mapping.reference.schema import CRS_WGS84

    df = pd.read_csv(FRENCH, dtype=str).fillna("")
    lat = pd.to_numeric(df["lat"], errors="coerce")
    lon = pd.to_numeric(df["lon"], errors="coerce")
    geometry = gpd.points_from_xy(lon, lat)
    records = gpd.GeoDataFrame(df.drop(columns=["entity", "lat", "lon"]), geometry=geometry, crs=CRS_WGS84)
    records.loc[lat.isna().to_numpy(), "geometry"] = None
    records["geo_precision"] = np.where(lat.notna(), "source", None)
    records = records.replace({"": None})
    truth = pd.Series(df["entity"].to_numpy(), index=(df["source"] + ":" + df["source_id"]).to_numpy())
    return records, truth


def demo() -> tuple[pd.DataFrame, pd.Series]:
    """Records of the committed snapshots (located) and the committed ground truth."""
    from mapping.build.locate import locate
    from mapping.build.pipeline import load_records

    truth = pd.read_csv(ROOT / "data" / "demo" / "ground_truth.csv", dtype=str)
    return locate(load_records()), truth.set_index("source_key")["actor_id"]


def generated(n_actors: int, seed: int, scope: str = "france") -> tuple[pd.DataFrame, pd.Series]:
    """Records of a generated world (every source), located offline, and their truth."""
    from mapping.build.locate import locate
    from mapping.demo.records import source_records
    from mapping.demo.world import generate

    records, truth = source_records(generate(n_actors, seed=seed, scope=scope), seed=seed + 1)
    return locate(records), truth


def load_set(name: str, args: argparse.Namespace) -> tuple[pd.DataFrame, pd.Series]:
    """Records and truth of the set ``name``."""
    if name == "demo":
        return demo()
    if name == "demo-france":
        return generated(args.actors, args.seed)
    if name.startswith("febrl"):
        return febrl(int(name[-1]))
    if name == "french":
        return french()
    raise ValueError(name)


# --------------------------------------------------------------------------------------- engines


def run_sourcier(records: pd.DataFrame) -> pd.Series:
    """Our engine: source_key -> cluster."""
    from mapping.dedup import link

    prepared, _, _ = link(records)
    return pd.Series(prepared["cluster"].to_numpy(), index=prepared["key"].to_numpy())


def run_baseline(records: pd.DataFrame) -> pd.Series:
    """Names fuzzy-matched (token_sort_ratio >= 90) inside one postcode; connected components."""
    from rapidfuzz import fuzz, process, utils

    from mapping.dedup.cluster import constrained_clusters

    rec = records.reset_index(drop=True)
    keys = (rec["source"].astype(str) + ":" + rec["source_id"].astype(str)).to_numpy()
    names = rec["name"].fillna("").astype(str).to_numpy()
    postcode = rec["postcode"].fillna("").astype(str).str.strip() if "postcode" in rec else pd.Series([""] * len(rec))
    left, right = [], []
    for _, idx in pd.Series(np.arange(len(rec))).groupby(postcode.to_numpy()):
        pos = idx.to_numpy()
        if len(pos) < 2 or postcode.iloc[pos[0]] == "":
            continue
        scores = process.cdist(
            names[pos].tolist(), names[pos].tolist(), scorer=fuzz.token_sort_ratio, processor=utils.default_process
        )
        a, b = np.nonzero(np.triu(scores >= 90, k=1))
        left.append(pos[a])
        right.append(pos[b])
    i = np.concatenate(left) if left else np.empty(0, dtype=np.int64)
    j = np.concatenate(right) if right else np.empty(0, dtype=np.int64)
    # connected components: the clustering without any constraint
    labels, _ = constrained_clusters(len(rec), i, j, np.ones(len(i)), np.full(len(rec), "", dtype=object))
    return pd.Series(labels, index=keys)


def run_splink(records: pd.DataFrame) -> pd.Series:
    """splink 5 (DuckDB), unsupervised, on our normalised fields; connected components at 0.9."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from mapping.dedup.compare import prepare

    p = prepare(records)
    df = pd.DataFrame({"unique_id": np.arange(len(p))})
    for column in (
        "name",
        "token1",
        "token2",
        "address",
        "street_token",
        "postcode",
        "city",
        "siret",
        "phone",
        "domain",
    ):
        df[column] = p[column].astype(object).replace("", None).to_numpy()
    has_point = np.isfinite(p["x"].to_numpy())
    comparisons = [
        cl.JaroWinklerAtThresholds("name", [0.95, 0.88, 0.8]).configure(term_frequency_adjustments=True),
        cl.JaroWinklerAtThresholds("address", [0.95, 0.88, 0.8]),
        cl.ExactMatch("postcode"),
        cl.JaroWinklerAtThresholds("city", [0.95, 0.88]),
    ]
    # the identifiers and the point only when the set has them (Febrl has none)
    for column in ("siret", "phone", "domain"):
        if df[column].notna().sum() >= 2:
            comparisons.append(cl.ExactMatch(column))
    if has_point.sum() >= 2:
        geom = records.geometry.reset_index(drop=True)
        df["lat"] = np.where(has_point, geom.y.to_numpy(), np.nan)
        df["lon"] = np.where(has_point, geom.x.to_numpy(), np.nan)
        comparisons.append(cl.DistanceInKMAtThresholds("lat", "lon", [0.1, 0.3, 1.0, 5.0]))
    rules = [
        block_on("postcode"),
        block_on("city"),
        block_on("token1"),
        block_on("token2"),
        block_on("street_token"),
        block_on("siret"),
        block_on("phone"),
    ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=rules,
        comparisons=comparisons,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(DuckDBAPI().register(df), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match([block_on("name", "postcode")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for rule in (block_on("postcode"), block_on("token1")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except Exception as exc:  # a session can fail on a tiny set: keep the others
            logger.warning("splink EM on %s: %s", rule, exc)
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=SPLINK_THRESHOLD
    ).as_pandas_dataframe()
    keys = p["key"].to_numpy(dtype=object)
    return pd.Series(clusters["cluster_id"].to_numpy(), index=keys[clusters["unique_id"].to_numpy()])


RUNNERS = {"sourcier": run_sourcier, "splink": run_splink, "baseline": run_baseline}


# --------------------------------------------------------------------------------------- report


def report(actors: pd.DataFrame, truth: pd.Series, records: pd.DataFrame, *, worst: int = 10) -> str:
    """French text report of :func:`mapping.dedup.deduplicate`'s output: figures, worst false merges, misses."""
    keys = actors["source_keys"].explode()
    predicted = pd.Series(keys.index.to_numpy(), index=pd.Index(keys.to_numpy(), name="source_key"))
    scores = pairwise_scores(truth, predicted)
    names = pd.Series(records["name"].to_numpy(), index=records["source"] + ":" + records["source_id"].astype(str))
    lines = [
        f"enregistrements {len(predicted)}, acteurs prédits {len(actors)}, acteurs vrais "
        f"{truth.loc[truth.index.intersection(predicted.index)].nunique()}",
        f"précision {scores['precision']:.4f}  rappel {scores['recall']:.4f}  F1 {scores['f1']:.4f}  "
        f"(paires vraies {scores['true_pairs']}, prédites {scores['predicted_pairs']})",
    ]
    frame = pd.DataFrame(
        {"row": predicted.to_numpy(), "key": predicted.index, "actor": truth.reindex(predicted.index).to_numpy()}
    )
    mixed = frame.groupby("row")["actor"].nunique()
    lines.append(f"\nPires fusions à tort ({int((mixed > 1).sum())} lignes mélangent plusieurs acteurs) :")
    for row in mixed[mixed > 1].sort_values(ascending=False).index[:worst]:
        sub = frame[frame["row"] == row]
        lines.append(
            "  - "
            + " | ".join(f"{k} « {names.get(k, '?')} » [{a}]" for k, a in zip(sub["key"], sub["actor"], strict=True))
        )
        why = actors.iloc[row].get("merge_explanation")
        if isinstance(why, str):
            lines.append(f"      pourquoi : {why[:400]}")
    split = frame.groupby("actor")["row"].nunique()
    lines.append(f"\nPires doublons manqués ({int((split > 1).sum())} acteurs répartis sur plusieurs lignes) :")
    for actor in split[split > 1].sort_values(ascending=False).index[:worst]:
        sub = frame[frame["actor"] == actor]
        lines.append(
            f"  - {actor} : "
            + " | ".join(
                f"{k} « {names.get(k, '?')} » (ligne {r})" for k, r in zip(sub["key"], sub["row"], strict=True)
            )
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the table (or one set's report)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--actors", type=int, default=4000, help="acteurs du monde généré (demo-france)")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--report", choices=SETS, help="rapport détaillé de notre moteur sur un jeu")
    parser.add_argument("--worst", type=int, default=10)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("splink").setLevel(logging.ERROR)
    if args.report:
        from mapping.dedup import deduplicate

        records, truth = load_set(args.report, args)
        sys.stdout.write(report(deduplicate(records), truth, records, worst=args.worst) + "\n")
        return 0
    header = f"{'set':<13}{'records':>8}{'pairs':>8}  {'engine':<9}{'prec.':>8}{'recall':>8}{'F1':>8}"
    header += f"{'time s':>8}{'SIRET≠':>8}"
    sys.stdout.write(header + "\n")
    for name in args.sets:
        records, truth = load_set(name, args)
        keys = records["source"].astype(str) + ":" + records["source_id"].astype(str)
        true_pairs = _pairs(truth.reindex(keys.to_numpy()).dropna())
        for engine in args.engines:
            start = time.perf_counter()
            try:
                predicted = RUNNERS[engine](records)
            except Exception as exc:  # one engine failing must not hide the others
                sys.stdout.write(f"{name:<13}{len(records):>8}{true_pairs:>8}  {engine:<9} échec : {exc}\n")
                continue
            elapsed = time.perf_counter() - start
            s = pairwise_scores(truth, predicted)
            wrong = different_siret_pairs(records, predicted)
            sys.stdout.write(
                f"{name:<13}{len(records):>8}{true_pairs:>8}  {engine:<9}{s['precision']:>8.4f}{s['recall']:>8.4f}"
                f"{s['f1']:>8.4f}{elapsed:>8.2f}{wrong:>8}\n"
            )
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
