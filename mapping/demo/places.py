"""Where demo actors are: real communes weighted by population, synthetic street addresses, jittered points."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mapping.reference import geography

#: Neighbouring départements of each region whose communes may host "just outside" actors.
NEIGHBOURS = {"24": ("03", "23", "27", "49", "58", "61", "72", "77", "78", "86", "87", "89", "91")}

STREET_CODES = {
    "rue": "RUE",
    "avenue": "AV",
    "boulevard": "BD",
    "route": "RTE",
    "chemin": "CHE",
    "place": "PL",
    "allée": "ALL",
    "impasse": "IMP",
    "quai": "QUAI",
    "faubourg": "FG",
    "zone artisanale": "ZA",
    "zone industrielle": "ZI",
    "lieu-dit": "LD",
}
_URBAN_TYPES = (
    ("rue", 0.55),
    ("avenue", 0.12),
    ("boulevard", 0.06),
    ("place", 0.05),
    ("allée", 0.06),
    ("impasse", 0.05),
    ("chemin", 0.04),
    ("route", 0.04),
    ("quai", 0.015),
    ("faubourg", 0.015),
)
_URBAN_NAMES = (
    "des Lilas",
    "Jean Jaurès",
    "Victor Hugo",
    "de la République",
    "du Général de Gaulle",
    "Pasteur",
    "de la Gare",
    "des Écoles",
    "Gambetta",
    "Jules Ferry",
    "du Maréchal Foch",
    "de Verdun",
    "Émile Zola",
    "de la Paix",
    "des Acacias",
    "du 8 Mai 1945",
    "Nationale",
    "Saint-Martin",
    "de la Liberté",
    "Carnot",
    "Voltaire",
    "des Tanneurs",
    "de Bretagne",
    "Jean Moulin",
    "Louis Pasteur",
    "de l'Industrie",
    "du Commerce",
    "des Tilleuls",
    "Georges Sand",
    "Rabelais",
    "Charles Péguy",
    "Jeanne d'Arc",
    "de la Loire",
    "des Vignes",
    "Roger Salengro",
    "Marcel Cachin",
    "des Prés",
    "Paul Bert",
    "de la Fontaine",
    "du Moulin",
)
_VILLAGE_NAMES = (
    "de la Mairie",
    "de l'Église",
    "Principale",
    "du Stade",
    "des Écoles",
    "du Lavoir",
    "du Château",
    "de la Poste",
    "du Bourg",
    "des Jardins",
)
_ZONE_NAMES = (
    "des Vauvettes",
    "du Moulin",
    "de la Gare",
    "Nord",
    "Sud",
    "des Grands Champs",
    "de la Saussaye",
    "du Bois Gueslin",
    "des Montées",
    "de l'Échangeur",
    "du Chêne Vert",
    "des Dépôts",
    "des Portes",
)
_LIEUX_DITS = (
    "la Grande Borde",
    "la Brosse",
    "les Bordes",
    "la Mardelle",
    "Bel Air",
    "la Vallée",
    "le Petit Villiers",
    "la Chaume",
    "les Varennes",
    "la Cour",
    "le Plessis",
    "la Motte",
    "les Aubiers",
    "la Rivière",
    "le Grand Launay",
    "la Forge",
    "les Touches",
    "la Huche",
    "le Bois Joly",
    "la Gâtine",
)
_ROUTE_NAMES = (
    "de la Forêt",
    "de Paris",
    "d'Orléans",
    "de Bourges",
    "de Tours",
    "de Blois",
    "de Chartres",
    "des Vignes",
    "du Moulin",
    "de la Vallée",
    "des Champs",
    "de Vierzon",
)


_NUMBERS = np.array([str(i) for i in range(241)], dtype=object)


@dataclass(frozen=True)
class CommuneTable:
    """Communes eligible for placement, as aligned numpy arrays."""

    code_insee: np.ndarray
    nom: np.ndarray
    postcode_flat: np.ndarray  # every postcode of every commune, commune after commune
    postcode_offset: np.ndarray  # index of each commune's first postcode in ``postcode_flat``
    postcode_count: np.ndarray
    departement: np.ndarray
    region: np.ndarray
    epci: np.ndarray
    population: np.ndarray
    lon: np.ndarray
    lat: np.ndarray

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> CommuneTable:
        """Build from a ``communes.csv``-like frame (rows without point or postcode are dropped)."""
        frame = frame[frame["lon"].notna() & frame["lat"].notna() & (frame["codes_postaux"].fillna("") != "")]
        frame = frame.sort_values("code_insee").reset_index(drop=True)
        codes = [v.split("|") for v in frame["codes_postaux"]]
        count = np.array([len(c) for c in codes], dtype=np.int64)
        return cls(
            code_insee=frame["code_insee"].to_numpy(dtype=object),
            nom=frame["nom"].to_numpy(dtype=object),
            postcode_flat=np.array([p for c in codes for p in c], dtype=object),
            postcode_offset=np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64),
            postcode_count=count,
            departement=frame["departement"].to_numpy(dtype=object),
            region=frame["region"].to_numpy(dtype=object),
            epci=frame["epci"].astype(object).where(frame["epci"].notna(), None).to_numpy(dtype=object),
            population=pd.to_numeric(frame["population"], errors="coerce").fillna(0).to_numpy(dtype=float),
            lon=frame["lon"].to_numpy(dtype=float),
            lat=frame["lat"].to_numpy(dtype=float),
        )

    def concat(self, other: CommuneTable) -> CommuneTable:
        """Both tables end to end (indexes of ``other`` shift by ``len(self)``)."""
        return CommuneTable(
            code_insee=np.concatenate([self.code_insee, other.code_insee]),
            nom=np.concatenate([self.nom, other.nom]),
            postcode_flat=np.concatenate([self.postcode_flat, other.postcode_flat]),
            postcode_offset=np.concatenate([self.postcode_offset, other.postcode_offset + len(self.postcode_flat)]),
            postcode_count=np.concatenate([self.postcode_count, other.postcode_count]),
            departement=np.concatenate([self.departement, other.departement]),
            region=np.concatenate([self.region, other.region]),
            epci=np.concatenate([self.epci, other.epci]),
            population=np.concatenate([self.population, other.population]),
            lon=np.concatenate([self.lon, other.lon]),
            lat=np.concatenate([self.lat, other.lat]),
        )

    def __len__(self) -> int:
        return len(self.code_insee)


def commune_tables(region: str) -> tuple[CommuneTable, CommuneTable]:
    """``(inside, outside)``: the region's communes, and neighbouring communes inside its bbox."""
    table = geography.communes()
    inside = table[table["region"] == region]
    west, south, east, north = geography.region_bbox(region)
    in_box = table["lon"].between(west, east) & table["lat"].between(south, north) & (table["region"] != region)
    neighbours = NEIGHBOURS.get(region)
    if neighbours:
        in_box &= table["departement"].isin(neighbours)
    return CommuneTable.from_frame(inside), CommuneTable.from_frame(table[in_box])


#: Paris, Marseille and Lyon, replaced by their municipal arrondissements in the national table.
_PLM = ("75056", "13055", "69123")
#: Telephone zone (``0Z``) of each region of metropolitan France (Languedoc-Roussillon: see below).
PHONE_ZONES = {
    "11": "1",
    "24": "2",
    "28": "2",
    "52": "2",
    "53": "2",
    "27": "3",
    "32": "3",
    "44": "3",
    "84": "4",
    "93": "4",
    "94": "4",
    "75": "5",
    "76": "5",
}
_ZONE_4_DEPS = ("11", "30", "34", "48", "66")  # Languedoc-Roussillon dials 04, the rest of Occitanie 05


def national_table() -> CommuneTable:
    """Every commune of metropolitan France (Corsica included, overseas excluded).

    Paris, Marseille and Lyon count as their municipal arrondissements (« Paris 11e
    Arrondissement », postcode 75011), like associations and SIRENE addresses do, rather than as
    one commune of two million inhabitants with hundreds of namesakes.
    """
    table = geography.communes()
    metro = (table["departement"].str.len() == 2) & table["region"].isin(PHONE_ZONES)
    return CommuneTable.from_frame(table[metro & ~table["code_insee"].isin(_PLM)])


def phone_prefixes(
    table: CommuneTable, known: dict[str, tuple[str, tuple[str, ...]]]
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """``{département: (zone digit, two-digit prefixes)}`` for every département of ``table``.

    Départements of ``known`` keep their prefixes; the others get, inside their zone, one unused
    prefix per 250,000 inhabitants (at least two), so numbers rarely collide across départements.
    """
    deps = pd.DataFrame({"dep": table.departement, "region": table.region, "pop": table.population})
    by_dep = deps.groupby("dep", sort=True).agg(region=("region", "first"), pop=("pop", "sum"))
    out = dict(known)
    next_prefix: dict[str, int] = {}
    for dep, row in by_dep.iterrows():
        if dep in out:
            continue
        zone = "4" if dep in _ZONE_4_DEPS else PHONE_ZONES.get(row["region"], "2")
        used = {p for z, ps in known.values() if z == zone for p in ps}
        count = max(2, int(np.ceil(row["pop"] / 250_000)))
        prefixes = []
        k = next_prefix.get(zone, 10)
        while len(prefixes) < count:
            p = f"{10 + (k - 10) % 90:02d}"
            k += 1
            if p not in used:
                prefixes.append(p)
        next_prefix[zone] = k
        out[dep] = (zone, tuple(prefixes))
    return out


def pick_communes(rng: np.random.Generator, table: CommuneTable, exponents: np.ndarray) -> np.ndarray:
    """Commune index for each actor, weighted by ``population ** exponent`` (one exponent per actor)."""
    out = np.empty(len(exponents), dtype=np.int64)
    for exponent in np.unique(exponents):
        rows = np.flatnonzero(exponents == exponent)
        weights = np.power(np.maximum(table.population, 1.0), exponent)
        out[rows] = rng.choice(len(table), size=len(rows), p=weights / weights.sum())
    return out


def pick_postcodes(rng: np.random.Generator, table: CommuneTable, commune: np.ndarray) -> np.ndarray:
    """One of the postcodes of each actor's commune (the first one twice as likely)."""
    count = table.postcode_count[commune]
    k = rng.integers(0, count + 1)
    k = np.where(k >= count, 0, k)
    return table.postcode_flat[table.postcode_offset[commune] + k]


def _weighted(rng: np.random.Generator, table: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    values = np.array([v for v, _ in table], dtype=object)
    weights = np.array([w for _, w in table], dtype=float)
    return values[rng.choice(len(values), size=n, p=weights / weights.sum())]


def _from(rng: np.random.Generator, pool: tuple[str, ...], n: int) -> np.ndarray:
    return np.array(pool, dtype=object)[rng.integers(0, len(pool), n)]


def street_addresses(
    rng: np.random.Generator, style: np.ndarray, population: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(street_number, street_type, street_name)`` per actor (number ``None`` for lieux-dits).

    Parameters
    ----------
    style : numpy.ndarray
        ``"urban"``, ``"zone"`` or ``"rural"`` per actor.
    population : numpy.ndarray
        Population of each actor's commune (villages get village street names).
    """
    n = len(style)
    number = _NUMBERS[np.minimum(rng.geometric(0.04, n), 240)]
    stype = _weighted(rng, _URBAN_TYPES, n)
    sname = _from(rng, _URBAN_NAMES, n)
    village = population < 2000
    stype[village & (stype == "boulevard")] = "rue"
    sname[village] = _from(rng, _VILLAGE_NAMES, int(village.sum()))
    zone = (style == "zone") & (rng.random(n) < 0.6)
    stype[zone] = np.where(rng.random(int(zone.sum())) < 0.55, "zone artisanale", "zone industrielle")
    sname[zone] = _from(rng, _ZONE_NAMES, int(zone.sum()))
    number[zone & (rng.random(n) < 0.3)] = None
    rural = style == "rural"
    lieu = rural & (rng.random(n) < 0.65)
    road = rural & ~lieu
    stype[lieu] = "lieu-dit"
    sname[lieu] = _from(rng, _LIEUX_DITS, int(lieu.sum()))
    number[lieu] = None
    stype[road] = np.where(rng.random(int(road.sum())) < 0.6, "route", "chemin")
    sname[road] = _from(rng, _ROUTE_NAMES, int(road.sum()))
    return number, stype, sname


def jitter_points(
    rng: np.random.Generator, lon: np.ndarray, lat: np.ndarray, population: np.ndarray, rural: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Spread actors around their commune point: a few hundred metres in villages, km in cities.

    The standard deviation is ``8 * sqrt(population)`` metres clipped to 200-2,500 m (at least
    1,200 m for farms, which lie anywhere in the commune), truncated at 2.5 sigma.
    """
    n = len(lon)
    sigma = np.clip(8.0 * np.sqrt(np.maximum(population, 0.0)), 200.0, 2500.0)
    sigma = np.where(rural, np.maximum(sigma, 1200.0), sigma)
    dx = np.clip(rng.standard_normal(n), -2.5, 2.5) * sigma
    dy = np.clip(rng.standard_normal(n), -2.5, 2.5) * sigma
    new_lat = lat + dy / 111_320.0
    new_lon = lon + dx / (111_320.0 * np.cos(np.radians(lat)))
    return np.round(new_lon, 6), np.round(new_lat, 6)
