"""Large canonical-like actor tables for benchmarks, from the demo world (or plain numpy as a fallback).

:func:`actors` turns :func:`mapping.demo.world.generate` (actors placed over the region's communes,
weighted by population) into the canonical columns of :mod:`mapping.reference.schema`, without going through
the connectors and the merge: good enough to time searches, not to test the pipeline.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd

from mapping.reference.schema import COLUMNS, CRS_WGS84

logger = logging.getLogger(__name__)


def _address(world: pd.DataFrame) -> pd.Series:
    parts = world["street_number"].fillna("") + " " + world["street_type"].fillna("") + " " + world["street_name"]
    return parts.str.strip().where(world["street_name"].notna(), None)


def actors(n: int, *, seed: int = 1) -> gpd.GeoDataFrame:
    """A canonical actor table of ``n`` synthetic actors (EPSG:4326, list columns as Python lists).

    Parameters
    ----------
    n : int
        Number of actors.
    seed : int
        Seed of the demo world.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns of :data:`mapping.reference.schema.COLUMNS`, ``uid`` = the world's ``actor_id``.
    """
    from mapping.demo import world as demo_world

    world = demo_world.generate(n_actors=n, seed=seed)
    source_cols = [c for c in world.columns if c.startswith("src_")]
    flags = world[source_cols].to_numpy()
    names = np.array([c.removeprefix("src_") for c in source_cols], dtype=object)
    sources = [list(names[row]) or ["carteco"] for row in flags]
    frame = pd.DataFrame(
        {
            "uid": world["actor_id"],
            "name": world["name"],
            "siret": world["siret"],
            "siren": world["siren"],
            "address": _address(world),
            "postcode": world["postcode"],
            "city": world["city"],
            "code_insee": world["code_insee"],
            "departement": world["departement"],
            "epci": world["epci"],
            "geo_precision": "housenumber",
            "actor_kinds": world["actor_kinds"].map(list),
            "purchase_families": world["purchase_families"].map(list),
            "waste_types": world["waste_types"].map(list),
            "product_types": world["product_types"].map(list),
            "labels": world["labels"].map(list),
            "naf": world["naf"],
            "legal_form": world["legal_form"],
            "phone": world["phone"],
            "email": world["email"],
            "website": world["website"],
            "description": world["description"],
            "sources": sources,
            "source_keys": [[f"{s}:{uid}" for s in srcs] for srcs, uid in zip(sources, world["actor_id"], strict=True)],
            "updated_at": None,
        }
    )
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(world["lon"], world["lat"]), crs=CRS_WGS84)
    logger.info("synthetic actors: %d", len(gdf))
    return gdf[list(COLUMNS)]
