"""Referential integrity of the taxonomy files (``data/reference/taxonomy/*.json``): :func:`check`.

Every mapping points at existing codes, every code list is well formed, every legal-form rule names
known kinds; ``scripts/derive_reference.py`` and the tests run it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mapping.reference import taxonomy
from mapping.reference.taxonomy import (
    ACTOR_GROUPS,
    CODE_RE,
    CPV_PREFIX_RE,
    EWC_RE,
    LABEL_KINDS,
    NAF_RE,
    TaxonomyError,
    code_list_names,
    read_csv,
    read_json,
    rule_matches,
    rule_problems,
    structure_problems,
)

logger = logging.getLogger(__name__)


def _list_field(entry: dict[str, Any], field: str) -> list[Any]:
    value = entry.get(field, [])
    return value if isinstance(value, list) else []


def check(data_dir: Path | None = None) -> list[str]:
    """Check every taxonomy file and its references to the reference tables.

    Parameters
    ----------
    data_dir
        A ``data/reference``-like folder (default: the project's). Files are read afresh, bypassing
        the caches, so a modified copy can be checked.

    Returns
    -------
    list of str
        One message per problem (empty when everything is consistent).
    """
    root = Path(data_dir) if data_dir is not None else taxonomy.DATA_DIR
    found: list[str] = []
    data: dict[str, list[dict[str, Any]]] = {}
    for name in code_list_names():
        try:
            raw = read_json(root / "taxonomy" / f"{name}.json")
        except TaxonomyError as exc:
            found.append(str(exc))
            continue
        problems = structure_problems(name, raw)
        found.extend(problems)
        if isinstance(raw, list):
            data[name] = [e for e in raw if isinstance(e, dict)]
        for entry in data.get(name, []):
            code = entry.get("code")
            if isinstance(code, str) and not CODE_RE.match(code) and name != "reserved_contracts":
                found.append(f"{name}: code {code!r} must be lowercase ascii, digits and '_'")

    naf_codes = {row["code"] for row in read_csv(root / "naf.csv")}
    ewc_codes = {row["code"] for row in read_csv(root / "ewc.csv") if row["niveau"] == "3"}
    ademe_codes = {row["sous_categorie_code"] for row in read_csv(root / "ademe_sous_categories.csv")}
    legal_codes = [row["code"] for row in read_csv(root / "legal_forms.csv")]
    articles = {e.get("code") for e in data.get("reserved_contracts", [])}
    kinds = {e.get("code") for e in data.get("actor_kinds", [])}

    for entry in data.get("purchase_families", []):
        where = f"purchase_families/{entry.get('code')}"
        for naf in _list_field(entry, "naf"):
            if not (isinstance(naf, str) and NAF_RE.match(naf)) or naf not in naf_codes:
                found.append(f"{where}: unknown NAF code {naf!r}")
        for prefix in _list_field(entry, "cpv"):
            if not (isinstance(prefix, str) and CPV_PREFIX_RE.match(prefix)):
                found.append(f"{where}: CPV prefix {prefix!r} must be 2 to 8 digits")
            elif len(prefix) > 2 and prefix.endswith("0"):
                found.append(f"{where}: CPV prefix {prefix!r} has padding zeros")
        if not _list_field(entry, "cpv") and not _list_field(entry, "naf"):
            found.append(f"{where}: no CPV prefix nor NAF code")
    groups = {e.get("code") for e in data.get("waste_groups", [])}
    for entry in data.get("waste_types", []):
        where = f"waste_types/{entry.get('code')}"
        if entry.get("group") not in groups:
            found.append(f"{where}: unknown group {entry.get('group')!r}")
        for code in _list_field(entry, "ewc"):
            if not (isinstance(code, str) and EWC_RE.match(code)) or code not in ewc_codes:
                found.append(f"{where}: unknown EWC code {code!r}")
        for code in _list_field(entry, "ademe"):
            if code not in ademe_codes:
                found.append(f"{where}: unknown ADEME sous-catégorie {code!r}")
        if not _list_field(entry, "ewc") and not _list_field(entry, "ademe"):
            found.append(f"{where}: no EWC code nor ADEME sous-catégorie")
        if entry.get("hazardous") and not any(str(c).endswith("*") for c in _list_field(entry, "ewc")):
            found.append(f"{where}: hazardous but no hazardous (*) EWC code")
    for entry in data.get("actor_kinds", []):
        where = f"actor_kinds/{entry.get('code')}"
        if entry.get("group") not in ACTOR_GROUPS:
            found.append(f"{where}: unknown group {entry.get('group')!r}")
        if not isinstance(entry.get("reserved_contracts"), list):
            found.append(f"{where}: reserved_contracts must be a list")
        else:
            found.extend(
                f"{where}: unknown reserved-contract article {a!r}"
                for a in entry["reserved_contracts"]
                if a not in articles
            )
    for name in ("circular_actions", "audiences"):
        for entry in data.get(name, []):
            if not isinstance(entry.get("description"), str) or not entry["description"].strip():
                found.append(f"{name}/{entry.get('code')}: missing description")
    for entry in data.get("labels", []):
        if entry.get("kind") not in LABEL_KINDS:
            found.append(f"labels/{entry.get('code')}: unknown kind {entry.get('kind')!r}")

    try:
        rules = read_json(root / "taxonomy" / "legal_form_kinds.json")
    except TaxonomyError as exc:
        found.append(str(exc))
    else:
        bad_rules = rule_problems(rules, kinds)
        found.extend(bad_rules)
        if not bad_rules:
            unmatched = [c for c in legal_codes if not any(rule_matches(r, c) for r in rules)]
            if unmatched:
                found.append(f"legal_form_kinds: no rule for legal forms {', '.join(unmatched)}")
    for problem in found:
        logger.debug("taxonomy check: %s", problem)
    return found


__all__ = ["check"]
