"""French explanation of each merge, for the supplier card: which records, and why, with the weights.

Each accepted pair reads « même SIRET » (the hard rule) or its comparison levels with their
learned weights in bits, then its total and its probability: « nom identique (+9,4), même
adresse (+6,1), même code postal (+1,2), téléphones différents (−2,0) ; a priori −5,2, score
+9,5, probabilité 99,87 % » (the score is the a-priori weight plus the levels' weights, plus the
rarity of the name or address when they are identical). A weight is ``log2(m/u)``: +10 means that
level is about a thousand times more frequent between two records of one actor than between two
records of different actors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mapping.dedup.compare import COMPARISONS
from mapping.dedup.estimate import Model
from mapping.dedup.score import level_weights, probability

#: Levels whose weight is smaller than this (bits) are left out of the explanation.
SHOWN_WEIGHT = 0.5


def _bits(value: float) -> str:
    return f"{value:+.1f}".replace(".", ",").replace("-", "−")


def _percent(p: float) -> str:
    if p >= 0.9999:
        return "> 99,99 %"
    return f"{100 * p:.2f}".replace(".", ",") + " %"


def reasons(pairs: pd.DataFrame, model: Model | None) -> list[str]:
    """One French phrase per pair (see the module docstring), written once per distinct phrase."""
    p = pairs.reset_index(drop=True)
    if p.empty:
        return []
    # pairs with the same levels, shared SIRET and rounded weights read the same
    key = p[[f"g_{c.name}" for c in COMPARISONS]].copy()
    key["siret"] = p["siret"].to_numpy() > 0
    key["tf"] = np.round(p["tf"].to_numpy() * 10) if "tf" in p else 0
    key["score"] = np.round(np.nan_to_num(p["score"].to_numpy(), posinf=1e9, neginf=-1e9) * 10)
    group = key.groupby(list(key.columns), sort=False).ngroup().to_numpy()
    _, first = np.unique(group, return_index=True)
    texts = np.asarray(_reasons(p.iloc[first].reset_index(drop=True), model), dtype=object)
    order = np.empty(group.max() + 1, dtype=np.int64)
    order[group[first]] = np.arange(len(first))
    return texts[order[group]].tolist()


def _reasons(p: pd.DataFrame, model: Model | None) -> list[str]:
    gammas = np.column_stack([p[f"g_{c.name}"].to_numpy(dtype=np.int8) for c in COMPARISONS]).astype(np.int8)
    weights = level_weights(gammas, model) if model is not None else np.zeros(gammas.shape, dtype=np.float32)
    tf = p["tf"].to_numpy() if "tf" in p else np.zeros(len(p))
    siret = p["siret"].to_numpy()
    scores = p["score"].to_numpy()
    prior = _bits(model.prior_weight) if model is not None else _bits(0.0)
    out = []
    for r in range(len(p)):
        parts = ["même SIRET"] if siret[r] > 0 else []
        for k, comp in enumerate(COMPARISONS):
            level = gammas[r, k]
            if level < 0:
                continue
            w = float(weights[r, k]) + (float(tf[r]) if k == 0 and comp.name == "name" else 0.0)
            if abs(w) < SHOWN_WEIGHT and siret[r] <= 0:
                continue
            parts.append(f"{comp.levels[level]} ({_bits(w)})" if siret[r] <= 0 else comp.levels[level])
        if siret[r] > 0:
            parts = parts[:4]
            out.append(", ".join(parts))
            continue
        text = ", ".join(parts)
        out.append(
            f"{text} ; a priori {prior}, score {_bits(scores[r])}, "
            f"probabilité {_percent(float(probability(scores[r : r + 1])[0]))}"
        )
    return out


def explanations(
    prepared: pd.DataFrame, accepted: pd.DataFrame, labels: np.ndarray, model: Model | None = None
) -> pd.Series:
    """Per cluster label, the accepted pairs that built it: « a ↔ b : raisons ; … »."""
    if accepted.empty:
        return pd.Series(dtype=object)
    keys = prepared["key"].to_numpy(dtype=object)
    i, j = accepted["i"].to_numpy(), accepted["j"].to_numpy()
    text = pd.Series(keys[i]) + " ↔ " + pd.Series(keys[j]) + " : " + pd.Series(reasons(accepted, model))
    label = labels[i]
    order = np.argsort(label, kind="stable")
    label, texts = label[order], text.to_numpy(dtype=object)[order].tolist()
    starts = np.flatnonzero(np.r_[True, label[1:] != label[:-1]])
    ends = np.r_[starts[1:], len(label)]
    joined = [" | ".join(texts[a:b]) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    return pd.Series(joined, index=label[starts], dtype=object, name="merge_explanation")
