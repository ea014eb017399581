"""Precision and recall of :func:`mapping.matching.match_suppliers`, printed per labelled set.

Usage: ``python scripts/matching_quality.py [--sets own febrl1 febrl2 febrl3] [--size 400]``

* ``own``: a buyer's list drawn from the real actor table (``data/build/suppliers.parquet``, built from
  the committed snapshots): members with their SIRET, without it, with a mistyped (invalid) SIRET, with
  typos in the name, a wrong postcode (one digit), no address; plus non-members (trade names with a
  surname, in real towns of the region) that Sourcier does not hold.
* ``febrl1-3``: the public Febrl sets of ``../shared/linkage/`` (data we did not write): each entity's
  original record is the « actor », its duplicates the buyer's list; mapped to name, address,
  postcode, city only (no identifier). People in Australia, not French organisations.

Precision = rows matched to the right actor / rows matched; recall = rows matched to the right
actor / rows whose supplier is in the table.
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

from mapping.matching import match_suppliers  # noqa: E402
from mapping.store import load_suppliers  # noqa: E402

LINKAGE = ROOT.parent / "shared" / "linkage"
TRADES = ("Boulangerie", "Garage", "Plomberie", "Menuiserie", "Transports", "Imprimerie", "Pharmacie", "Cabinet")
SURNAMES = ("Lemoine", "Berthier", "Couturier", "Delaunay", "Marchand", "Rocher", "Vasseur", "Peltier", "Giraud")


def _typo(text: str, rng: np.random.Generator) -> str:
    """One keying slip in a word of three letters or more: a letter dropped, doubled or two swapped."""
    words = text.split()
    long = [k for k, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not long:
        return text
    k = int(rng.choice(long))
    w = words[k]
    p = int(rng.integers(1, len(w) - 1))
    kind = int(rng.integers(3))
    words[k] = (
        w[:p] + w[p + 1 :]
        if kind == 0
        else (w[:p] + w[p] + w[p:] if kind == 1 else w[: p - 1] + w[p] + w[p - 1] + w[p + 1 :])
    )
    return " ".join(words)


def _bad_siret(siret: str) -> str:
    """The SIRET with its last digit changed: the Luhn key no longer holds."""
    return siret[:-1] + str((int(siret[-1]) + 1) % 10)


def own_list(actors: pd.DataFrame, size: int = 400, seed: int = 7) -> tuple[pd.DataFrame, pd.Series]:
    """A labelled buyer's list from ``actors`` (``truth``: the uid, None for a non-member)."""
    rng = np.random.default_rng(seed)
    members = actors.iloc[rng.choice(len(actors), size, replace=False)]
    rows, truth = [], []
    for k, (_, actor) in enumerate(members.iterrows()):
        siret = actor["siret"] if isinstance(actor["siret"], str) else ""
        row = {
            "siret": siret,
            "name": actor["name"],
            "address": actor["address"] if isinstance(actor["address"], str) else "",
            "postcode": actor["postcode"] if isinstance(actor["postcode"], str) else "",
            "city": actor["city"] if isinstance(actor["city"], str) else "",
        }
        variant = k % 8
        if variant in (1, 2, 3, 4, 5, 6):
            row["siret"] = ""  # most buyers' lists have no SIRET
        if variant == 7 and siret:
            row["siret"] = _bad_siret(siret)
        if variant in (2, 5):
            row["name"] = _typo(row["name"], rng)
        if variant in (3, 5) and len(row["postcode"]) == 5:
            row["postcode"] = row["postcode"][:4] + str((int(row["postcode"][4]) + 3) % 10)
        if variant == 4:
            row["address"] = ""
        if variant == 6:
            row["name"] = row["name"].title()
            row["city"] = row["city"].lower()
        rows.append(row)
        truth.append(actor["uid"])
    known = set(actors["name"].str.upper())
    places = actors[["postcode", "city"]].dropna().drop_duplicates().reset_index(drop=True)
    for k in range(size // 4):
        name = f"{TRADES[k % len(TRADES)]} {SURNAMES[(k * 5 + k // 8) % len(SURNAMES)]} {k}"
        if name.upper() in known:
            continue
        place = places.iloc[int(rng.integers(len(places)))]
        rows.append({"siret": "", "name": name, "address": f"{k + 1} rue de la Gare", **place.to_dict()})
        truth.append(None)
    table = pd.DataFrame(rows)
    return table, pd.Series(truth, index=table.index, dtype=object)


def febrl(number: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """``(actors, list, truth)`` from a Febrl set: originals are actors, duplicates the list."""
    path = LINKAGE / f"dataset{number}.csv"
    if not path.exists():  # a machine without ../shared/: the committed copy (set 1 only)
        path = ROOT / "tests" / "fixtures" / "linkage" / f"febrl{number}.csv"
    df = pd.read_csv(path, dtype=str, skipinitialspace=True).fillna("")
    df.columns = [c.strip() for c in df.columns]
    frame = pd.DataFrame(
        {
            "rec": df["rec_id"].str.strip(),
            "name": (df["given_name"].str.strip() + " " + df["surname"].str.strip()).str.strip(),
            "address": (
                df["street_number"].str.strip() + " " + df["address_1"].str.strip() + " " + df["address_2"].str.strip()
            ).str.strip(),
            "postcode": df["postcode"].str.strip(),
            "city": df["suburb"].str.strip(),
        }
    )
    frame["entity"] = frame["rec"].str.split("-").str[1]
    original = frame["rec"].str.endswith("-org")
    actors = frame[original].rename(columns={"entity": "uid"}).reset_index(drop=True)
    for column in ("actor_kinds", "labels", "purchase_families"):
        actors[column] = [[] for _ in range(len(actors))]
    actors["siret"] = None
    duplicates = frame[~original].reset_index(drop=True)
    truth = duplicates["entity"].where(duplicates["entity"].isin(set(actors["uid"])), None)
    return actors, duplicates[["name", "address", "postcode", "city"]], truth.astype(object)


def scores(result: pd.DataFrame, truth: pd.Series) -> dict[str, float]:
    """Precision, recall and counts of a result against the truth (None: not in the table)."""
    predicted = result["uid"].to_numpy(dtype=object)
    expected = truth.to_numpy(dtype=object)
    matched = pd.notna(predicted).astype(bool)
    members = pd.notna(expected).astype(bool)
    right = matched & np.array([p == t for p, t in zip(predicted, expected, strict=True)])
    return {
        "rows": len(result),
        "members": int(members.sum()),
        "matched": int(matched.sum()),
        "precision": float(right.sum() / max(matched.sum(), 1)),
        "recall": float(right.sum() / max(members.sum(), 1)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["own", "febrl1", "febrl2", "febrl3"])
    parser.add_argument("--size", type=int, default=400)
    args = parser.parse_args(argv)
    print(f"{'set':<8} {'rows':>6} {'members':>8} {'matched':>8} {'prec.':>7} {'recall':>7} {'time s':>7}")
    for name in args.sets:
        if name == "own":
            actors = load_suppliers()
            table, truth = own_list(actors, args.size)
        else:
            actors, table, truth = febrl(int(name[-1]))
        start = time.perf_counter()
        result = match_suppliers(table, actors)
        elapsed = time.perf_counter() - start
        s = scores(result, truth)
        print(
            f"{name:<8} {s['rows']:>6} {s['members']:>8} {s['matched']:>8} {s['precision']:>7.4f} "
            f"{s['recall']:>7.4f} {elapsed:>7.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
