"""Thresholds of the coverage flags and of the reservation potential, read from a data file.

``data/reference/coverage_thresholds.json`` (under ``settings.reference_dir``) states each number with its
rationale in French; it is read on every call (a small file), so an edited file is seen at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mapping import settings

FILE_NAME = "coverage_thresholds.json"
FIELDS = ("white_at_most", "thin_below", "reserve_contract_at_least", "reserve_lot_at_least")


@dataclass(frozen=True)
class Thresholds:
    """A cell with at most ``white_at_most`` actors is white, below ``thin_below`` thin; with at least
    ``reserve_contract_at_least`` eligible structures a whole contract can be reserved, with at least
    ``reserve_lot_at_least`` a lot, else only a social clause."""

    white_at_most: int
    thin_below: int
    reserve_contract_at_least: int
    reserve_lot_at_least: int
    rationale: tuple[tuple[str, str], ...] = ()


def thresholds_path() -> Path:
    """Where the thresholds live: ``<reference_dir>/coverage_thresholds.json``."""
    return settings.get().reference_dir / FILE_NAME


def load_thresholds(path: Path | None = None) -> Thresholds:
    """Read and check the thresholds; ``ValueError`` with a French message when the file is wrong."""
    path = Path(path) if path is not None else thresholds_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"Seuils de couverture illisibles ({path}) : {exc}"
        raise ValueError(msg) from exc
    if not isinstance(data, dict):
        msg = f"Seuils de couverture ({path}) : un objet JSON est attendu"
        raise ValueError(msg)
    values = {}
    for field in FIELDS:
        value = data.get(field)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            msg = f"Seuils de couverture ({path}) : « {field} » doit être un entier positif ou nul (lu : {value!r})"
            raise ValueError(msg)
        values[field] = value
    if not values["reserve_contract_at_least"] >= values["reserve_lot_at_least"] >= 1:
        msg = f"Seuils de couverture ({path}) : il faut reserve_contract_at_least ≥ reserve_lot_at_least ≥ 1"
        raise ValueError(msg)
    if values["thin_below"] <= values["white_at_most"]:
        msg = f"Seuils de couverture ({path}) : il faut thin_below > white_at_most"
        raise ValueError(msg)
    rationale = data.get("rationale") if isinstance(data.get("rationale"), dict) else {}
    return Thresholds(**values, rationale=tuple((str(k), str(v)) for k, v in rationale.items()))
