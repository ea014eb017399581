"""The source records each actor was merged from, for the supplier card (« ses sources »).

The built table keeps only ``sources`` and ``source_keys`` per actor. The build also writes the
records it merged beside it (:func:`records_path`: ``data/build/records.parquet`` next to
``data/build/suppliers.parquet``), one row per record: ``uid`` of its actor, ``source_key``
(``"<source>:<source_id>"``), and the record's own name, SIRET, address and date as the source
gives them. :func:`read_source_records` loads them once, indexed by uid, and
:meth:`SourceRecords.for_uid` returns an actor's records as :class:`SourceRecord` (with the
source's title and a link to the record on the source's site when the source has one).

Links to a record (:func:`record_url`) are derived only where the source publishes a page per
record: Annuaire des Entreprises (one page per establishment SIRET), CartEco (GoGoCarto element
page), ADEME « Que faire de mes objets et déchets » (actor page), Géorisques (ICPE detail page).
SINOE and the partner files have no public page per record.
"""

from __future__ import annotations

import itertools
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import connectors
from connectors.base import text_or_none
from mapping.build.table import build_path
from mapping.reference.schema import as_list

log = logging.getLogger(__name__)

#: Columns of the companion table, in order.
RECORD_TABLE_COLUMNS = (
    "uid",
    "source_key",
    "source",
    "source_id",
    "name",
    "siret",
    "address",
    "postcode",
    "city",
    "updated_at",
)

_SCHEMA = pa.schema(
    [
        *((c, pa.string()) for c in RECORD_TABLE_COLUMNS if c != "updated_at"),
        ("updated_at", pa.timestamp("us", tz="UTC")),
    ]
)

#: Public page of one record, per source (``{id}`` is the percent-encoded ``source_id``).
#: [verify] the ADEME and CartEco patterns live: taken from the public code of the two sites
#: (quefairedemesobjets ``adresse_details/<uuid>`` share links, GoGoCarto ``annuaire#/fiche/<slug>/<id>/``).
RECORD_URL_TEMPLATES = {
    "recherche_entreprises": "https://annuaire-entreprises.data.gouv.fr/etablissement/{id}",
    "carteco": "https://carteco-ess.org/annuaire#/fiche/-/{id}/",
    "ademe_lvao": "https://quefairedemesdechets.ademe.fr/adresse_details/{id}",
    "georisques": "https://www.georisques.gouv.fr/risques/installations/donnees/details/{id}",
}


def records_path(suppliers_path: Path | str | None = None) -> Path:
    """Companion file of a built table: ``records.parquet`` beside ``suppliers.parquet``
    (``<stem>.records.parquet`` beside any other name, so two builds in one folder never collide)."""
    path = Path(suppliers_path or build_path())
    name = "records.parquet" if path.name == "suppliers.parquet" else f"{path.stem}.records.parquet"
    return path.with_name(name)


# --------------------------------------------------------------------------- build side


def records_table(records: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """The records merged into ``actors``, with the uid of their actor (vectorised).

    Parameters
    ----------
    records
        Normalised source records (``schema.RECORD_COLUMNS``; geometry not needed).
    actors
        The actor table built from them (``uid``, ``source_keys``).

    Returns
    -------
    pandas.DataFrame
        :data:`RECORD_TABLE_COLUMNS`, sorted by uid then source key; records of no actor (outside the
        region, not locatable) are left out, a key seen twice is kept once.
    """
    key_lists = [as_list(v) for v in actors["source_keys"].tolist()]
    lengths = np.fromiter(map(len, key_lists), dtype=np.int64, count=len(key_lists))
    owner_keys = pd.Index(list(itertools.chain.from_iterable(key_lists)), dtype=object)
    owner_uids = np.repeat(actors["uid"].to_numpy(dtype=object), lengths)
    keys = (records["source"].astype(str) + ":" + records["source_id"].astype(str)).to_numpy(dtype=object)
    repeated = owner_keys.duplicated(keep="first")
    if repeated.any():  # never in a validated table; a key then stays with its first actor
        owner_keys, owner_uids = owner_keys[~repeated], owner_uids[~repeated]
    where = owner_keys.get_indexer(keys)
    keep = np.flatnonzero(~pd.Index(keys).duplicated(keep="first") & (where >= 0))
    present = [c for c in RECORD_TABLE_COLUMNS[2:] if c in records.columns]
    table = pd.DataFrame(records[present]).iloc[keep].reset_index(drop=True)
    for column in RECORD_TABLE_COLUMNS[2:]:
        if column not in table:
            table[column] = None
    table.insert(0, "source_key", keys[keep])
    table.insert(0, "uid", owner_uids[where[keep]])
    table["updated_at"] = pd.to_datetime(table["updated_at"], utc=True)
    return table[list(RECORD_TABLE_COLUMNS)].sort_values(["uid", "source_key"], kind="stable").reset_index(drop=True)


def write_source_records(table: pd.DataFrame, path: Path | str) -> Path:
    """Write :func:`records_table`'s output atomically as Parquet."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = table[list(RECORD_TABLE_COLUMNS)].copy()
    frame["updated_at"] = pd.to_datetime(frame["updated_at"], utc=True).dt.as_unit("us")
    try:
        arrow = pa.Table.from_pandas(frame, schema=_SCHEMA, preserve_index=False)
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # a non-text value somewhere: write it as text
        for column in RECORD_TABLE_COLUMNS[:-1]:
            values = frame[column].astype(object)
            frame[column] = values.where(values.notna(), None).map(lambda v: v if v is None else str(v))
        arrow = pa.Table.from_pandas(frame, schema=_SCHEMA, preserve_index=False)
    tmp = path.with_suffix(".tmp.parquet")
    pq.write_table(arrow, tmp)
    os.replace(tmp, path)
    return path


# --------------------------------------------------------------------------- read side


@dataclass(frozen=True)
class SourceRecord:
    """One source record of an actor, as its source gives it (text not escaped: render it escaped)."""

    source: str
    source_id: str
    title: str
    name: str | None
    siret: str | None
    address: str | None
    postcode: str | None
    city: str | None
    updated_at: datetime | None
    url: str | None

    @property
    def key(self) -> str:
        """``"<source>:<source_id>"``, as in the table's ``source_keys``."""
        return f"{self.source}:{self.source_id}"

    @property
    def full_address(self) -> str | None:
        """« 27 rue Rabelais, 45400 Fleury-les-Aubrais » (None when the record has no address at all)."""
        town = " ".join(p for p in (self.postcode, self.city) if p)
        parts = [p for p in (self.address, town) if p]
        return ", ".join(parts) or None


def source_title(name: str) -> str:
    """French title of a registered source (the name itself when unknown)."""
    return connectors.title(name)


def record_url(source: str, source_id: object) -> str | None:
    """Public page of one record on its source's site, or None when the source has none."""
    template = RECORD_URL_TEMPLATES.get(source)
    if template is None or source_id is None:
        return None
    text = str(source_id).strip()
    if not text:
        return None
    if source == "recherche_entreprises" and not (len(text) == 14 and text.isdigit()):
        return None
    return template.format(id=quote(text, safe=""))


class SourceRecords:
    """The companion table, indexed by uid once: the uid column as a sorted array (``searchsorted``),
    the other columns kept as pyarrow data and turned into Python objects only for the rows asked."""

    def __init__(self, table: pa.Table | pd.DataFrame | None = None, *, available: bool = True) -> None:
        if table is None:
            table = pa.table({c: pa.array([], type=_SCHEMA.field(c).type) for c in RECORD_TABLE_COLUMNS})
        elif isinstance(table, pd.DataFrame):
            table = pa.Table.from_pandas(table[list(RECORD_TABLE_COLUMNS)], preserve_index=False)
        uids = table.column("uid").to_numpy().astype(str)
        if len(uids) > 1 and not (uids[:-1] <= uids[1:]).all():
            order = np.argsort(uids, kind="stable")
            table, uids = table.take(pa.array(order)), uids[order]
        self.available = available
        self._uids = uids
        self._table = table

    def __len__(self) -> int:
        return len(self._uids)

    def for_uid(self, uid: object) -> list[SourceRecord]:
        """The records of actor ``uid`` (sorted by source key; empty for an unknown uid)."""
        if uid is None or not len(self._uids):
            return []
        lo = int(np.searchsorted(self._uids, str(uid), side="left"))
        hi = int(np.searchsorted(self._uids, str(uid), side="right"))
        if hi <= lo:
            return []
        rows = self._table.slice(lo, hi - lo).to_pylist()
        rows.sort(key=lambda r: str(r["source_key"]))
        return [self._record(r) for r in rows]

    @staticmethod
    def _record(row: dict) -> SourceRecord:
        source, source_id = str(row["source"]), str(row["source_id"])
        date = row.get("updated_at")
        return SourceRecord(
            source=source,
            source_id=source_id,
            title=source_title(source),
            name=text_or_none(row.get("name")),
            siret=text_or_none(row.get("siret")),
            address=text_or_none(row.get("address")),
            postcode=text_or_none(row.get("postcode")),
            city=text_or_none(row.get("city")),
            updated_at=None if date is None or pd.isna(date) else pd.Timestamp(date).to_pydatetime(),
            url=record_url(source, source_id),
        )


def read_source_records(path: Path | str | None = None) -> SourceRecords:
    """Load the companion table of the built table (default :func:`records_path`).

    A missing file (table built before records were written), or one older than the table beside it
    (``suppliers.parquet`` rebuilt by an older version), gives an empty index with
    ``available=False``: the card then says the detail is missing instead of showing stale records.
    """
    target = Path(path) if path is not None else records_path()
    if not target.exists():
        log.warning("Détail des enregistrements sources absent : %s (relancer python -m mapping build)", target)
        return SourceRecords(available=False)
    table_path = build_path() if path is None else None
    if table_path is not None and table_path.exists() and table_path.stat().st_mtime > target.stat().st_mtime + 1:
        log.warning("Détail des enregistrements sources plus ancien que la table : %s (relancer le build)", target)
        return SourceRecords(available=False)
    return SourceRecords(pq.read_table(target, columns=list(RECORD_TABLE_COLUMNS)))
