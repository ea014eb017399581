"""A buyer's list of suppliers matched to Sourcier's actors, row by row.

Order of the evidence, strongest first:

1. **SIRET** — the row's SIRET (14 digits, Luhn key, La Poste rule: :func:`mapping.reference.schema.is_valid_siret`)
   is an actor's: confidence 1.
2. **SIREN** — no actor has that SIRET but some have its SIREN (another establishment of the same
   company, or a 9-digit SIREN given): the establishment whose name and address fit best.
3. **nom, adresse, code postal, commune** — the deduplication engine's Fellegi-Sunter model
   (:mod:`mapping.dedup`: its normalisation, comparison levels, term-frequency adjustments and
   SIRET rules), its m, u and λ learned by EM from the list against the actors it was blocked with
   (:mod:`mapping.matching.blocking`). A row's confidence is the posterior probability that its best
   candidate is the supplier, the candidates being exclusive: ``2^s / (1 + Σ 2^s_c)``, ``s`` the
   match weight over all (row, actor) pairs. Below :data:`MATCH_PROBABILITY` the row is unmatched
   (its best candidate stays in ``candidate_*`` for a human to look at).

A row holding a valid SIRET that is no actor's can still match an actor *without* a SIRET by
name and address; never one with another SIRET or SIREN (the engine's rule: two SIRETs, two
establishments).

Public seam: :func:`match_suppliers`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mapping.dedup import fit
from mapping.dedup.compare import COMPARISONS, compare, prepare
from mapping.dedup.levels import levels
from mapping.dedup.score import score, term_frequencies, tf_adjustment
from mapping.matching.blocking import ActorKeys, actor_keys, candidate_pairs, row_keys
from mapping.matching.flags import FLAG_COLUMNS, flags_frame
from mapping.reference.schema import as_list, is_valid_siren, is_valid_siret

__all__ = ["FLAG_COLUMNS", "INPUT_COLUMNS", "MATCH_PROBABILITY", "RESULT_COLUMNS", "match_suppliers", "siret_status"]

#: Columns of the list that are used (any may be absent or empty).
INPUT_COLUMNS = ("siret", "name", "address", "postcode", "city")
#: Posterior probability from which a name-and-address candidate is the row's supplier.
MATCH_PROBABILITY = 0.5
#: Actors drawn at random next to the blocked candidates, so that u is learned from random pairs.
RANDOM_ACTORS = 3000
#: Establishments of one SIREN looked at for a row matched on its SIREN.
MAX_SIREN_ESTABLISHMENTS = 200
#: Confidence of a match on the SIREN alone (the company is right, the establishment may not be).
SIREN_CONFIDENCE = 0.95
#: Columns of the result, in order (plus the flags of :data:`mapping.matching.flags.FLAG_COLUMNS`).
RESULT_COLUMNS = (
    "uid",
    "confidence",
    "matched_on",
    "siret_status",
    "matched_name",
    "matched_siret",
    "matched_address",
    "matched_postcode",
    "matched_city",
    "details",
    "candidate_uid",
    "candidate_name",
    "candidate_confidence",
    *FLAG_COLUMNS,
    "siae_kinds",
    "handicap_kinds",
    "actor_kinds",
    "labels",
    "purchase_families",
)
_NAME, _ADDRESS, _POSTCODE, _CITY, _SIREN, _SOURCE = (
    [c.name for c in COMPARISONS].index(x) for x in ("name", "address", "postcode", "city", "siren", "source")
)
#: Levels of a comparison that count as « matched on » it (name: up to « nom proche »).
_AGREEING = {_NAME: range(0, 7), _ADDRESS: range(0, 5), _POSTCODE: range(0, 2), _CITY: range(0, 2)}
_WORDS = {_NAME: "nom", _ADDRESS: "adresse", _POSTCODE: "code postal", _CITY: "commune"}

_KEYS_CACHE: list[tuple[pd.DataFrame, int, tuple[ActorKeys, _Identifiers]]] = []


def siret_status(value: object) -> tuple[str, str]:
    """``(digits, status)`` of a SIRET cell: status ``"absent"``, ``"valide"``, ``"siren"`` (9 valid
    digits) or ``"invalide"`` (digits kept for the report)."""
    text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
    compact = text.replace(" ", "").replace(".", "").replace("\u00a0", "").replace("-", "")
    if not compact:
        return "", "absent"
    if compact.isdigit() and len(compact) == 14 and is_valid_siret(compact):
        return compact, "valide"
    if compact.isdigit() and len(compact) == 9 and is_valid_siren(compact):
        return compact, "siren"
    return compact, "invalide"


def _cached_keys(actors: pd.DataFrame) -> tuple[ActorKeys, _Identifiers]:
    """The actor side of the blocking keys and identifiers, computed once per actor table (the last two kept)."""
    for table, size, found in _KEYS_CACHE:
        if table is actors and size == len(actors):
            return found
    found = (actor_keys(actors), _identifiers(actors))
    _KEYS_CACHE.insert(0, (actors, len(actors), found))
    del _KEYS_CACHE[2:]
    return found


def _input(table: pd.DataFrame) -> pd.DataFrame:
    rows = pd.DataFrame(index=pd.RangeIndex(len(table)))
    for column in INPUT_COLUMNS:
        if column in table.columns:
            values = table[column].reset_index(drop=True)
            rows[column] = values.astype("string").str.strip().fillna("").astype(object)
        else:
            rows[column] = ""
    return rows


def _actor_text(actors: pd.DataFrame, column: str) -> np.ndarray:
    if column not in actors.columns:
        return np.full(len(actors), None, dtype=object)
    return actors[column].astype("string").to_numpy(dtype=object, na_value=None)


def _records(actors: pd.DataFrame, positions: np.ndarray, rows: pd.DataFrame, sirets: list[str]) -> pd.DataFrame:
    """Actors at ``positions`` then the list's rows, as deduplication records (no coordinates)."""
    actor_part = pd.DataFrame(
        {
            "source": "sourcier",
            "source_id": _actor_text(actors, "uid")[positions],
            **{c: _actor_text(actors, c)[positions] for c in ("name", "siret", "siren", "address", "postcode", "city")},
        }
    )
    row_part = pd.DataFrame(
        {
            "source": "liste",
            "source_id": [f"ligne-{k}" for k in range(len(rows))],
            "name": rows["name"].to_numpy(dtype=object),
            "siret": [s if len(s) == 14 else None for s in sirets],
            "siren": [s[:9] if s else None for s in sirets],
            "address": rows["address"].to_numpy(dtype=object),
            "postcode": rows["postcode"].to_numpy(dtype=object),
            "city": rows["city"].to_numpy(dtype=object),
        }
    )
    return pd.concat([actor_part, row_part], ignore_index=True)


@dataclass
class _Identifiers:
    """The actor table's SIRETs (SIRET -> position) and SIRENs (SIREN -> positions)."""

    by_siret: dict[str, int]
    by_siren: dict[str, np.ndarray]


def _identifiers(actors: pd.DataFrame) -> _Identifiers:
    actor_siret = pd.Series(_actor_text(actors, "siret"), dtype=object)
    actor_siren = pd.Series(_actor_text(actors, "siren"), dtype=object)
    actor_siren = actor_siren.where(actor_siren.notna(), actor_siret.str.slice(0, 9))
    positions = np.arange(len(actors))
    known = actor_siret.notna().to_numpy()
    by_siret = dict(zip(actor_siret[known][::-1].tolist(), positions[known][::-1].tolist(), strict=True))
    grouped = pd.Series(positions).groupby(actor_siren.to_numpy(), dropna=True).indices
    return _Identifiers(by_siret=by_siret, by_siren={k: np.asarray(v) for k, v in grouped.items()})


def _identifier_pairs(
    ids: _Identifiers, sirets: list[str], statuses: list[str]
) -> tuple[dict[int, int], dict[int, np.ndarray]]:
    """Rows whose SIRET is an actor's (row -> actor position) and rows whose SIREN is (row -> positions)."""
    exact, by_siren = {}, {}
    for row, (digits, status) in enumerate(zip(sirets, statuses, strict=True)):
        if status == "valide" and digits in ids.by_siret:
            exact[row] = ids.by_siret[digits]
        elif status in ("valide", "siren") and digits[:9] in ids.by_siren:
            by_siren[row] = ids.by_siren[digits[:9]][:MAX_SIREN_ESTABLISHMENTS]
    return exact, by_siren


def _details(gammas: np.ndarray) -> tuple[str, str]:
    """``(matched on, details)`` of a pair from its comparison levels (French words)."""
    words = [word for k, word in _WORDS.items() if gammas[k] in _AGREEING[k]]
    if gammas[_POSTCODE] == 0 and "commune" not in words:
        words.append("commune")
    labels = [COMPARISONS[k].levels[gammas[k]] for k in (_NAME, _ADDRESS, _POSTCODE, _CITY) if gammas[k] >= 0]
    return " + ".join(words) or "aucun champ concordant", ", ".join(labels)


def match_suppliers(table: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """Match each row of a buyer's list to Sourcier's actors.

    Parameters
    ----------
    table : pandas.DataFrame
        The list: columns among ``siret, name, address, postcode, city`` (any may be missing or empty).
    actors : pandas.DataFrame
        The actor table (:func:`mapping.store.load_suppliers`; at least ``uid`` and ``name``).

    Returns
    -------
    pandas.DataFrame
        Aligned with ``table`` (same index): :data:`RESULT_COLUMNS` — ``uid`` (None when unmatched),
        ``confidence`` (0-1), ``matched_on`` (``"siret"``, ``"siren"``, or the agreeing fields such as
        ``"nom + adresse + code postal + commune"``; ``""`` when unmatched), ``siret_status``
        (``absent``, ``valide``, ``siren``, ``invalide``), the matched actor's name, SIRET, address,
        postcode, city, the comparison levels in French (``details``), the best candidate of an
        unmatched row, and the actor's flags and code lists.
    """
    rows = _input(table)
    n = len(rows)
    parsed = [siret_status(v) for v in rows["siret"].tolist()]
    sirets = [d if s in ("valide", "siren") else "" for d, s in parsed]
    statuses = [s for _, s in parsed]
    best_actor = np.full(n, -1, dtype=np.int64)
    confidence = np.zeros(n)
    matched_on = [""] * n
    details = [""] * n
    candidate = np.full(n, -1, dtype=np.int64)
    candidate_conf = np.full(n, np.nan)
    if n and len(actors):
        keys, ids = _cached_keys(actors)
        exact, by_siren = _identifier_pairs(ids, sirets, statuses)
        r, a = candidate_pairs(row_keys(rows, keys), keys)
        extra_r = [np.array(list(exact), dtype=np.int64)] + [
            np.full(len(v), k, dtype=np.int64) for k, v in by_siren.items()
        ]
        extra_a = [np.array(list(exact.values()), dtype=np.int64), *by_siren.values()]
        pair_code = np.unique(
            np.concatenate([r * len(actors) + a] + [x * len(actors) + y for x, y in zip(extra_r, extra_a, strict=True)])
        )
        r, a = pair_code // len(actors), pair_code % len(actors)
        sample = np.random.default_rng(0).choice(len(actors), min(RANDOM_ACTORS, len(actors)), replace=False)
        subset = np.unique(np.concatenate([a, sample]))
        local = np.searchsorted(subset, a)
        prepared = prepare(_records(actors, subset, rows, sirets))
        i, j = local.astype(np.int64), (len(subset) + r).astype(np.int64)
        raw = compare(prepared, i, j)
        gammas = levels(raw)
        gammas[:, _SOURCE] = -1  # a list and the actor table are always two sources: that says nothing
        model = fit(prepared, raw, gammas)
        model.candidates, model.all_pairs = len(i), n * len(actors)
        tf = {c: term_frequencies(prepared, c) for c in ("name", "core", "address")}
        tf_bits = tf_adjustment(gammas, model, tf, i, j)
        no_rule = np.zeros(len(i), dtype=np.int8)
        free = score(gammas, model, no_rule, no_rule, tf_bits)  # without the SIRET rules (SIREN matches)
        ruled = score(gammas, model, raw["siret"].to_numpy(), raw["siren"].to_numpy(), tf_bits)
        _decide(
            r,
            a,
            gammas,
            free,
            ruled,
            exact,
            by_siren,
            best_actor,
            confidence,
            matched_on,
            details,
            candidate,
            candidate_conf,
        )
    return _result(
        table, actors, rows, statuses, best_actor, confidence, matched_on, details, candidate, candidate_conf
    )


def _decide(
    r, a, gammas, free, ruled, exact, by_siren, best_actor, confidence, matched_on, details, candidate, candidate_conf
):
    """Fill the per-row decisions from the scored (row, actor) pairs."""
    if not len(r):
        return
    order = np.lexsort((-np.nan_to_num(free, neginf=-1e9, posinf=1e9), r))
    r, a, gammas, free, ruled = r[order], a[order], gammas[order], free[order], ruled[order]
    starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
    ends = np.r_[starts[1:], len(r)]
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        row = int(r[start])
        if row in exact:
            target = exact[row]
            k = start + int(np.flatnonzero(a[start:end] == target)[0])
            best_actor[row], confidence[row], matched_on[row] = target, 1.0, "siret"
            details[row] = _details(gammas[k])[1]
            continue
        if row in by_siren:
            members = np.isin(a[start:end], by_siren[row])
            ks = start + np.flatnonzero(members)
            weights = np.clip(free[ks], -60, 60)
            share = np.exp2(weights - weights.max())
            share /= share.sum()
            best = int(np.argmax(share))
            best_actor[row], confidence[row], matched_on[row] = a[ks[best]], SIREN_CONFIDENCE * share[best], "siren"
            details[row] = _details(gammas[ks[best]])[1]
            continue
        s = ruled[start:end]
        finite = np.isfinite(s)
        if not finite.any():
            continue
        ks = start + np.flatnonzero(finite)
        weights = np.clip(ruled[ks], -60, 60)
        k = ks[int(np.argmax(weights))]
        p = float(np.exp2(weights.max()) / (1.0 + np.exp2(weights).sum()))
        if p >= MATCH_PROBABILITY:
            best_actor[row], confidence[row] = a[k], p
            matched_on[row], details[row] = _details(gammas[k])
        else:
            candidate[row], candidate_conf[row] = a[k], p


def _result(table, actors, rows, statuses, best_actor, confidence, matched_on, details, candidate, candidate_conf):
    n = len(rows)
    matched = best_actor >= 0
    positions = [int(p) if p >= 0 else None for p in best_actor.tolist()]
    out = pd.DataFrame(index=table.index)

    def column(name: str, which: list[int | None]) -> list[object]:
        values = _actor_text(actors, name) if name in actors.columns else np.full(len(actors), None, dtype=object)
        return [values[p] if p is not None else None for p in which]

    out["uid"] = column("uid", positions)
    out["confidence"] = np.round(np.where(matched, confidence, 0.0), 4)
    out["matched_on"] = matched_on
    out["siret_status"] = statuses
    for name in ("name", "siret", "address", "postcode", "city"):
        out[f"matched_{name}"] = column(name, positions)
    out["details"] = details
    cand = [int(p) if p >= 0 else None for p in candidate.tolist()]
    out["candidate_uid"] = column("uid", cand)
    out["candidate_name"] = column("name", cand)
    out["candidate_confidence"] = np.round(candidate_conf, 4)
    flags = (
        flags_frame(actors, positions) if n else pd.DataFrame(columns=[*FLAG_COLUMNS, "siae_kinds", "handicap_kinds"])
    )
    for name in flags.columns:
        out[name] = flags[name].to_numpy() if n else []
    for name in ("actor_kinds", "labels", "purchase_families"):
        values = actors[name].to_numpy(dtype=object) if name in actors.columns else None
        out[name] = [list(as_list(values[p])) if (values is not None and p is not None) else [] for p in positions]
    return out[list(RESULT_COLUMNS)]
