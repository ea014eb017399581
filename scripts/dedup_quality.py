"""Quality of the deduplication against the demo world's ground truth: pairwise precision, recall, F1.

    .venv/bin/python scripts/dedup_quality.py                  # committed snapshots + data/demo/ground_truth.csv
    .venv/bin/python scripts/dedup_quality.py --actors 60000   # generated world, record-level views

The first mode runs the real path (connectors' parse/normalise -> locate -> deduplicate); the
second uses :func:`mapping.demo.records.source_records` (every source of the world). Both list the
worst false merges (records of different actors in one row) and misses (one actor in several rows).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

logger = logging.getLogger("dedup_quality")


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


def report(actors: pd.DataFrame, truth: pd.Series, records: pd.DataFrame, *, worst: int = 10) -> str:
    """French text report: figures, worst false merges, worst misses."""
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
            lines.append(f"      pourquoi : {why[:300]}")
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


def committed() -> tuple[pd.DataFrame, pd.Series]:
    """Records of the committed snapshots (located) and the committed ground truth."""
    from mapping.build.locate import locate
    from mapping.build.pipeline import load_records

    truth = pd.read_csv(ROOT / "data" / "demo" / "ground_truth.csv", dtype=str)
    return locate(load_records()), truth.set_index("source_key")["actor_id"]


def generated(n_actors: int, seed: int) -> tuple[pd.DataFrame, pd.Series]:
    """Records of a generated world (every source), located offline, and their truth."""
    from mapping.build.locate import locate
    from mapping.demo.records import source_records
    from mapping.demo.world import generate

    records, truth = source_records(generate(n_actors, seed=seed), seed=seed + 1)
    return locate(records), truth


def main(argv: list[str] | None = None) -> int:
    """Print the quality report."""
    from mapping.dedup import deduplicate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=0, help="générer un monde de N acteurs au lieu des instantanés")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--worst", type=int, default=10)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    records, truth = generated(args.actors, args.seed) if args.actors else committed()
    actors = deduplicate(records)
    sys.stdout.write(report(actors, truth, records, worst=args.worst) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
