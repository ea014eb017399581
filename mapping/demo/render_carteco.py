"""CARTECO (GoGoCarto ``gogofull``) view of the demo world: ``elements.json``.

One response for the region's bounding box (``GET /api/elements.json?bounds=W,S,E,N``), so
actors of neighbouring départements inside the box are included. Entries are typed by humans:
names, addresses, phones and websites vary from SIRENE (:mod:`mapping.demo.variants`), points
are a few tens to hundreds of metres off, phones typed as bare digits sometimes lost their
leading 0 as in GoGoCarto's own exports (``tests/fixtures/real/gogocarto``), the SIRET is given
for about 60 % of the actors that have one, a few entries are pending (``status`` 0) or
deleted (-1), and a few actors are entered twice.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pandas as pd

from mapping.demo.names import REGION_NAMES
from mapping.demo.rendered import Rendered, dumps
from mapping.demo.variants import street_line, vary_name, vary_phone, vary_website
from mapping.demo.world import PROFILES
from mapping.reference import geography

SOURCE = "carteco"
LICENCE = "ODbL 1.0 (Open Database License)"
ATTRIBUTION = "CartEco – ESS France, ADEME, ANCT (carteco-ess.org)"
_ID_ALPHABET = np.array(list("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"), dtype=object)
_STATUT_ALTERNATIVES = {"SIAE": "Association", "ESAT": "Association", "Entreprise adaptée": "Association"}
_DUPLICATE_SHARE = 0.015
_SINCE = datetime(2021, 6, 1, tzinfo=UTC)  # CARTECO's launch


def url(region: str) -> str:
    """The elements request for the region's bounding box."""
    west, south, east, north = geography.region_bbox(region)
    bounds = ",".join(f"{v:.2f}" for v in (west, south, east, north))
    return f"https://carteco-ess.org/api/elements.json?bounds={bounds}"


def _ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct 5-character ids such as ``"Xk3Q9"``."""
    numbers = rng.choice(62**5, size=n, replace=False)
    out = np.full(n, "", dtype=object)
    for _ in range(5):
        out = _ID_ALPHABET[numbers % 62] + out
        numbers = numbers // 62
    return out


def _paris_time(moment: datetime) -> str:
    """ISO timestamp with the Paris offset of the day (``+02:00`` from April to October)."""
    offset = 2 if 4 <= moment.month <= 10 else 1
    local = moment.astimezone(timezone(timedelta(hours=offset)))
    return local.isoformat(timespec="seconds")


def _siret(rng: np.random.Generator, siret: Any) -> str | None:
    if not isinstance(siret, str) or rng.random() >= 0.6:
        return None
    r = rng.random()
    if r < 0.2:
        return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    if r < 0.25:
        return siret[:9]  # the SIREN typed instead of the SIRET
    return siret


def _gogocarto_phone(phone: str | None, ident: str) -> str | None:
    """GoGoCarto stores a phone typed as bare digits as a number, which loses its leading 0
    (``"967556221"`` in the maintainers' own exports): half of the digit-only phones come out
    so, chosen by the element id so that the random stream of the other fields is unchanged."""
    if phone and phone.isdigit() and phone.startswith("0") and zlib.crc32(ident.encode()) % 2:
        return phone[1:]
    return phone


def _categories(rng: np.random.Generator, row: Any, cats: tuple[str, ...]) -> list[str]:
    chosen = [c for c in cats if rng.random() < 0.85] or list(cats[:1])
    return [REGION_NAMES.get(row.region, row.region), *chosen]


def _element(rng: np.random.Generator, row: Any, ident: str, when: datetime, *, copy: bool) -> dict:
    profile = PROFILES_BY_KEY[row.profile]
    distance = rng.uniform(20, 350)
    angle = rng.uniform(0, 2 * np.pi)
    lat = row.lat + distance * np.sin(angle) / 111_320.0
    lon = row.lon + distance * np.cos(angle) / (111_320.0 * np.cos(np.radians(row.lat)))
    number, street = street_line(rng, row.street_number, row.street_type, row.street_name)
    city = row.city if rng.random() < 0.9 else row.city.upper()
    created = _SINCE + timedelta(seconds=int(rng.integers(0, int((when - _SINCE).total_seconds()) - 86400)))
    updated = created + timedelta(seconds=int(rng.integers(0, int((when - created).total_seconds()))))
    statut = profile.statut
    if statut in _STATUT_ALTERNATIVES and row.legal_form in ("9220", "9230") and rng.random() < 0.4:
        statut = _STATUT_ALTERNATIVES[statut]
    if rng.random() < 0.05:
        statut = None
    address: dict[str, Any] = {}
    if number is not None:
        address["streetNumber"] = number
    address.update(streetAddress=street, addressLocality=city, postalCode=row.postcode, addressCountry="FR")
    full = f"{number} {street}" if number else street
    address["customFormatedAddress"] = f"{full}, {row.postcode} {row.city}" if rng.random() < 0.5 else None
    r = rng.random()
    status = 0 if r < 0.02 else -1 if r < 0.04 else 1
    description = row.description if rng.random() < 0.85 else row.description.split(" : ")[0] + "."
    return {
        "id": ident,
        "name": vary_name(rng, row.name, row.kind),
        "geo": {"latitude": round(float(lat), 6), "longitude": round(float(lon), 6)},
        "address": address,
        "categories": _categories(rng, row, profile.cats),
        "statut_ess": statut,
        "siret": None if copy else _siret(rng, row.siret),
        "site_web": vary_website(rng, row.website),
        "email": row.email if rng.random() < 0.8 else None,
        "telephone": _gogocarto_phone(vary_phone(rng, row.phone), ident),
        "description_activite": description,
        "createdAt": _paris_time(created),
        "updatedAt": _paris_time(updated),
        "status": status,
        "sourceKey": SOURCE,
    }


PROFILES_BY_KEY = {p.key: p for p in PROFILES}


def render(world: pd.DataFrame, *, seed: int, fetched_at: datetime) -> Rendered:
    """``elements.json`` with every CARTECO actor inside the region's bounding box."""
    rng = np.random.default_rng([seed, 2])
    region = world.attrs.get("region", "24")
    west, south, east, north = geography.region_bbox(region)
    inside_box = world["lon"].between(west, east) & world["lat"].between(south, north)
    listed = world[world["src_carteco"].to_numpy(dtype=bool) & inside_box.to_numpy()]
    twice = rng.random(len(listed)) < _DUPLICATE_SHARE
    rows = np.concatenate([np.arange(len(listed)), np.flatnonzero(twice)])
    order = rng.permutation(len(rows))
    ids = _ids(rng, len(rows))
    copies = np.zeros(len(rows), dtype=bool)
    copies[len(listed) :] = True
    out = Rendered(SOURCE, url(region), LICENCE, ATTRIBUTION)
    elements = []
    tuples = list(listed.itertuples(index=False))
    for k in order:
        row = tuples[rows[k]]
        elements.append(_element(rng, row, ids[k], fetched_at, copy=bool(copies[k])))
        out.keys.append((ids[k], row.actor_id))
    out.files.append(("elements.json", dumps({"ontology": "gogofull", "data": elements})))
    return out
