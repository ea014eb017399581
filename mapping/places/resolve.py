"""Places a user can type: commune, postcode, EPCI, département, lycée, coordinates (addresses: online).

:func:`resolve_place` turns what the user typed into a :class:`Place` whose :meth:`Place.criteria` are
keyword arguments of :meth:`mapping.search.index.SupplierIndex.search` (``near``/``radius_km`` or an area
filter). Names are compared accent-, case- and punctuation-insensitively
(:func:`mapping.reference.geography.normalize_place_name`), typos are tolerated with rapidfuzz, and every
failure is a :class:`PlaceError` with a French message (plus ``candidates`` when the text is ambiguous).

Address geocoding needs the network: it goes through the ``geocoder`` hook (a callable
``text -> (lon, lat, label) | None``), only with ``online=True``. This module never imports streamlit.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from mapping.build.geocoding import BanGeocoder
from mapping.places.names import (
    ADDRESS_RE,
    COORDS_RE,
    DEP_RE,
    DEP_WORDS,
    EPCI_GENERIC,
    EPCI_MARKERS,
    INSEE_RE,
    LYCEE_GENERIC,
    LYCEE_MARKERS,
    SMALL_WORDS,
    UAI_RE,
    Gazetteer,
    communes_named,
    french_title,
    gazetteer,
    lycee_matches,
    split_hints,
)
from mapping.reference import geography
from mapping.reference.geography import normalize_place_name as norm

logger = logging.getLogger(__name__)

PLACE_KINDS = ("commune", "epci", "departement", "lycee", "adresse", "point")
#: Default search radius (km) around a point-like place.
RADIUS_HINTS = {"commune": 10.0, "lycee": 20.0, "adresse": 10.0, "point": 10.0}
#: rapidfuzz ``ratio`` needed to accept a misspelt name without asking.
FUZZY_ACCEPT = 88.0
FUZZY_SUGGEST = 75.0
MAX_CANDIDATES = 10

#: (lon, lat, French label) of a geocoded address, or None.
Geocoder = Callable[[str], "tuple[float, float, str] | None"]

MSG_EMPTY = "Indiquez un lieu : commune, code postal, EPCI, département, lycée ou coordonnées « longitude, latitude »."
MSG_OFFLINE_ADDRESS = (
    "La recherche d'une adresse nécessite le géocodeur en ligne, qui n'est pas activé. "
    "Indiquez plutôt une commune, un code postal, un EPCI, un département ou un lycée."
)
MSG_NO_GEOCODER = "Le géocodage des adresses en ligne n'est pas disponible."
MSG_GEOCODER_FAILED = "Le géocodeur en ligne ne répond pas ; réessayez plus tard ou indiquez une commune."


@dataclass(frozen=True)
class Place:
    """A resolved place.

    Attributes
    ----------
    kind : str
        One of :data:`PLACE_KINDS`.
    label : str
        French label to show (``"Tours (37)"``, ``"Lycée Pothier (Orléans)"``).
    code : str or None
        INSEE code, EPCI SIREN, département code or UAI.
    near : (float, float) or None
        ``(lon, lat)`` of a point-like place (commune town hall, lycée, address, coordinates).
    area : dict
        Search filter of an area: ``{"communes": [...]}``, ``{"epcis": [...]}``, ``{"departements": [...]}``.
    radius_km_hint : float or None
        Suggested radius around ``near``.
    """

    kind: str
    label: str
    code: str | None = None
    near: tuple[float, float] | None = None
    area: dict[str, list[str]] = field(default_factory=dict)
    radius_km_hint: float | None = None

    def criteria(self, *, radius_km: float | None = None, within: bool = False) -> dict[str, object]:
        """Keyword arguments of :meth:`~mapping.search.index.SupplierIndex.search` for this place.

        A point-like place gives ``near`` and ``radius_km`` (``radius_km`` or the hint); ``within=True``
        (or a place without point) gives its area filter instead.
        """
        if self.near is not None and not (within and self.area):
            return {"near": self.near, "radius_km": radius_km or self.radius_km_hint}
        return {key: list(values) for key, values in self.area.items()}


class PlaceError(ValueError):
    """A place that cannot be resolved; ``candidates`` lists the places it may mean."""

    def __init__(self, message: str, candidates: list[Place] | None = None) -> None:
        super().__init__(message)
        self.candidates = list(candidates or [])


def _commune(g: Gazetteer, code: str) -> Place:
    row = g.communes.loc[code]
    return Place(
        kind="commune",
        label=f"{row['nom']} ({row['departement']})",
        code=code,
        near=(float(row["lon"]), float(row["lat"])),
        area={"communes": [code]},
        radius_km_hint=RADIUS_HINTS["commune"],
    )


def _departement(g: Gazetteer, code: str) -> Place:
    return Place("departement", f"{g.departements[code]} ({code})", code, area={"departements": [code]})


def _epci(g: Gazetteer, code: str) -> Place:
    name = g.epcis.get(code) or geography.epci_names()[code]
    return Place("epci", name, code, area={"epcis": [code]})


def _lycee(g: Gazetteer, i: int) -> Place:
    row = g.lycees.iloc[i]
    return Place(
        kind="lycee",
        label=f"{french_title(row['nom'])} ({row['commune']})",
        code=row["uai"],
        near=(float(row["lon"]), float(row["lat"])),
        radius_km_hint=RADIUS_HINTS["lycee"],
    )


def _ambiguous(text: str, what: str, places: list[Place], hint: str) -> PlaceError:
    shown = ", ".join(p.label for p in places[:MAX_CANDIDATES]) + (" …" if len(places) > MAX_CANDIDATES else "")
    return PlaceError(f"« {text} » désigne plusieurs {what} : {shown} ; {hint}.", places)


# ----------------------------------------------------------------------------- steps


def _coordinates(text: str) -> Place | None:
    match = COORDS_RE.match(text)
    if not match or not all(re.search(r"[.,]\d", v) for v in match.groups()):
        return None
    a, b = (float(v.replace(",", ".")) for v in match.groups())

    def in_france(lon: float, lat: float) -> bool:
        return -5.5 <= lon <= 10.0 and 41.0 <= lat <= 51.5

    if not in_france(a, b):
        if not in_france(b, a):
            msg = f"Coordonnées hors de France métropolitaine : {text} (attendu : longitude, latitude)."
            raise PlaceError(msg)
        a, b = b, a  # typed latitude first, as most map sites show it
    label = f"Point {b:.5f} N, {abs(a):.5f} {'E' if a >= 0 else 'O'}".replace(".", ",")
    return Place("point", label, None, near=(a, b), radius_km_hint=RADIUS_HINTS["point"])


def _codes(g: Gazetteer, text: str) -> Place | None:
    compact = re.sub(r"[\s.]", "", text).upper()
    words = norm(text).split()
    if len(words) > 1 and words[0] in DEP_WORDS and DEP_RE.match(words[-1]):
        compact = words[-1]  # "département 37"
    if UAI_RE.match(compact):
        hits = g.lycees.index[g.lycees["uai"] == compact]
        if len(hits):
            return _lycee(g, int(hits[0]))
        msg = f"Aucun lycée de la région ne porte le code UAI {compact}."
        raise PlaceError(msg)
    if DEP_RE.match(compact):
        if compact in g.departements:
            return _departement(g, compact)
        msg = f"Département inconnu : {compact}."
        raise PlaceError(msg)
    if compact.isdigit() and len(compact) == 5:
        found = geography.communes_for_postcode(compact)
        if len(found) == 1:
            return _commune(g, found["code_insee"].iloc[0])
        if len(found) > 1:
            places = [_commune(g, c) for c in found["code_insee"]]
            raise _ambiguous(compact, "communes", places, "choisissez la commune")
    if INSEE_RE.match(compact):
        if compact in g.communes.index:
            return _commune(g, compact)
        msg = f"Code postal ou code INSEE inconnu : {compact}."
        raise PlaceError(msg)
    if compact.isdigit() and len(compact) == 9 and compact in geography.epci_names():
        return _epci(g, compact)
    return None


def _named(g: Gazetteer, text: str) -> Place | None:
    words, postcode, departement = split_hints(norm(text).split())
    name = " ".join(words)
    if not name:
        return None
    dep_name = " ".join(w for w in words if w not in DEP_WORDS) if words[0] in DEP_WORDS else name
    if dep_name in g.departement_names:
        return _departement(g, g.departement_names[dep_name])
    for code, epci_name in g.epcis.items():
        if norm(epci_name) == name:
            return _epci(g, code)
    codes = communes_named(g, name, postcode, departement)
    if len(codes) == 1:
        return _commune(g, codes[0])
    if len(codes) > 1:
        hint = "précisez le code postal ou le département"
        raise _ambiguous(text, "communes", [_commune(g, c) for c in codes], hint)
    if postcode:
        return _postcode_fuzzy(g, text, name, postcode)
    significant = set(words) - SMALL_WORDS
    if significant & EPCI_MARKERS:
        wanted = significant - EPCI_GENERIC
        hits = [c for c, tokens in g.epci_tokens.items() if wanted and wanted <= tokens]
        if len(hits) == 1:
            return _epci(g, hits[0])
        if len(hits) > 1:
            raise _ambiguous(text, "EPCI", [_epci(g, c) for c in hits], "précisez le nom")
    lycee_words = significant - LYCEE_GENERIC
    if significant & LYCEE_MARKERS and lycee_words:
        return _lycee_named(g, text, lycee_words, fuzzy=True)
    national = communes_named(g, name, postcode, departement, national=True)
    if len(national) == 1:
        return _commune(g, national[0])
    prefixed = sorted(
        c for n, cs in g.commune_names.items() if n.startswith(name + " ") for c in cs if c in g.region_communes
    )
    if departement:
        prefixed = [c for c in prefixed if g.communes.at[c, "departement"] == departement]
    if len(prefixed) == 1:
        return _commune(g, prefixed[0])
    codes = prefixed or national
    if codes:
        hint = "précisez le nom complet, le code postal ou le département"
        raise _ambiguous(text, "communes", [_commune(g, c) for c in codes], hint)
    return _lycee_named(g, text, lycee_words, fuzzy=False) if lycee_words else None


def _lycee_named(g: Gazetteer, text: str, words: set[str], *, fuzzy: bool) -> Place | None:
    """A lycée by its name (``fuzzy``: typed after « lycée », so misspellings are tried too)."""
    hits = lycee_matches(g, words, exact_only=not fuzzy)
    if len(hits) == 1:
        return _lycee(g, hits[0])
    if len(hits) > 1:
        raise _ambiguous(text, "lycées", [_lycee(g, i) for i in hits], "précisez la commune")
    return _lycee_fuzzy(g, text, " ".join(sorted(words))) if fuzzy else None


def _postcode_fuzzy(g: Gazetteer, text: str, name: str, postcode: str) -> Place:
    found = geography.communes_for_postcode(postcode)
    choices = {c: norm(n) for c, n in zip(found["code_insee"], found["nom"], strict=True)}
    best = process.extractOne(name, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_SUGGEST)
    if best:
        return _commune(g, best[2])
    places = [_commune(g, c) for c in choices]
    if places:
        raise _ambiguous(text, "communes possibles", places, "aucune ne correspond au nom indiqué")
    msg = f"Code postal inconnu : {postcode}."
    raise PlaceError(msg)


def _lycee_fuzzy(g: Gazetteer, text: str, wanted: str) -> Place:
    choices = {i: " ".join(sorted(tokens)) for i, tokens in enumerate(g.lycee_tokens) if tokens}
    found = process.extract(wanted, choices, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_SUGGEST, limit=5)
    if len(found) == 1 or (found and found[0][1] >= FUZZY_ACCEPT and found[0][1] - found[1][1] >= 5):
        return _lycee(g, found[0][2])
    places = [_lycee(g, i) for _c, _s, i in found]
    msg = f"Lycée introuvable dans la région : « {text} »."
    if places:
        msg += f" Vouliez-vous dire : {', '.join(p.label for p in places)} ?"
    raise PlaceError(msg, places)


def _fuzzy(g: Gazetteer, text: str) -> tuple[Place | None, list[Place]]:
    """Best misspelt match (when clearly ahead) and suggestions."""
    name = norm(text)
    choices: dict[tuple[str, str], str] = {("departement", c): norm(n) for c, n in g.departements.items()}
    choices.update({("epci", c): norm(n) for c, n in g.epcis.items()})
    choices.update({("commune", c): norm(g.communes.at[c, "nom"]) for c in g.region_communes})
    found = process.extract(name, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_SUGGEST, limit=5)
    builders = {"departement": _departement, "epci": _epci, "commune": _commune}
    places = [builders[kind](g, code) for _c, _s, (kind, code) in found]
    clear = found and found[0][1] >= FUZZY_ACCEPT and (len(found) == 1 or found[0][1] - found[1][1] >= 3)
    return (places[0] if clear else None), places


def resolve_place(
    text: str, *, region: str | None = None, online: bool = False, geocoder: Geocoder | None = None
) -> Place:
    """Turn what a user typed into a :class:`Place`.

    Parameters
    ----------
    text : str
        ``"Tours"``, ``"37000"``, ``"Amilly 45"``, ``"Orléans Métropole"``, ``"Indre-et-Loire"``, ``"37"``,
        ``"lycée Pothier"``, ``"0450049J"`` (UAI), ``"1.909, 47.903"`` (lon, lat; lat, lon is recognised too),
        or an address (only with ``online=True``).
    region : str, optional
        INSEE region code whose communes, EPCI and lycées come first (default: the app's region).
    online : bool
        Allow address geocoding through ``geocoder``.
    geocoder : callable, optional
        ``text -> (lon, lat, label) | None``; default: :class:`mapping.build.geocoding.BanGeocoder` (BAN ``/search``).

    Returns
    -------
    Place

    Raises
    ------
    PlaceError
        Unknown or ambiguous place (French message; ``candidates`` holds the possible places).
    """
    text = (text or "").strip()
    if not text:
        raise PlaceError(MSG_EMPTY)
    g = gazetteer(region or geography.region_code())
    place = _coordinates(text) or _codes(g, text)
    if place is None and ADDRESS_RE.match(text):
        return _address(text, online=online, geocoder=geocoder)
    place = place or _named(g, text)
    if place is not None:
        return place
    best, suggestions = _fuzzy(g, text)
    if best is not None:
        logger.info("place %r read as %r", text, best.label)
        return best
    if online and re.search(r"\d", text):
        return _address(text, online=online, geocoder=geocoder)
    msg = f"Lieu introuvable : « {text} »."
    if suggestions:
        msg += f" Vouliez-vous dire : {', '.join(p.label for p in suggestions)} ?"
    else:
        msg += " Indiquez une commune, un code postal, un EPCI, un département, un lycée ou des coordonnées."
    raise PlaceError(msg, suggestions)


def _address(text: str, *, online: bool, geocoder: Geocoder | None) -> Place:
    """Geocode an address through the hook (the online geocoder comes with a later issue)."""
    if not online:
        raise PlaceError(MSG_OFFLINE_ADDRESS)
    geocoder = geocoder or _default_geocoder()
    try:
        found = geocoder(text)
    except Exception as exc:  # network, HTTP or cache failure: the user gets a French message
        logger.warning("address geocoding failed for %r: %s", text, exc)
        raise PlaceError(MSG_GEOCODER_FAILED) from exc
    if found is None:
        msg = f"Adresse introuvable : « {text} »."
        raise PlaceError(msg)
    lon, lat, label = found
    return Place("adresse", label, None, near=(float(lon), float(lat)), radius_km_hint=RADIUS_HINTS["adresse"])


def _default_geocoder() -> Geocoder:
    """Adapt :class:`mapping.build.geocoding.BanGeocoder` (cached BAN ``GET /search``) to the hook's shape."""
    ban = BanGeocoder()

    def geocode(text: str) -> tuple[float, float, str] | None:
        answer = ban.search(text)
        return None if answer is None else (answer.lon, answer.lat, answer.label or text)

    return geocode
