"""The demo world: one row per *true* actor, from which every source's view is rendered.

:func:`generate` is deterministic (a single seeded ``numpy.random.Generator``, no clock, no
dependence on dict or set iteration order) and vectorised: a million actors take seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
import pandas as pd

from mapping.demo import DEFAULT_N_ACTORS, DEFAULT_SEED, codes, identifiers, name_parts, names, places
from mapping.demo.profiles import OTHER_PROFILES, Profile
from mapping.demo.profiles_ess import ESS_PROFILES
from mapping.demo.profiles_food import FOOD_PROFILES
from mapping.reference import geography

logger = logging.getLogger(__name__)

PROFILES: tuple[Profile, ...] = (*ESS_PROFILES, *FOOD_PROFILES, *OTHER_PROFILES)
#: Share of actors placed just outside the region (inside its bounding box).
OUTSIDE_SHARE = 0.02
#: Probability of each optional taxonomy code of a profile.
OPTIONAL_P = 0.35
#: Share of actors with a SIRET that also have a second establishment (same SIREN).
SECOND_ESTABLISHMENT_SHARE = 0.025
SOURCES = (
    "carteco",
    "recherche_entreprises",
    "ademe_lvao",
    "sinoe",
    "georisques",
    "cress",
    "urscop",
    "france_active",
    "cducentre",
    "agire",
)
#: Sources that only list actors of the region.
REGIONAL_SOURCES = ("cress", "urscop", "france_active", "cducentre", "agire")
#: Labels awarded in the region only (dropped elsewhere in a national world).
REGIONAL_LABELS = ("c_du_centre",)
#: Scopes of :func:`generate`: the region (and just outside), or all of metropolitan France.
SCOPES = ("region", "france")
_EFFECTIFS = {
    "association": ("NN", "NN", "00", "01", "02", "03", "11"),
    "esat": ("12", "21", "22", "31"),
    "ea": ("11", "12", "21", "22"),
    "producteur": ("NN", "NN", "00", "01", "02"),
    "entreprise": ("NN", "00", "01", "02", "03", "11", "12"),
    "icpe": ("03", "11", "12", "21", "22"),
    "mutuelle": ("21", "22", "31", "32"),
    "fondation": ("11", "12", "21", "22", "31"),
    "decheterie": ("NN", "00", "01"),
}
_DEFAULT_EFFECTIFS = ("01", "02", "03", "11", "12", "21")


def _profile_array(attribute: str, profile: np.ndarray, dtype: object = float) -> np.ndarray:
    return np.array([getattr(p, attribute) for p in PROFILES], dtype=dtype)[profile]


def _by_profile(profile: np.ndarray) -> list[tuple[Profile, np.ndarray]]:
    order = np.argsort(profile, kind="stable")
    bounds = np.searchsorted(profile[order], np.arange(len(PROFILES) + 1))
    return [(p, order[bounds[i] : bounds[i + 1]]) for i, p in enumerate(PROFILES)]


def _weighted_choice(rng: np.random.Generator, table: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    values = np.array([v for v, _ in table], dtype=object)
    weights = np.array([w for _, w in table], dtype=float)
    return values[rng.choice(len(values), size=n, p=weights / weights.sum())]


def _name_slots(rng: np.random.Generator, table: places.CommuneTable, commune: np.ndarray) -> dict[str, np.ndarray]:
    """Per-actor values of every name slot (see :mod:`mapping.demo.names`)."""
    n = len(commune)
    noms = table.nom
    de_noms = np.array([names.with_de(v) for v in noms], dtype=object)
    deps = table.departement[commune]
    slots = {"place": noms[commune], "de_place": de_noms[commune], "city": noms[commune]}
    terr = np.empty(n, dtype=object)
    de_terr = np.empty(n, dtype=object)
    de_dep = np.empty(n, dtype=object)
    suffix = np.empty(n, dtype=object)
    pick = rng.integers(0, 1 << 30, n)
    for dep in sorted(set(deps.tolist())):
        rows = np.flatnonzero(deps == dep)
        dep_name, dep_de = names.DEPARTEMENT_NAMES.get(dep) or _departement_name(dep)
        territories = names.TERRITORIES.get(dep, ((dep_name, dep_de),))
        t = pick[rows] % len(territories)
        terr[rows] = np.array([x for x, _ in territories], dtype=object)[t]
        de_terr[rows] = np.array([y for _, y in territories], dtype=object)[t]
        de_dep[rows] = dep_de
        pool = name_parts.COINED_SUFFIXES.get(dep, name_parts.DEFAULT_COINED_SUFFIXES)
        suffix[rows] = np.array(pool, dtype=object)[(pick[rows] // 7) % len(pool)]
    slots.update(terr=terr, de_terr=de_terr, de_dep=de_dep, suffix=suffix, prefix_pick=rng.integers(0, 1 << 20, n))
    for slot, pool in (
        ("surname", name_parts.SURNAMES),
        ("first", name_parts.FIRST_NAMES),
        ("brand", name_parts.BRANDS),
        ("nature", name_parts.NATURE),
        ("lieu", name_parts.LIEUX),
    ):
        slots[slot] = np.array(pool, dtype=object)[rng.integers(0, len(pool), n)]
    return slots


def _departement_name(dep: str) -> tuple[str, str]:
    """``(name, name with "de")`` of a département outside :data:`names.DEPARTEMENT_NAMES`."""
    name = geography.departement_names().get(dep, dep)
    return name, names.with_de(name)


def _code_lists(
    rng: np.random.Generator,
    groups: list[tuple[Profile, np.ndarray]],
    deps: np.ndarray,
    n: int,
    regional: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Bit masks of purchase families, waste types, product types and labels.

    ``regional`` (optional boolean per actor) restricts :data:`REGIONAL_LABELS` to those actors.
    """
    masks = {key: np.zeros(n, dtype=np.int64) for key in ("families", "waste", "products", "labels")}
    spaces = {
        "families": codes.PURCHASE_FAMILIES,
        "waste": codes.WASTE_TYPES,
        "products": codes.PRODUCT_TYPES,
        "labels": codes.LABELS,
    }
    for profile, rows in groups:
        if not len(rows):
            continue
        for key in ("families", "waste", "products", "labels"):
            codes.add_codes(masks[key], rows, spaces[key], getattr(profile, key))
            optional = getattr(profile, f"{key}_opt")
            for item in optional:
                code, p = item if isinstance(item, tuple) else (item, OPTIONAL_P)
                codes.add_codes(masks[key], rows[rng.random(len(rows)) < p], spaces[key], (code,))
        if profile.products_opt and not profile.products:  # at least one product for food profiles
            empty = rows[masks["products"][rows] == 0]
            first = np.array(profile.products_opt, dtype=object)[rng.integers(0, len(profile.products_opt), len(empty))]
            for code in profile.products_opt:
                codes.add_codes(masks["products"], empty[first == code], codes.PRODUCT_TYPES, (code,))
        for label, label_deps, p in profile.dep_labels:
            eligible = rows[np.isin(deps[rows], label_deps)]
            codes.add_codes(masks["labels"], eligible[rng.random(len(eligible)) < p], codes.LABELS, (label,))
    if regional is not None:
        drop = sum(codes.bit(codes.LABELS, label) for label in REGIONAL_LABELS)
        masks["labels"][~regional] &= ~np.int64(drop)
    return {
        "purchase_families": codes.decode(masks["families"], codes.PURCHASE_FAMILIES),
        "waste_types": codes.decode(masks["waste"], codes.WASTE_TYPES),
        "product_types": codes.decode(masks["products"], codes.PRODUCT_TYPES),
        "labels": codes.decode(masks["labels"], codes.LABELS),
        "_labels_mask": masks["labels"],
    }


def _dates(rng: np.random.Generator, n: int) -> np.ndarray:
    """Creation dates (ISO ``YYYY-MM-DD``), mostly recent, back to 1946."""
    age_days = np.minimum(rng.exponential(14 * 365.25, n), 79 * 365.25).astype(np.int64) + 300
    uniques, inverse = np.unique(age_days, return_inverse=True)
    days = np.datetime64("2026-01-01") - uniques.astype("timedelta64[D]")
    return np.datetime_as_string(days, unit="D").astype(object)[inverse.reshape(-1)]


def _phones(
    rng: np.random.Generator, deps: np.ndarray, mobile: np.ndarray, prefixes: dict[str, tuple[str, tuple[str, ...]]]
) -> np.ndarray:
    """:func:`identifiers.phones` with a prefix table covering every département (national world)."""
    n = len(deps)
    out = np.empty(n, dtype=object)
    tail = rng.integers(0, 100_000_000, n)
    pick = rng.integers(0, 1 << 20, n)
    dep_codes, dep_index = np.unique(deps.astype(str), return_inverse=True)
    fixed = ~mobile
    for i, dep in enumerate(dep_codes.tolist()):
        rows = np.flatnonzero(fixed & (dep_index == i))
        zone, heads = prefixes[dep]
        heads = np.array([f"0{zone} {p} " for p in heads], dtype=object)
        t = tail[rows] % 1_000_000
        out[rows] = (
            heads[pick[rows] % len(heads)] + identifiers._PAIRS[t // 10_000] + " " + identifiers._QUADS[t % 10_000]
        )
    rows = np.flatnonzero(mobile)
    heads = np.array(("06 ", "06 ", "07 ", "06 "), dtype=object)
    t = tail[rows]
    out[rows] = heads[pick[rows] % 4] + identifiers._QUADS[t // 10_000] + " " + identifiers._QUADS[t % 10_000]
    return out


def generate(
    n_actors: int = DEFAULT_N_ACTORS,
    *,
    seed: int = DEFAULT_SEED,
    region: str | None = None,
    scope: str = "region",
) -> pd.DataFrame:
    """Generate the demo world.

    Parameters
    ----------
    n_actors : int
        Number of true actors (about 2 % of them just outside the region).
    seed : int
        Seed of the only random generator used.
    region : str, optional
        INSEE region code (default :func:`mapping.reference.geography.region_code`).
    scope : {"region", "france"}
        ``"region"`` (default, the committed demo): the region's communes plus about 2 % of actors
        just outside. ``"france"`` (benchmarks at national scale): every commune of metropolitan
        France weighted by population, real postcodes and départements, landline prefixes by
        telephone zone (01-05); ``in_region`` marks the region's actors; the regional sources
        (CRESS, URSCOP, ...) list the actors of *their* region, as every region has its own;
        département-specific labels only where they apply, :data:`REGIONAL_LABELS` in the region only.

    Returns
    -------
    pandas.DataFrame
        One row per actor (``actor_id`` ``"A000001"``...). Identity and address columns, taxonomy
        list columns (shared, read-only list objects), ``est_ess``/``est_siae``/``type_siae``,
        ``in_region`` and one ``src_<source>`` boolean per source. ``siret2``/``siret2_closed``
        describe a second establishment of the same SIREN (a few actors). ``attrs`` holds ``seed``
        and ``region`` (and ``scope`` for a national world).
    """
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
    region = region or geography.region_code()
    national = scope == "france"
    rng = np.random.default_rng(seed)
    n = int(n_actors)
    if national:
        table = places.national_table()
    else:
        inside, outside = places.commune_tables(region)
    weights = np.array([p.weight for p in PROFILES])
    profile = rng.choice(len(PROFILES), size=n, p=weights / weights.sum())
    groups = _by_profile(profile)
    kind = _profile_array("kind", profile, object)

    # ------------------------------------------------------------ where
    exponent = _profile_array("pop_exp", profile)
    if national:
        # no "outside": every actor is listed by the sources of its own region
        out = np.zeros(n, dtype=bool)
        commune = places.pick_communes(rng, table, exponent)
    else:
        out = (rng.random(n) < OUTSIDE_SHARE) if len(outside) else np.zeros(n, dtype=bool)
        commune = np.empty(n, dtype=np.int64)
        commune[~out] = places.pick_communes(rng, inside, exponent[~out])
        commune[out] = places.pick_communes(rng, outside, exponent[out]) + len(inside)
        table = inside.concat(outside)
    in_region = (table.region[commune] == region) if national else ~out
    population = table.population[commune]
    style = _profile_array("place", profile, object)
    number, street_type, street_name = places.street_addresses(rng, style, population)
    lon, lat = places.jitter_points(rng, table.lon[commune], table.lat[commune], population, style == "rural")
    deps = table.departement[commune]

    # ------------------------------------------------------------ who
    legal_form = np.empty(n, dtype=object)
    naf = np.empty(n, dtype=object)
    name_choice = np.empty(n, dtype=np.int64)
    for p, rows in groups:
        legal_form[rows] = _weighted_choice(rng, p.legal, len(rows))
        naf[rows] = _weighted_choice(rng, p.naf, len(rows))
        name_choice[rows] = rng.integers(0, len(p.names), len(rows))
    slots = _name_slots(rng, table, commune)
    name = np.empty(n, dtype=object)
    description = np.empty(n, dtype=object)
    for p, rows in groups:
        used = {f for t in (*p.names, p.description) for _, f in names.parse_template(t) if f}
        sub = {k: slots[k][rows] for k in sorted(used - {"coined"})}
        if "coined" in used:
            prefixes = name_parts.COINED_PREFIXES.get(p.key, name_parts.DEFAULT_COINED_PREFIXES)
            pick = slots["prefix_pick"][rows] % len(prefixes)
            sub["coined"] = np.array(prefixes, dtype=object)[pick] + "'" + slots["suffix"][rows]
        name[rows] = names.compose(p.names, name_choice[rows], sub)
        description[rows] = names.compose((p.description,), np.zeros(len(rows), dtype=np.int64), sub)

    kind_index = np.array([codes.ACTOR_KINDS.index(k) for k in kind.tolist()], dtype=np.int64)
    kind_mask = np.zeros(n, dtype=np.int64)
    for p, rows in groups:
        for extra_kind, prob in p.also_kinds:
            codes.add_codes(kind_mask, rows[rng.random(len(rows)) < prob], codes.ACTOR_KINDS, (extra_kind,))
    for form, form_kind in sorted(codes.LEGAL_FORM_KINDS.items()):
        codes.add_codes(kind_mask, np.flatnonzero(legal_form == form), codes.ACTOR_KINDS, (form_kind,))
    actor_kinds = codes.decode(kind_mask, codes.ACTOR_KINDS, first=kind_index)
    siae_mask = sum(codes.bit(codes.ACTOR_KINDS, k) for k in codes.SIAE_KINDS)
    all_kinds = kind_mask | (np.int64(1) << kind_index)
    est_siae = (all_kinds & siae_mask) != 0
    type_siae = np.full(n, None, dtype=object)
    type_siae[est_siae] = (
        pd.Series(actor_kinds[est_siae])
        .map(lambda ks: ", ".join(k.upper() for k in ks if k in codes.SIAE_KINDS))
        .to_numpy(dtype=object)
    )
    est_ess = rng.random(n) < _profile_array("ess", profile)
    lists = _code_lists(rng, groups, deps, n, in_region if national else None)

    # ------------------------------------------------------------ identifiers and contacts
    has_siret = rng.random(n) >= _profile_array("no_siret", profile)
    siren_num = identifiers.sirens(rng, n)
    seq = np.minimum(rng.geometric(0.55, n), 9)
    second = has_siret & (rng.random(n) < SECOND_ESTABLISHMENT_SHARE)
    closed = second & (rng.random(n) < 0.5)
    seq2 = np.where(closed, seq, seq + 1)
    seq = np.where(closed, seq + 1, seq)  # the closed one is the older establishment
    siren = _only(has_siret, lambda rows: identifiers.as_digits(siren_num[rows], 9))
    siret = _only(has_siret, lambda rows: identifiers.as_digits(identifiers.sirets(siren_num[rows], seq[rows]), 14))
    siret2 = _only(second, lambda rows: identifiers.as_digits(identifiers.sirets(siren_num[rows], seq2[rows]), 14))
    number2, type2, street2 = places.street_addresses(rng, style, population)
    lon2, lat2 = places.jitter_points(rng, table.lon[commune], table.lat[commune], population, style == "rural")
    is_asso = np.isin(legal_form, ("9220", "9230"))
    rna = _only(is_asso & (rng.random(n) < 0.75), lambda rows: identifiers.rna_numbers(rng, deps[rows]))
    mobile = rng.random(n) < _profile_array("mobile", profile)
    if national:
        phone = _phones(rng, deps, mobile, places.phone_prefixes(table, identifiers.PHONE_PREFIXES))
    else:
        phone = identifiers.phones(rng, deps, mobile)
    phone[rng.random(n) < 0.08] = None
    website, email = identifiers.web_contacts(
        rng, name, rng.random(n) < _profile_array("web", profile), rng.random(n) < 0.85
    )

    # ------------------------------------------------------------ sources
    is_scop_form = np.isin(legal_form, codes.SCOP_LEGAL_FORMS)
    src: dict[str, np.ndarray] = {
        "carteco": rng.random(n) < _profile_array("carteco", profile),
        "recherche_entreprises": has_siret & ~out & (est_ess | est_siae | is_scop_form),
    }
    src["ademe_lvao"] = (rng.random(n) < _profile_array("lvao", profile)) | (src["carteco"] & (rng.random(n) < 0.5))
    default_extra = {"cress": 0.2, "france_active": 0.03}
    for source in ("sinoe", "georisques", "cress", "urscop", "france_active", "agire"):
        prob = np.array([p.extra.get(source, default_extra.get(source, 0.0)) for p in PROFILES])[profile]
        src[source] = rng.random(n) < prob
    src["cress"] &= est_ess
    src["france_active"] &= est_ess
    src["cducentre"] = ((lists["_labels_mask"] & codes.bit(codes.LABELS, "c_du_centre")) != 0) & (rng.random(n) < 0.9)
    for source in REGIONAL_SOURCES:
        src[source] &= ~out

    columns = {
        "actor_id": np.array(list(map("A{:06d}".format, range(1, n + 1))), dtype=object),
        "name": name,
        "kind": kind,
        "actor_kinds": actor_kinds,
        "profile": _profile_array("key", profile, object),
        "legal_form": legal_form,
        "naf": naf,
        "siren": siren,
        "siret": siret,
        "siret2": siret2,
        "siret2_closed": closed,
        "street_number": number,
        "street_type": street_type,
        "street_name": street_name,
        "postcode": places.pick_postcodes(rng, table, commune),
        "city": table.nom[commune],
        "code_insee": table.code_insee[commune],
        "departement": deps,
        "region": table.region[commune],
        "epci": table.epci[commune],
        "lon": lon,
        "lat": lat,
        "street2_number": np.where(second, number2, None),
        "street2_type": np.where(second, type2, None),
        "street2_name": np.where(second, street2, None),
        "lon2": np.where(second, lon2, np.nan),
        "lat2": np.where(second, lat2, np.nan),
        "phone": phone,
        "email": email,
        "website": website,
        "description": description,
        "purchase_families": lists["purchase_families"],
        "waste_types": lists["waste_types"],
        "product_types": lists["product_types"],
        "labels": lists["labels"],
        "est_ess": est_ess,
        "est_siae": est_siae,
        "type_siae": type_siae,
        "in_region": in_region,
        "rna": rna,
        "date_creation": _dates(rng, n),
        "tranche_effectif": _effectifs(rng, kind),
        **{f"src_{s}": src[s] for s in SOURCES},
    }
    # object columns stay object (str or None): converting millions of strings to arrow costs seconds
    frame = pd.DataFrame(
        {k: pd.Series(v, dtype=object) if np.asarray(v).dtype == object else v for k, v in columns.items()}
    )
    frame.attrs.update(seed=int(seed), region=region)
    if national:  # only then: the attrs of the committed demo stay as they were
        frame.attrs["scope"] = scope
    logger.info("demo world: %d actors (seed %d, region %s, scope %s)", n, seed, region, scope)
    return frame


def _only(mask: np.ndarray, make: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Object array with ``make(rows)`` where ``mask`` is set, ``None`` elsewhere."""
    out = np.full(len(mask), None, dtype=object)
    rows = np.flatnonzero(mask)
    out[rows] = make(rows)
    return out


def _effectifs(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """INSEE workforce band codes (``tranche_effectif_salarie``) by kind."""
    out = np.empty(len(kind), dtype=object)
    pick = rng.integers(0, 1 << 20, len(kind))
    for k in codes.ACTOR_KINDS:
        rows = np.flatnonzero(kind == k)
        pool = np.array(_EFFECTIFS.get(k, _DEFAULT_EFFECTIFS), dtype=object)
        out[rows] = pool[pick[rows] % len(pool)]
    return out
