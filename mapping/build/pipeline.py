"""Build pipeline: committed snapshots -> one located, merged, validated GeoDataFrame.

``python -m mapping build`` runs :func:`build` offline: every registered connector reads its snapshot
under ``data/snapshots/<source>/``, normalises it to records, records are located (BAN geocoder with
``geocode="online"``, else the commune point when a source has no coordinates), kept when inside the
region, deduplicated (:func:`mapping.dedup.deduplicate`), validated against the canonical schema and
written to ``data/build/suppliers.parquet`` (GeoParquet), with the merged source records beside it
(``data/build/records.parquet``, :mod:`mapping.build.records`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

import connectors
from connectors.base import read_snapshot
from mapping.build import records as source_records
from mapping.build import table
from mapping.build.geocoding import geocode_records
from mapping.build.locate import in_region
from mapping.dedup import deduplicate
from mapping.reference import geography
from mapping.reference.grid import grid_order
from mapping.reference.schema import CRS_WGS84, RECORD_COLUMNS, empty_records, validate

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    """What a build did, for the summary printed by the CLI."""

    region: str
    records_per_source: dict[str, int] = field(default_factory=dict)
    missing_sources: list[str] = field(default_factory=list)
    records: int = 0
    located_from_commune: int = 0
    outside_region: int = 0
    unlocated: int = 0
    actors: int = 0
    multi_source_actors: int = 0
    actors_per_source: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    #: Seconds per step (``source:<name>`` read + parse + normalise, ``locate``, ``deduplicate``,
    #: ``validate``, ``write``), for ``benchmarks/bench_build.py``.
    timings: dict[str, float] = field(default_factory=dict)
    output: Path | None = None

    def summary(self) -> str:
        """French multi-line summary."""
        lines = [f"Construction de la table des fournisseurs (région {self.region})"]
        for name, n in self.records_per_source.items():
            lines.append(f"  {name:<24} {n:>8} enregistrements")
        for name in self.missing_sources:
            lines.append(f"  {name:<24} aucun instantané (source ignorée)")
        lines += [
            f"  enregistrements lus       {self.records:>8}",
            f"  localisés à la commune    {self.located_from_commune:>8}",
            f"  hors région (écartés)     {self.outside_region:>8}",
            f"  non localisables (écartés){self.unlocated:>8}",
            f"  acteurs après fusion      {self.actors:>8}",
            f"  dont présents dans ≥2 sources {self.multi_source_actors:>4}",
        ]
        lines += [f"  acteurs cités par {k:<15} {v:>6}" for k, v in self.actors_per_source.items()]
        lines.append(f"  durée {self.seconds:.1f} s -> {self.output}")
        return "\n".join(lines)


def load_records(
    names: list[str] | None = None, *, snapshots_root: Path | None = None, report: BuildReport | None = None
) -> gpd.GeoDataFrame:
    """Read and normalise the snapshots of ``names`` (default: every registered source)."""
    frames = []
    for name in names or list(connectors.REGISTRY):
        start = time.perf_counter()
        connector = connectors.REGISTRY[name]
        files = read_snapshot(name, root=snapshots_root)
        if not files:
            log.warning("Source %s : aucun instantané", name)
            if report is not None:
                report.missing_sources.append(name)
            continue
        recs = connector.normalize(connector.parse(files))
        log.info("Source %s : %d enregistrements", name, len(recs))
        if report is not None:
            report.records_per_source[name] = len(recs)
            report.timings[f"source:{name}"] = time.perf_counter() - start
        frames.append(recs[list(RECORD_COLUMNS)])
    if not frames:
        return empty_records()
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=CRS_WGS84)


def storage_order(actors: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``actors`` in the order the built table is stored: the search grid's 5 km cells, row by row, and
    inside a cell by département, name and uid (index reset).

    The rows of a radius search then sit in a few contiguous stretches of the table, which halves the
    time to copy them at 1M actors (``benchmarks/bench_search.py``).
    """
    actors = actors.sort_values(["departement", "name", "uid"], kind="stable")
    return actors.iloc[grid_order(actors)].reset_index(drop=True)


def build_table(
    records: gpd.GeoDataFrame,
    *,
    region: str | None = None,
    report: BuildReport | None = None,
    geocode: str = "offline",
) -> gpd.GeoDataFrame:
    """Locate, filter ``records`` to the region and deduplicate them; return the validated actor table
    (``schema.COLUMNS`` + ``merge_explanation``). ``geocode="online"`` asks the BAN geocoder."""
    report = report or BuildReport(region=region or geography.region_code())
    report.records = len(records)
    start = time.perf_counter()
    had_point = records.geometry.notna() & ~records.geometry.is_empty
    located = geocode_records(records, mode=geocode, region=region)
    now_point = located.geometry.notna() & ~located.geometry.is_empty
    report.located_from_commune = int((now_point & ~had_point).sum())
    report.unlocated = int((~now_point).sum())
    inside = in_region(located, region=region)
    report.outside_region = int((now_point.to_numpy() & ~inside).sum())
    report.timings["locate"] = time.perf_counter() - start
    start = time.perf_counter()
    actors = deduplicate(located[inside])
    report.timings["deduplicate"] = time.perf_counter() - start
    actors = storage_order(actors)
    report.actors = len(actors)
    report.multi_source_actors = int((actors["sources"].map(len) > 1).sum())
    report.actors_per_source = actors["sources"].explode().value_counts().sort_index().to_dict()
    start = time.perf_counter()
    actors = validate(actors)
    report.timings["validate"] = time.perf_counter() - start
    return actors


def build(
    *,
    region: str | None = None,
    output: Path | None = None,
    snapshots_root: Path | None = None,
    geocode: str = "offline",
) -> BuildReport:
    """Build ``data/build/suppliers.parquet`` from the committed snapshots (offline unless
    ``geocode="online"``)."""
    start = time.perf_counter()
    report = BuildReport(region=region or geography.region_code())
    records = load_records(snapshots_root=snapshots_root, report=report)
    actors = build_table(records, region=region, report=report, geocode=geocode)
    written = time.perf_counter()
    report.output = table.write_suppliers(actors, output)
    # the records each actor was merged from, for the supplier card (data/build/records.parquet)
    source_records.write_source_records(
        source_records.records_table(records, actors), source_records.records_path(report.output)
    )
    report.timings["write"] = time.perf_counter() - written
    report.seconds = time.perf_counter() - start
    return report
