"""Row-level validation of a partner file: every data row is imported or rejected with its line
number and a French reason; nothing is dropped silently (``imported + rejected == rows_read``).

:func:`validate_file` reads a file (:mod:`connectors.partner_files`), finds its header, checks each
row (name, SIRET checksum, postcode and commune, coordinates, dates, vocabularies) and returns the
accepted rows (canonical keys, taxonomy codes) with a :class:`ValidationReport`.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from connectors.normalize import french_phone
from connectors.partner_files import (
    PartnerFileError,
    PartnerSpec,
    Table,
    expected_headers,
    find_header,
    fold,
    load_spec,
    read_tables,
)
from connectors.partner_join import join_products, split_workbook
from connectors.partner_report import COLUMN_LABELS, Duplicate, Rejection, ValidationReport
from mapping.reference import geography, schema, taxonomy

_SPLIT_RE = re.compile(r"\s*(?:[;|\n/]|\s\+\s)\s*")
_COMMA_RE = re.compile(r"\s*,(?!\d)\s*")
_DATE_RES = (
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2})$"), ("d", "m", "yy")),
)
_NAF_RE = re.compile(r"^(\d{2})\.?(\d{2})([A-Za-z])$")
#: Margin (degrees) around the region's bounding box for coordinates.
BBOX_MARGIN = 0.05
EXCERPT_CHARS = 120
#: ``find_commune(*, postcode=None, city=None) -> commune row | None``.
FindCommune = Callable[..., dict | None]


# --------------------------------------------------------------------------- value parsers


def parse_date(text: str) -> str | None:
    """``dd/mm/YYYY``, ``dd/mm/YY`` or ISO -> ``YYYY-MM-DD``; None when unreadable."""
    for pattern, order in _DATE_RES:
        match = pattern.match(text.strip())
        if not match:
            continue
        parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
        year = parts.get("y") or 2000 + parts["yy"]
        try:
            return date(year, parts["m"], parts["d"]).isoformat()
        except ValueError:
            return None
    return None


def parse_number(text: str) -> float | None:
    """A decimal number with ``.`` or ``,``; None when unreadable or not finite."""
    try:
        value = float(text.strip().replace(",", ".").replace(" ", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def clean_naf(text: str) -> str | None:
    """``"8121Z"``, ``"81.21z"`` -> ``"81.21Z"``; None when not a NAF code."""
    match = _NAF_RE.match(text.strip().replace(" ", ""))
    return f"{match[1]}.{match[2]}{match[3].upper()}" if match else None


def split_values(text: str, known: Mapping[str, Any] | None = None) -> list[str]:
    """Cell of a multi-valued column -> values, split on ``;``, ``|``, ``/``, `` + ``, line breaks,
    then on commas for the parts that are not a ``known`` (folded) value as a whole."""
    values = []
    for part in _SPLIT_RE.split(text):
        if not part.strip():
            continue
        if known is not None and fold(part) in known:
            values.append(part.strip())
        else:
            values.extend(v.strip() for v in _COMMA_RE.split(part) if v.strip())
    return values


def source_key(values: dict[str, str], siret: str | None) -> tuple[str, str]:
    """``(source_id, why)``: the partner's identifier, else the SIRET, else a hash of name + place."""
    if values.get("id"):
        return values["id"].strip(), "même identifiant"
    if siret:
        return siret, "même SIRET"
    basis = f"{fold(values.get('name'))}|{values.get('postcode', '').strip() or fold(values.get('city'))}"
    return "n" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12], "même nom et même code postal"


# --------------------------------------------------------------------------- validation


def _excerpt(cells: list[str]) -> str:
    text = " | ".join(c for c in cells if c)
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def _codes(spec: PartnerSpec, column: str, text: str, warn: list[str]) -> dict[str, list[str]]:
    table = spec.vocabularies.get(column, {})
    found: dict[str, list[str]] = {}
    whole = table.get(fold(text))
    values = [text] if whole is not None or column not in spec.multi_valued else split_values(text, table)
    for value in values:
        entry = table.get(fold(value))
        if entry is None:
            warn.append(f"valeur inconnue ignorée ({COLUMN_LABELS.get(column, column)}) : « {value} »")
            continue
        for target, codes in entry.items():
            found.setdefault(target, []).extend(codes)
    return found


def cached_find_commune() -> FindCommune:
    """:func:`mapping.reference.geography.find_commune` memoised per distinct ``(postcode, city)``: the rows of
    a file repeat the same few hundred communes, and a fuzzy lookup costs ~1 ms."""
    found: dict[tuple[str | None, str | None], dict | None] = {}

    def find(*, postcode: str | None = None, city: str | None = None) -> dict | None:
        key = (postcode, city)
        if key not in found:
            found[key] = geography.find_commune(postcode=postcode, city=city)
        return found[key]

    return find


def _place(
    values: dict[str, str], point: tuple[float, float] | None, region_deps: set[str], find_commune: FindCommune
) -> tuple[dict, str]:
    """``(commune row or {}, reason)``; reason is empty when the row can be located."""
    postcode_text = values.get("postcode", "").strip()
    city = values.get("city", "").strip()
    if postcode_text:
        postcode = geography.clean_postcode(postcode_text)
        if not postcode:
            return {}, f"code postal invalide : « {postcode_text} »"
        if not geography.is_known_postcode(postcode):
            return {}, f"code postal inconnu : « {postcode_text} »"
        row = find_commune(postcode=postcode, city=city or None)
        if row is None and point is None:
            return {}, f"commune introuvable pour le code postal {postcode} : « {city} »"
    elif city:
        row = find_commune(city=city)
        if row is None and point is None:
            return {}, f"commune inconnue dans la région : « {city} »"
    elif point is None:
        return {}, "adresse insuffisante : ni code postal, ni commune, ni coordonnées"
    else:
        row = None
    if row is not None and row["departement"] not in region_deps:
        return {}, f"commune hors région : {row['nom']} (département {row['departement']})"
    return row or {}, ""


def _point(values: dict[str, str], bbox: tuple[float, float, float, float]) -> tuple[tuple[float, float] | None, str]:
    lat_text, lon_text = values.get("lat", "").strip(), values.get("lon", "").strip()
    if not lat_text and not lon_text:
        return None, ""
    if not lat_text or not lon_text:
        return None, "coordonnées incomplètes (latitude et longitude attendues)"
    lat, lon = parse_number(lat_text), parse_number(lon_text)
    if lat is None or lon is None:
        return None, f"coordonnées illisibles : latitude « {lat_text} », longitude « {lon_text} »"
    west, south, east, north = bbox
    inside = west - BBOX_MARGIN <= lon <= east + BBOX_MARGIN and south - BBOX_MARGIN <= lat <= north + BBOX_MARGIN
    if not inside:
        return None, f"coordonnées hors de la région ({lat}, {lon}) : latitude et longitude inversées ?"
    return (lon, lat), ""


def check_row(
    spec: PartnerSpec,
    values: dict[str, str],
    *,
    region_deps: set[str],
    bbox: tuple[float, float, float, float],
    find_commune: FindCommune | None = None,
) -> tuple[dict[str, Any] | None, str, list[str]]:
    """``(row, reason, warnings)``: the canonical row, or None with the French reason of the refusal.

    ``find_commune`` (default :func:`mapping.reference.geography.find_commune`) may be a memoised lookup shared
    by the rows of a file (:func:`cached_find_commune`); the commune rows it returns are only read.
    """
    warn: list[str] = []
    name = " ".join(values.get("name", "").split())
    if not name:
        return None, "nom manquant", warn
    siret = None
    siret_text = values.get("siret", "").strip()
    if siret_text:
        digits = "".join(ch for ch in siret_text if ch.isdigit())
        if len(digits) != 14 or len(digits) != len(siret_text.replace(" ", "").replace(".", "")):
            return None, f"SIRET invalide (14 chiffres attendus) : « {siret_text} »", warn
        if not schema.is_valid_siret(digits):
            return None, f"SIRET invalide (clé de contrôle) : « {siret_text} »", warn
        siret = digits
    point, reason = _point(values, bbox)
    if reason:
        return None, reason, warn
    commune, reason = _place(values, point, region_deps, find_commune or geography.find_commune)
    if reason:
        return None, reason, warn
    codes: dict[str, list[str]] = {col: list(spec.defaults.get(col, [])) for col in schema.CODE_LIST_COLUMNS}
    for column in spec.vocabularies:
        if values.get(column, "").strip():
            for target, found in _codes(spec, column, values[column], warn).items():
                codes.setdefault(target, []).extend(found)
    naf = None
    if values.get("naf", "").strip():
        naf = clean_naf(values["naf"])
        if naf is None:
            warn.append(f"code NAF illisible ignoré : « {values['naf'].strip()} »")
        else:
            codes["purchase_families"].extend(taxonomy.families_for_naf(naf))
    updated = None
    if values.get("updated_at", "").strip():
        updated = parse_date(values["updated_at"])
        if updated is None:
            warn.append(f"date illisible ignorée : « {values['updated_at'].strip()} »")
    address = ", ".join(v for v in (values.get("address", "").strip(), values.get("address2", "").strip()) if v)
    key, why = source_key(values, siret)
    row = {
        "source_id": key,
        "key_reason": why,
        "name": name,
        "siret": siret,
        "address": address or None,
        "postcode": geography.clean_postcode(values.get("postcode")) or None,
        "city": values.get("city", "").strip() or commune.get("nom"),
        "code_insee": commune.get("code_insee"),
        "lon": point[0] if point else None,
        "lat": point[1] if point else None,
        "phone": french_phone(values.get("phone", "")),
        "email": values.get("email", "").strip() or None,
        "website": values.get("website", "").strip() or None,
        "description": values.get("description", "").strip() or None,
        "naf": naf,
        "updated_at": updated,
        "product": values.get("product", "").strip() or None,
        **{col: list(dict.fromkeys(codes.get(col, []))) for col in schema.CODE_LIST_COLUMNS},
    }
    return row, "", warn


def validate_table(
    table: Table, spec: PartnerSpec, report: ValidationReport, *, region: str | None = None, keep_values: bool = False
) -> list[dict[str, Any]]:
    """Accepted rows of ``table`` (each with its ``line``; ``keep_values``: its cells by column in ``_values``);
    fills ``report``.

    Raises
    ------
    PartnerFileError
        When no header row is found.
    """
    found = find_header(table, spec)
    if found is None:
        msg = f"ligne d'en-tête introuvable : colonnes attendues {expected_headers(spec)}"
        raise PartnerFileError(spec.source, msg)
    position, mapping = found
    header_line, header_cells = table.rows[position]
    report.sheet, report.encoding, report.delimiter = table.sheet, table.encoding, table.delimiter
    report.header_line = header_line
    report.columns = {header_cells[i]: col for i, col in sorted(mapping.items())}
    report.ignored_columns = [c for i, c in enumerate(header_cells) if c and i not in mapping]
    region_deps = set(geography.departements(region))
    bbox = geography.region_bbox(region)
    find_commune = cached_find_commune()
    accepted: list[dict[str, Any]] = []
    exact_seen: dict[tuple, int] = {}
    key_seen: dict[str, int] = {}
    for line, cells in table.rows[position + 1 :]:
        if not any(cells):
            report.blank_lines += 1
            continue
        report.rows_read += 1
        values = {col: cells[i] if i < len(cells) else "" for i, col in mapping.items()}
        signature = tuple(fold(values[c]) for c in sorted(values))
        if signature in exact_seen:
            report.duplicates.append(Duplicate(line, exact_seen[signature], True))
            reason = f"doublon exact de la ligne {exact_seen[signature]}"
            report.rejected.append(Rejection(line, reason, _excerpt(cells)))
            continue
        exact_seen[signature] = line
        row, reason, warnings = check_row(spec, values, region_deps=region_deps, bbox=bbox, find_commune=find_commune)
        if row is None:
            report.rejected.append(Rejection(line, reason, _excerpt(cells)))
            continue
        if not spec.rows_per_company and row["source_id"] in key_seen:
            first = key_seen[row["source_id"]]
            report.duplicates.append(Duplicate(line, first, False))
            reason = f"{row['key_reason']} que la ligne {first} : structure déjà importée"
            report.rejected.append(Rejection(line, reason, _excerpt(cells)))
            continue
        key_seen.setdefault(row["source_id"], line)
        report.warnings.extend((line, w) for w in warnings)
        row["line"] = line
        if keep_values:
            row["_values"] = values
        accepted.append(row)
    report.imported = len(accepted)
    return accepted


def validate_file(
    source: str, title: str, content: bytes, file_name: str, *, region: str | None = None
) -> tuple[list[dict[str, Any]], ValidationReport]:
    """Read and validate a partner file; a file that cannot be read gives ``report.fatal``.

    The first sheet with a recognisable header is used (the others are named in the report's
    ignored columns when they hold data), unless the source allows a separate products sheet and the
    workbook has one (:mod:`connectors.partner_join`): then the products are joined to their companies.
    """
    spec = load_spec(source)
    report = ValidationReport(source=source, title=title, file_name=file_name)
    try:
        tables = read_tables(content, file_name)
        book = split_workbook(tables, spec)
        if book is not None:
            companies = validate_table(book.companies, spec, report, region=region, keep_values=True)
            region_deps, bbox = set(geography.departements(region)), geography.region_bbox(region)
            find = cached_find_commune()

            def check(values: dict[str, str]) -> tuple[dict[str, Any] | None, str, list[str]]:
                return check_row(spec, values, region_deps=region_deps, bbox=bbox, find_commune=find)

            return join_products(book, spec, companies, report, check), report
        last_error: PartnerFileError | None = None
        for table in tables:
            try:
                rows = validate_table(table, spec, report, region=region)
            except PartnerFileError as exc:
                last_error = exc
                continue
            return rows, report
        if last_error is not None:
            raise last_error
        raise PartnerFileError(source, "aucune feuille lisible")
    except PartnerFileError as exc:
        report.fatal = exc.detail
        return [], report
