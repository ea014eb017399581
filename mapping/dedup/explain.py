"""French explanation of each merge, for the supplier card: which records, and why."""

from __future__ import annotations

import numpy as np
import pandas as pd


def _part(mask: np.ndarray, text: pd.Series | str) -> pd.Series:
    text = text if isinstance(text, pd.Series) else pd.Series(text, index=range(len(mask)))
    return text.where(pd.Series(mask, index=text.index), "")


def reasons(pairs: pd.DataFrame) -> pd.Series:
    """One French phrase per pair: « même SIRET, nom 96 %, adresse 100 %, 35 m (score 27) »."""
    p = pairs.reset_index(drop=True)
    name = p["name_sort"].fillna(0).round().astype(int).astype(str)
    address = p["address"].fillna(0).round().astype(int).astype(str)
    distance = p["distance"].fillna(0).round().astype(int).astype(str)
    parts = [
        _part(p["siret"].to_numpy() > 0, "même SIRET"),
        _part((p["siret"].to_numpy() <= 0) & (p["siren"].to_numpy() > 0), "même SIREN"),
        _part(p["name_sort"].notna().to_numpy(), "nom " + name + " %"),
        _part(p["address"].notna().to_numpy(), "adresse " + address + " %"),
        _part(p["distance"].notna().to_numpy(), distance + " m"),
        _part(p["commune"].to_numpy() > 0, "même commune"),
        _part(p["phone"].to_numpy() > 0, "même téléphone"),
        _part(p["domain"].to_numpy() > 0, "même site web"),
    ]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.str.cat(part, sep=", ")
    joined = joined.str.replace(r"(, )+", ", ", regex=True).str.strip(", ")
    return joined + " (score " + p["score"].round().astype(int).astype(str) + ")"


def explanations(prepared: pd.DataFrame, accepted: pd.DataFrame, labels: np.ndarray) -> pd.Series:
    """Per cluster label, the accepted pairs that built it: « a ↔ b : raisons ; … »."""
    if accepted.empty:
        return pd.Series(dtype=object)
    keys = prepared["key"].to_numpy(dtype=object)
    i, j = accepted["i"].to_numpy(), accepted["j"].to_numpy()
    text = pd.Series(keys[i]) + " ↔ " + pd.Series(keys[j]) + " : " + reasons(accepted)
    label = labels[i]
    order = np.argsort(label, kind="stable")
    label, texts = label[order], text.to_numpy(dtype=object)[order].tolist()
    starts = np.flatnonzero(np.r_[True, label[1:] != label[:-1]])
    ends = np.r_[starts[1:], len(label)]
    joined = [" ; ".join(texts[a:b]) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    return pd.Series(joined, index=label[starts], dtype=object, name="merge_explanation")
