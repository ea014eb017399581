"""Code lists (taxonomies) and their mappings to official nomenclatures.

The taxonomies live in ``data/reference/taxonomy/<name>.json``: each is a JSON list of objects with
at least ``code`` (stable, stored in the data) and ``label`` (French, shown to users). Mappings:

* ``purchase_families``: ``cpv`` (CPV 2008 code prefixes, digits only) and ``naf`` (NAF rév. 2 codes);
* ``waste_types``: ``ewc`` (European List of Waste codes written ``"20 01 21*"``), ``ademe``
  (ADEME « Longue vie aux objets » sous-catégories) and ``group`` (a code of ``waste_groups.json``:
  the families the « Déchets » page shows them in);
* ``circular_actions`` (collecte, tri, traitement…, réemploi, réparation, vente de seconde main,
  location) and ``audiences`` (professionnels, particuliers): what an actor does with waste or objects
  and whom it receives, each with a one-line ``description``;
* ``actor_kinds``: ``group`` and ``reserved_contracts`` (articles of the Code de la commande publique);
* ``legal_form_kinds.json``: ordered rules from INSEE legal-form codes to actor kinds (first match wins).

Lookups tolerate the usual spellings (``"8121Z"``/``"81.21Z"``, ``"90910000-9"``, ``"20 01 21*"``).
Everything is read once and cached; the module never imports streamlit.
"""

from __future__ import annotations

import copy
import csv
import json
import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from mapping import settings

logger = logging.getLogger(__name__)

DATA_DIR = settings.get().reference_dir

#: Taxonomies stored as code lists in the actor table (same names as the schema's code-list columns).
TAXONOMIES = (
    "actor_kinds",
    "purchase_families",
    "waste_types",
    "product_types",
    "labels",
    "circular_actions",
    "audiences",
)
#: Other code lists kept in the taxonomy folder.
OTHER_CODE_LISTS = ("reserved_contracts", "waste_groups")

#: Structures d'insertion par l'activité économique (art. L2113-13 CCP).
SIAE_KINDS = frozenset({"ei", "aci", "ai", "etti", "eiti", "geiq"})

ACTOR_GROUPS = ("ess", "insertion", "handicap", "entreprise", "agriculture", "dechets")
LEGAL_FORM_GROUPS = ("ess", "entreprise", "agriculture", "public", "autre")
LABEL_KINDS = ("food", "repair", "building", "ess", "training", "csr")

CODE_RE = re.compile(r"^[a-z0-9_]+$")
NAF_RE = re.compile(r"^\d{2}\.\d{2}[A-Z]$")
EWC_RE = re.compile(r"^\d{2} \d{2} \d{2}\*?$")
CPV_PREFIX_RE = re.compile(r"^\d{2,8}$")
LEGAL_FORM_RE = re.compile(r"^\d{4}$")


class TaxonomyError(ValueError):
    """Raised when a taxonomy file is missing, unknown or malformed."""


# --------------------------------------------------------------------------------------------
# Normalisation of user/source spellings (pure functions)


def normalize_naf(value: object) -> str:
    """Return a NAF code in compact upper form (``"81.21Z"`` -> ``"8121Z"``, ``"81.21"`` -> ``"8121"``)."""
    return re.sub(r"[^0-9A-Za-z]", "", str(value or "")).upper()


def normalize_cpv(value: object) -> str:
    """Return the significant digits of a CPV code.

    The check digit (after ``-``) is dropped, then trailing zeros (CPV codes are padded to 8 digits),
    keeping at least the 2-digit division: ``"90910000-9"`` -> ``"9091"``, ``"60000000"`` -> ``"60"``.
    """
    text = str(value or "").split("-", 1)[0]
    digits = "".join(ch for ch in text if ch.isdigit())
    significant = digits.rstrip("0")
    return significant if len(significant) >= 2 else digits[:2]


def normalize_ewc(value: object) -> str:
    """Return the 6 digits of an EWC code (``"20 01 21*"`` -> ``"200121"``), or ``""``."""
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    return digits if len(digits) == 6 else ""


def normalize_legal_form(value: object) -> str:
    """Return a 4-digit INSEE legal-form code (``5458``, ``"54.58"`` -> ``"5458"``), or ``""``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    return digits.zfill(4) if 0 < len(digits) <= 4 else ""


# --------------------------------------------------------------------------------------------
# Loading


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        msg = f"taxonomy file not found: {path}"
        raise TaxonomyError(msg) from exc
    except json.JSONDecodeError as exc:
        msg = f"invalid JSON in {path}: {exc}"
        raise TaxonomyError(msg) from exc


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def structure_problems(name: str, data: object) -> list[str]:
    """Problems that make a code-list file unusable: not a list, missing code/label, duplicates."""
    if not isinstance(data, list):
        return [f"{name}: the file must hold a JSON list"]
    found: list[str] = []
    seen: set[str] = set()
    for i, entry in enumerate(data):
        if not isinstance(entry, dict):
            found.append(f"{name}[{i}]: entry is not an object")
            continue
        code = entry.get("code")
        if not isinstance(code, str) or not code:
            found.append(f"{name}[{i}]: missing code")
        elif code in seen:
            found.append(f"{name}[{i}]: duplicate code {code!r}")
        else:
            seen.add(code)
        label = entry.get("label")
        if not isinstance(label, str) or not label.strip():
            found.append(f"{name}[{i}] ({code!r}): missing label")
    return found


def code_list_names() -> tuple[str, ...]:
    return (*TAXONOMIES, *OTHER_CODE_LISTS)


@lru_cache(maxsize=16)
def _entries(name: str) -> tuple[dict[str, Any], ...]:
    if name not in code_list_names():
        msg = f"unknown taxonomy {name!r}; expected one of {', '.join(code_list_names())}"
        raise TaxonomyError(msg)
    data = read_json(DATA_DIR / "taxonomy" / f"{name}.json")
    problems = structure_problems(name, data)
    if problems:
        msg = f"malformed taxonomy file {name}.json: {'; '.join(problems)}"
        raise TaxonomyError(msg)
    return tuple(data)


def entries(name: str) -> list[dict[str, Any]]:
    """Return the entries of taxonomy ``name`` (a copy: callers may modify it).

    Parameters
    ----------
    name
        One of :data:`TAXONOMIES` or ``"reserved_contracts"``.

    Returns
    -------
    list of dict
        Objects with at least ``code`` and ``label``, in file order.

    Raises
    ------
    TaxonomyError
        If ``name`` is unknown or its file is malformed (duplicate code, missing label).
    """
    return copy.deepcopy(list(_entries(name)))


@lru_cache(maxsize=16)
def _codes(name: str) -> tuple[str, ...]:
    return tuple(e["code"] for e in _entries(name))


def codes(name: str) -> list[str]:
    """Return the codes of taxonomy ``name`` in file order."""
    return list(_codes(name))


@lru_cache(maxsize=16)
def _labels(name: str) -> dict[str, str]:
    return {e["code"]: e["label"] for e in _entries(name)}


def label(name: str, code: str) -> str:
    """Return the French label of ``code`` in taxonomy ``name`` (the code itself when unknown)."""
    return _labels(name).get(code, code)


def labels_for(name: str, codes: Iterable[str]) -> list[str]:
    """Return the French labels of ``codes`` (unknown codes are returned unchanged), in input order."""
    return [label(name, c) for c in codes]


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


# --------------------------------------------------------------------------------------------
# Purchase families


@lru_cache(maxsize=1)
def _naf_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for entry in _entries("purchase_families"):
        for naf in entry.get("naf", []):
            index.setdefault(normalize_naf(naf), []).append(entry["code"])
    return {k: tuple(v) for k, v in index.items()}


def families_for_naf(naf: object) -> list[str]:
    """Return the purchase families implied by a NAF rév. 2 code.

    Parameters
    ----------
    naf
        ``"81.21Z"``, ``"8121Z"``, or a class without its letter (``"81.21"``: every subclass).

    Returns
    -------
    list of str
        Family codes in taxonomy order; empty when nothing matches.
    """
    key = normalize_naf(naf)
    if len(key) < 4:
        return []
    index = _naf_index()
    if len(key) == 5:
        matched = set(index.get(key, ()))
    else:
        matched = {f for k, fams in index.items() if k.startswith(key) for f in fams}
    return [c for c in _codes("purchase_families") if c in matched]


def families_for_cpv(cpv: object) -> list[str]:
    """Return the purchase families whose CPV prefixes cover ``cpv``.

    Parameters
    ----------
    cpv
        A CPV code, with or without its check digit (``"90910000-9"``), or a shorter prefix.

    Returns
    -------
    list of str
        Family codes in taxonomy order; a code matches a family when its significant digits start
        with one of the family's prefixes.
    """
    key = normalize_cpv(cpv)
    if len(key) < 2:
        return []
    return [
        e["code"]
        for e in _entries("purchase_families")
        if any(key.startswith(normalize_cpv(p)) for p in e.get("cpv", []))
    ]


# --------------------------------------------------------------------------------------------
# Waste types


@lru_cache(maxsize=1)
def _ewc_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for entry in _entries("waste_types"):
        for code in entry.get("ewc", []):
            index.setdefault(normalize_ewc(code), []).append(entry["code"])
    return {k: tuple(v) for k, v in index.items()}


def waste_types_for_ewc(code: object) -> list[str]:
    """Return the waste types of an EWC code (``"20 01 08"``, ``"200108"``, ``"20 01 21*"``)."""
    return list(_ewc_index().get(normalize_ewc(code), ()))


@lru_cache(maxsize=1)
def _ademe_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for entry in _entries("waste_types"):
        for code in entry.get("ademe", []):
            index.setdefault(code, []).append(entry["code"])
    return {k: tuple(v) for k, v in index.items()}


def waste_types_for_ademe(sous_categorie: object) -> list[str]:
    """Return the waste types of an ADEME « Longue vie aux objets » sous-catégorie code."""
    return list(_ademe_index().get(str(sous_categorie or "").strip().lower(), ()))


def waste_groups() -> list[tuple[str, str, list[str]]]:
    """The families of waste types, in ``waste_groups.json`` order: ``(group code, French label, [waste
    type codes in taxonomy order])``; waste types without a known group come last under « Autres »."""
    members: dict[str, list[str]] = {}
    for entry in _entries("waste_types"):
        members.setdefault(str(entry.get("group") or ""), []).append(entry["code"])
    out = [(e["code"], e["label"], members.pop(e["code"])) for e in _entries("waste_groups") if e["code"] in members]
    rest = [code for codes in members.values() for code in codes]
    if rest:
        out.append(("autres", "Autres déchets", rest))
    return out


def description(name: str, code: str) -> str:
    """The one-line French ``description`` of ``code`` in taxonomy ``name`` (``""`` when it has none)."""
    return next((str(e.get("description") or "") for e in _entries(name) if e["code"] == code), "")


# --------------------------------------------------------------------------------------------
# Actor kinds, legal forms, reserved contracts


def rule_problems(data: object, kinds: set[str] | None = None) -> list[str]:
    name = "legal_form_kinds"
    if not isinstance(data, list):
        return [f"{name}: the file must hold a JSON list"]
    found: list[str] = []
    for i, rule in enumerate(data):
        where = f"{name}[{i}]"
        if not isinstance(rule, dict):
            found.append(f"{where}: rule is not an object")
            continue
        if not isinstance(rule.get("label"), str) or not rule["label"].strip():
            found.append(f"{where}: missing label")
        matchers = [k for k in ("codes", "prefix", "range") if k in rule]
        if not matchers:
            found.append(f"{where}: needs one of codes, prefix, range")
        for c in rule.get("codes", []):
            if not (isinstance(c, str) and LEGAL_FORM_RE.match(c)):
                found.append(f"{where}: bad legal-form code {c!r}")
        if "prefix" in rule and not (isinstance(rule["prefix"], str) and rule["prefix"].isdigit()):
            found.append(f"{where}: bad prefix {rule['prefix']!r}")
        bounds = rule.get("range")
        if bounds is not None and not (
            isinstance(bounds, list)
            and len(bounds) == 2
            and all(isinstance(b, str) and LEGAL_FORM_RE.match(b) for b in bounds)
            and bounds[0] <= bounds[1]
        ):
            found.append(f"{where}: bad range {bounds!r}")
        if not isinstance(rule.get("kinds"), list):
            found.append(f"{where}: kinds must be a list")
        elif kinds is not None:
            found.extend(f"{where}: unknown actor kind {k!r}" for k in rule["kinds"] if k not in kinds)
        if rule.get("group") not in LEGAL_FORM_GROUPS:
            found.append(f"{where}: unknown group {rule.get('group')!r}")
    return found


@lru_cache(maxsize=1)
def _legal_form_rules() -> tuple[dict[str, Any], ...]:
    data = read_json(DATA_DIR / "taxonomy" / "legal_form_kinds.json")
    problems = rule_problems(data)
    if problems:
        msg = f"malformed legal_form_kinds.json: {'; '.join(problems)}"
        raise TaxonomyError(msg)
    return tuple(data)


def rule_matches(rule: dict[str, Any], code: str) -> bool:
    if code in rule.get("codes", ()):
        return True
    prefix = rule.get("prefix")
    if prefix and code.startswith(prefix):
        return True
    bounds = rule.get("range")
    return bool(bounds) and bounds[0] <= code <= bounds[1]


def legal_form_rule(code: object) -> dict[str, Any] | None:
    """Return the first rule of ``legal_form_kinds.json`` matching an INSEE legal-form code."""
    key = normalize_legal_form(code)
    if not key:
        return None
    for rule in _legal_form_rules():
        if rule_matches(rule, key):
            return copy.deepcopy(rule)
    return None


def kinds_for_legal_form(code: object) -> list[str]:
    """Return the actor kinds implied by an INSEE legal-form code (``"9220"`` -> ``["association"]``).

    Parameters
    ----------
    code
        The 4-digit catégorie juridique (``"5458"``, ``5458``).

    Returns
    -------
    list of str
        Actor kind codes; empty for unknown codes and for forms that imply no kind (public bodies…).
    """
    rule = legal_form_rule(code)
    return list(rule["kinds"]) if rule else []


def legal_form_group(code: object) -> str | None:
    """Return the broad group of a legal form (``ess``, ``entreprise``, ``agriculture``, ``public``,
    ``autre``), or None when the code is unknown."""
    rule = legal_form_rule(code)
    return rule["group"] if rule else None


@lru_cache(maxsize=1)
def _legal_forms() -> dict[str, str]:
    return {row["code"]: row["label"] for row in read_csv(DATA_DIR / "legal_forms.csv")}


def legal_form_label(code: object) -> str:
    """Return the INSEE label of a legal-form code (the code itself when unknown)."""
    key = normalize_legal_form(code)
    return _legal_forms().get(key, str(code))


@lru_cache(maxsize=1)
def _naf_labels() -> dict[str, str]:
    return {normalize_naf(row["code"]): row["label"] for row in read_csv(DATA_DIR / "naf.csv")}


def naf_label(naf: object) -> str:
    """Return the French label of a NAF rév. 2 code (``"8121Z"`` or ``"81.21Z"``; itself when unknown)."""
    return _naf_labels().get(normalize_naf(naf), str(naf))


def reserved_contracts(kinds: Iterable[str]) -> list[str]:
    """Return the reserved-contract articles open to an actor with ``kinds`` (sorted, unique)."""
    by_kind = {e["code"]: e.get("reserved_contracts", []) for e in _entries("actor_kinds")}
    return sorted({article for kind in kinds for article in by_kind.get(kind, [])})


def reserved_contract_label(article: str) -> str:
    """Return the French label of a reserved-contract article (``"L2113-12"``), itself when unknown."""
    return label("reserved_contracts", article)


def is_siae(kinds: Iterable[str]) -> bool:
    """True when one of ``kinds`` is a structure d'insertion par l'activité économique."""
    return any(k in SIAE_KINDS for k in kinds)


def clear_caches() -> None:
    """Forget every cached table (after the files changed on disk)."""
    for fn in (
        _entries,
        _codes,
        _labels,
        _naf_index,
        _ewc_index,
        _ademe_index,
        _legal_form_rules,
        _legal_forms,
        _naf_labels,
    ):
        fn.cache_clear()
