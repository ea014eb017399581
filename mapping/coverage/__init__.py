"""Coverage of the territory: white zones by purchase family (or waste, or food product) and territory.

Public seam: :func:`coverage_matrix` (``dimension x territory`` counts). Around it: :func:`cell_status` and
:func:`flagged_cells` (white and thin cells), :func:`reservation_potential` (reserve the contract, a lot,
or only a clause), :func:`indicators` (the observatory's shares by kind), thresholds from
``data/reference/coverage_thresholds.json`` (:func:`load_thresholds`) and CSV/XLSX exports (``export``).
"""

from mapping.coverage.indicators import categories, indicators
from mapping.coverage.matrix import (
    DIMENSIONS,
    LEVELS,
    Territories,
    coverage_matrix,
    dimension_codes,
    kinds_for,
    parse_by,
    territories,
)
from mapping.coverage.potential import ARTICLES, POTENTIALS, cell_status, flagged_cells, reservation_potential
from mapping.coverage.thresholds import Thresholds, load_thresholds, thresholds_path

__all__ = [
    "ARTICLES",
    "DIMENSIONS",
    "LEVELS",
    "POTENTIALS",
    "Territories",
    "Thresholds",
    "categories",
    "cell_status",
    "coverage_matrix",
    "dimension_codes",
    "flagged_cells",
    "indicators",
    "kinds_for",
    "load_thresholds",
    "parse_by",
    "reservation_potential",
    "territories",
    "thresholds_path",
]
