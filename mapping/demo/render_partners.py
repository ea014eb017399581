"""Partner files of the demo world: the spreadsheets CRESS, URSCOP, France Active, « C du Centre »
and AGIRE send, with the messiness real ones have.

* ``cress.xlsx``: merged title rows, a blank line before the header, members' numbers, blank lines;
* ``urscop.csv``: ``;``-separated, Windows-1252, a title line, NAF codes without dot;
* ``france_active.csv``: ``,``-separated, UTF-8 with BOM, quoted addresses holding commas;
* ``cducentre.xlsx``: a companies sheet « Entreprises » (coordinates for half of them, some typed as text
  with a decimal comma) and a « Produits » sheet keyed by « Code adhérent » (product names, families,
  labels AB/AOP/IGP), as Dev'Up exports them; two product lines name a company that does not exist;
* ``agire.csv``: tab-separated UTF-8, several natures of waste per cell.

Everywhere: names and cities retyped (:mod:`mapping.demo.variants`), trailing spaces, dates in
French format, SIRETs with spaces, and about 2 % of bad rows (missing name, wrong SIRET checksum,
unknown postcode, unreadable coordinates, exact duplicates). Each file goes through the real import
(:func:`mapping.build.imports.prepare_import`): the snapshot holds the file, ``enrichment.json`` from the
world's own Annuaire des Entreprises view, and a manifest with the import report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

import connectors
from connectors.base import SnapshotFile
from mapping.build import enrich, imports
from mapping.demo import render_recherche_entreprises
from mapping.demo.rendered import Rendered
from mapping.demo.variants import street_line, vary_name, vary_phone, vary_website
from mapping.reference import taxonomy

#: Share of rows made bad on purpose, and of rows repeated exactly.
BAD_SHARE = 0.012
DUPLICATE_SHARE = 0.008
_FAMILY = {
    "association": "Association",
    "fondation": "Fondation",
    "mutuelle": "Mutuelle",
    "scop": "SCOP",
    "scic": "SCIC",
    "cae": "CAE",
    "ei": "Entreprise d'insertion",
    "aci": "Association",
    "esat": "Association",
    "ea": "Entreprise adaptée",
}
_PRODUCTS = {
    "legumes": ("Pommes de terre", "Carottes", "Poireaux", "Courges", "Salades", "Tomates anciennes"),
    "fruits": ("Pommes", "Poires", "Jus de pomme", "Compote pomme-poire", "Fraises"),
    "produits_laitiers": ("Yaourt nature", "Fromage blanc", "Crème fraîche", "Beurre doux", "Lait entier"),
    "fromages": ("Crottin affiné", "Bûche de chèvre", "Tomme de vache", "Pyramide cendrée", "Faisselle de chèvre"),
    "viandes": ("Colis de bœuf", "Agneau du Berry", "Côtes de porc", "Steak haché"),
    "volailles": ("Poulet fermier", "Pintade", "Canard", "Chapon"),
    "oeufs": ("Œufs plein air x6", "Œufs x12", "Œufs extra-frais"),
    "charcuterie": ("Rillettes de Tours", "Rillons", "Pâté de campagne", "Andouillette", "Saucisson sec"),
    "cereales_farines": ("Farine de blé T65", "Farine de sarrasin", "Pâtes fermières", "Semoule"),
    "pain_viennoiserie": ("Pain de campagne", "Brioche", "Sablés", "Galette"),
    "legumineuses": ("Lentilles vertes", "Pois chiches", "Haricots secs"),
    "epicerie": ("Confiture de fraises", "Moutarde", "Vinaigre de cidre", "Biscuits"),
    "boissons": ("Bière blonde", "Cidre brut", "Jus de raisin", "Limonade"),
    "vins": ("Vin blanc", "Vin rouge", "Vin rosé", "Crémant de Loire"),
    "miel": ("Miel de fleurs", "Miel d'acacia", "Pain d'épices"),
    "poissons": ("Filets de sandre", "Truite fumée", "Rillettes de carpe"),
    "plats_cuisines": ("Lentilles cuisinées", "Terrine", "Velouté de légumes"),
    "huiles": ("Huile de colza", "Huile de tournesol", "Huile de noix"),
}
_LABEL_TEXT = {"ab": ("AB", "Bio", "Agriculture biologique"), "hve": ("HVE",), "label_rouge": ("Label Rouge",)}
_WASTE_TEXT = {"deee": "DEEE", "dib_melange": "DAE", "papiers_cartons": "Papiers-cartons", "dechets_dangereux": "DDS"}
_AGIRE_TYPES = {"decheterie": "Déchèterie professionnelle", "icpe": "Installation de traitement"}
_ADVISERS = ("C. Martin", "J. Petit", "A. Roux")
_index_cache: dict[tuple[int, int], tuple[dict, str]] = {}


def _re_index(world: pd.DataFrame, seed: int, fetched_at: datetime) -> tuple[dict, str]:
    """Annuaire des Entreprises index of the world's own recherche_entreprises view (cached)."""
    key = (id(world), seed)
    if key not in _index_cache:
        rendered = render_recherche_entreprises.render(world, seed=seed, fetched_at=fetched_at)
        connector = connectors.get("recherche_entreprises")
        files = [SnapshotFile(path, content) for path, content in rendered.files]
        records = connector.normalize(connector.parse(files, region=world.attrs.get("region")))
        _index_cache.clear()
        _index_cache[key] = (enrich.index_from_records(records), fetched_at.isoformat(timespec="seconds"))
    return _index_cache[key]


def _fr_date(rng: np.random.Generator, when: datetime, max_days: int = 1500) -> str:
    return (when - timedelta(days=int(rng.integers(10, max_days)))).strftime("%d/%m/%Y")


def _siret(rng: np.random.Generator, siret: Any, share: float) -> str:
    if not isinstance(siret, str) or rng.random() >= share:
        return ""
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}" if rng.random() < 0.3 else siret


def _common(rng: np.random.Generator, row: Any, siret_share: float) -> dict[str, str]:
    number, street = street_line(rng, row.street_number, row.street_type, row.street_name)
    city = row.city.upper() if rng.random() < 0.15 else row.city
    name = vary_name(rng, row.name, row.kind)
    return {
        "name": name + (" " if rng.random() < 0.1 else ""),
        "siret": _siret(rng, row.siret, siret_share),
        "address": f"{number}, {street}" if number else street,
        "postcode": row.postcode,
        "city": city + ("  " if rng.random() < 0.05 else ""),
        "phone": vary_phone(rng, row.phone) or "",
        "email": row.email if isinstance(row.email, str) and rng.random() < 0.8 else "",
        "website": vary_website(rng, row.website) or "",
    }


def _spoil(rng: np.random.Generator, values: dict[str, str], *, coords: bool) -> None:
    """Make one row bad the way real files are (the import must refuse it)."""
    kinds = ["name", "postcode", "siret"] + (["coords"] if coords else [])
    kind = kinds[int(rng.integers(0, len(kinds)))]
    if kind == "name":
        values["name"] = ""
    elif kind == "postcode":
        values["postcode"] = values["postcode"][:2] + "999"
    elif kind == "siret" and values.get("siret"):
        digits = values["siret"].replace(" ", "")
        values["siret"] = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    elif kind == "coords":
        values["lat"], values["lon"] = "47°23'N", "1,9"
    else:
        values["name"] = ""


def _cress(rng: np.random.Generator, row: Any, when: datetime, i: int) -> dict[str, str]:
    family = _FAMILY.get(row.kind, "Entreprise ESUS")
    return {
        "N° adhérent": f"CR{i + 1:05d}",
        "Raison sociale": "",
        "Famille de l'ESS": family if rng.random() < 0.95 else "",
        "N° SIRET": "",
        "Adresse": "",
        "Code postal": "",
        "Ville": "",
        "Téléphone": "",
        "Courriel": "",
        "Site internet": "",
        "Activité": row.description.split(" : ")[0],
        "Date de mise à jour": _fr_date(rng, when),
        "Secteur": "",
    }


def _layout(source: str) -> dict[str, Any]:
    """Header cells of each canonical value, per source."""
    return {
        "cress": {"name": "Raison sociale", "siret": "N° SIRET", "address": "Adresse", "postcode": "Code postal",
                  "city": "Ville", "phone": "Téléphone", "email": "Courriel", "website": "Site internet"},
        "urscop": {"name": "Dénomination", "siret": "SIRET", "address": "Adresse", "postcode": "CP", "city": "Ville",
                   "phone": "Tél.", "email": "Mail", "website": "Site"},
        "france_active": {"name": "Nom de l'entreprise", "siret": "Siret", "address": "Adresse",
                          "postcode": "Code postal", "city": "Commune"},
        "cducentre": {"name": "Entreprise", "siret": "SIRET", "address": "Adresse", "postcode": "CP",
                      "city": "Commune", "phone": "Téléphone", "website": "Site web"},
        "agire": {"name": "Structure", "siret": "SIRET", "address": "Adresse", "postcode": "Code postal",
                  "city": "Commune", "phone": "Téléphone", "email": "Courriel"},
    }[source]  # fmt: skip


def _urscop(rng: np.random.Generator, row: Any, when: datetime, i: int) -> dict[str, str]:
    form = {"5458": "SCOP SA", "5558": "SCOP SARL", "5658": "SCOP SAS"}.get(row.legal_form)
    kind = form or {"scic": "SCIC", "cae": "CAE"}.get(row.kind, "SCOP")
    if kind == "SCIC" and rng.random() < 0.5:
        kind = "SCIC " + {"5710": "SAS", "5560": "SA", "5460": "SARL"}.get(row.legal_form, "SAS")
    return {"Dénomination": "", "Type": kind, "SIRET": "", "Adresse": "", "CP": "", "Ville": "", "Tél.": "",
            "Mail": "", "Site": "", "Code APE": str(row.naf).replace(".", ""),
            "Date d'adhésion": _fr_date(rng, when, 6000)}  # fmt: skip


def _france_active(rng: np.random.Generator, row: Any, when: datetime, i: int) -> dict[str, str]:
    status = _FAMILY.get(row.kind, "Entreprise ESUS")
    esus = "Oui" if row.kind not in _FAMILY and rng.random() < 0.7 else ("Non" if rng.random() < 0.8 else "")
    amount = f"{int(rng.integers(5, 150)) * 1000:,}".replace(",", " ")
    return {"Nom de l'entreprise": "", "Siret": "", "Statut": status, "Agrément ESUS": esus, "Adresse": "",
            "Code postal": "", "Commune": "", "Date de financement": _fr_date(rng, when, 2500),
            "Montant accordé (€)": amount, "Chargé(e) d'affaires": _ADVISERS[i % 3]}  # fmt: skip


def _coords(rng: np.random.Generator, row: Any, sigma: float) -> tuple[Any, Any]:
    lat = round(float(row.lat + rng.normal(0, sigma) / 111_320.0), 5)
    lon = round(float(row.lon + rng.normal(0, sigma) / (111_320.0 * np.cos(np.radians(row.lat)))), 5)
    if rng.random() < 0.3:
        return str(lat).replace(".", ","), str(lon).replace(".", ",")
    return lat, lon


def _agire(rng: np.random.Generator, row: Any, when: datetime, i: int) -> dict[str, str]:
    natures = [_WASTE_TEXT.get(c) or taxonomy.label("waste_types", c) for c in row.waste_types]
    sep = ("; ", " / ", "\n", "; ")[i % 4]
    lat, lon = _coords(rng, row, 50.0) if rng.random() < 0.6 else ("", "")
    kind = _AGIRE_TYPES.get(row.kind) or ("Ressourcerie" if "reemploi_reparation" in row.purchase_families else "")
    return {"Structure": "", "SIRET": "", "Type de prestataire": kind or "Collecteur",
            "Natures de déchets acceptées": sep.join(natures), "Adresse": "", "Code postal": "", "Commune": "",
            "Lat": lat, "Lon": lon, "Téléphone": "", "Courriel": "",
            "Date de référencement": _fr_date(rng, when)}  # fmt: skip


#: Product names of a protected designation, for a product of that family carrying it.
_SIGNED_PRODUCTS = {
    ("fromages", "aop_crottin_chavignol"): "Crottin de Chavignol AOP",
    ("fromages", "aop_sainte_maure"): "Sainte-Maure de Touraine AOP",
    ("fromages", "aop_selles_sur_cher"): "Selles-sur-Cher AOP",
    ("fromages", "aop_valencay"): "Valençay AOP",
    ("fromages", "aop_pouligny_saint_pierre"): "Pouligny-Saint-Pierre AOP",
    ("legumineuses", "igp_lentille_verte_berry"): "Lentilles vertes du Berry",
    ("volailles", "igp_volailles_berry"): "Volaille fermière du Berry IGP",
    ("volailles", "igp_volailles_orleanais"): "Volaille de l'Orléanais IGP",
}
#: Product lines of the demo « Produits » sheet naming a company code absent from the companies sheet.
ORPHAN_PRODUCTS = 2


def _cducentre_company(rng: np.random.Generator, row: Any, i: int) -> dict[str, Any]:
    company = {"Code adhérent": f"CDC-{i + 1:04d}", "Entreprise": "", "SIRET": "",
               "Type d'entreprise": "Producteur" if row.kind == "producteur" else "Transformateur",
               "Adresse": "", "CP": "", "Commune": "", "Latitude": "", "Longitude": "",
               "Téléphone": "", "Site web": ""}  # fmt: skip
    if rng.random() < 0.5:
        company["Latitude"], company["Longitude"] = _coords(rng, row, 80.0)
    return company


def _cducentre_products(rng: np.random.Generator, row: Any, when: datetime, code: str) -> list[dict[str, Any]]:
    """The rows of one company in the « Produits » sheet (4 to 20 products)."""
    labels = [c for c in row.labels if c != "c_du_centre"]
    families = list(row.product_types)
    out = []
    for k in range(int(rng.integers(4, 21))):
        family = families[k % len(families)] if k < len(families) else families[int(rng.integers(0, len(families)))]
        product = _PRODUCTS[family][int(rng.integers(0, len(_PRODUCTS[family])))]
        label = ""
        if labels and (k < len(labels) or rng.random() < 0.5):
            code_label = labels[k % len(labels)]
            choices = _LABEL_TEXT.get(code_label, (taxonomy.label("labels", code_label),))
            label = choices[int(rng.integers(0, len(choices)))]
            product = _SIGNED_PRODUCTS.get((family, code_label), product)
        family_text = taxonomy.label("product_types", family)
        out.append({"Code adhérent": code, "Produit": f"{product} ", "Famille de produits": family_text,
                    "Signe de qualité": label, "Date d'agrément": _fr_date(rng, when, 2000)})  # fmt: skip
    return out


def cducentre_sheets(
    world: pd.DataFrame, rng: np.random.Generator, when: datetime
) -> tuple[list[tuple[dict, str | None]], list[dict]]:
    """The two sheets of the « C du Centre » workbook: ``(companies with their actor_id or None for rows that
    must be refused, product rows)``; a few product lines name a company code that does not exist."""
    listed = world[world["src_cducentre"].to_numpy(dtype=bool)]
    layout = _layout("cducentre")
    companies: list[tuple[dict, str | None]] = []
    products: list[dict] = []
    for i, row in enumerate(listed.itertuples(index=False)):
        common = _common(rng, row, _SIRET_SHARE["cducentre"])
        cells = _cducentre_company(rng, row, i)
        products.extend(_cducentre_products(rng, row, when, cells["Code adhérent"]))
        bad = rng.random() < BAD_SHARE
        if bad:
            spoiled = dict(common, lat="")
            _spoil(rng, spoiled, coords=True)
            common = spoiled
        for canonical, header in layout.items():
            cells[header] = common[canonical]
        if bad and common.get("lat"):
            cells["Latitude"], cells["Longitude"] = common["lat"], common["lon"]
        companies.append((cells, None if bad else row.actor_id))
        if rng.random() < DUPLICATE_SHARE:
            companies.append((dict(cells), None))
    for k in range(ORPHAN_PRODUCTS):
        at = int(rng.integers(0, len(products) + 1))
        orphan = {**products[at % len(products)], "Code adhérent": f"CDC-{9990 + k}"} if products else None
        if orphan:
            products.insert(at, orphan)
    return companies, products


_ROW_MAKERS: dict[str, Callable[..., Any]] = {
    "cress": _cress,
    "urscop": _urscop,
    "france_active": _france_active,
    "agire": _agire,
}
_SIRET_SHARE = {"cress": 0.6, "urscop": 0.85, "france_active": 0.7, "cducentre": 0.5, "agire": 0.5}


def marker_rows(
    source: str, world: pd.DataFrame, rng: np.random.Generator, when: datetime
) -> list[tuple[dict, str | None]]:
    """``(cells by header, actor_id or None for rows that must be refused)`` in file order."""
    listed = world[world[f"src_{source}"].to_numpy(dtype=bool)]
    layout = _layout(source)
    out: list[tuple[dict, str | None]] = []
    for i, row in enumerate(listed.itertuples(index=False)):
        common = _common(rng, row, _SIRET_SHARE[source])
        made = [_ROW_MAKERS[source](rng, row, when, i)]
        bad = rng.random() < BAD_SHARE
        if bad:
            spoiled = dict(common, lat="")
            _spoil(rng, spoiled, coords=source == "agire")
            common = spoiled
        for cells in made:
            for canonical, header in layout.items():
                cells[header] = common[canonical]
            if bad and common.get("lat"):
                for lat, lon in (("Lat", "Lon"), ("Latitude", "Longitude")):
                    if lat in cells:
                        cells[lat], cells[lon] = common["lat"], common["lon"]
            out.append((cells, None if bad else row.actor_id))
            if rng.random() < DUPLICATE_SHARE:
                out.append((dict(cells), None))
    return out


def _csv_bytes(title: str | None, rows: list[dict], delimiter: str, encoding: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    header = list(rows[0])
    if title:
        writer.writerow([title] + [""] * (len(header) - 1))
        writer.writerow([])
    writer.writerow(header)
    for k, row in enumerate(rows):
        writer.writerow([row[h] for h in header])
        if k % 97 == 50:
            writer.writerow([])
    return buffer.getvalue().encode(encoding, errors="replace")


def _xlsx_bytes(
    titles: list[str], sheet: str, rows: list[dict], more: tuple[tuple[str, list[dict]], ...] = ()
) -> bytes:
    """A workbook: ``sheet`` with title rows and ``rows``, then each sheet of ``more`` (header on line 1)."""
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    for name, extra in more:
        extra_ws = workbook.create_sheet(name)
        header = list(extra[0]) if extra else []
        extra_ws.append(header)
        for row in extra:
            extra_ws.append([row[h] if row[h] != "" else None for h in header])
    header = list(rows[0])
    for k, title in enumerate(titles, start=1):
        ws.cell(row=k, column=1, value=title)
        ws.merge_cells(start_row=k, start_column=1, end_row=k, end_column=len(header))
    line = len(titles) + 2
    for col, name in enumerate(header, start=1):
        ws.cell(row=line, column=col, value=name)
    for k, row in enumerate(rows):
        line += 1 + (k % 83 == 40)  # a few blank lines
        for col, name in enumerate(header, start=1):
            value = row[name]
            if name in ("Code postal", "CP") and isinstance(value, str) and value.isdigit() and k % 3 == 0:
                value = int(value)  # Excel turned the postcode into a number
            ws.cell(row=line, column=col, value=value if value != "" else None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip_dates(buffer.getvalue())


def _fixed_zip_dates(content: bytes) -> bytes:
    """Rewrite the archive with fixed timestamps and properties so that the bytes depend on the seed only."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-11-01T06:00:00Z", data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 11, 1, 6, 0, 0)), data)
    return out.getvalue()


def file_bytes(source: str, rows: list[dict], when: datetime, products: list[dict] | None = None) -> tuple[str, bytes]:
    """``(file name, bytes)`` of a source's partner file (« C du Centre »: companies and ``products`` sheets)."""
    day = when.strftime("%d/%m/%Y")
    if source == "cress":
        titles = ["CRESS Centre-Val de Loire — Observatoire régional de l'ESS", f"Extraction du {day}"]
        return "cress.xlsx", _xlsx_bytes(titles, "Adhérents", rows)
    if source == "cducentre":
        titles = ["Marque C du Centre — entreprises agréées", f"Export Dev'Up du {day}"]
        return "cducentre.xlsx", _xlsx_bytes(titles, "Entreprises", rows, (("Produits", products or []),))
    if source == "urscop":
        title = "Union régionale des Scop et Scic — adhérents Centre-Val de Loire"
        return "urscop.csv", _csv_bytes(title, rows, ";", "cp1252")
    if source == "france_active":
        return "france_active.csv", _csv_bytes(None, rows, ",", "utf-8-sig")
    return "agire.csv", _csv_bytes(None, rows, "\t", "utf-8")


def render(world: pd.DataFrame, *, seed: int, fetched_at: datetime, source: str) -> Rendered:
    """The partner file of ``source`` run through the real import; keys of the accepted records."""
    offset = ("cress", "urscop", "france_active", "cducentre", "agire").index(source)
    rng = np.random.default_rng([seed, 40 + offset])
    products = None
    if source == "cducentre":
        rows, products = cducentre_sheets(world, rng, fetched_at)
    else:
        rows = marker_rows(source, world, rng, fetched_at)
    name, content = file_bytes(source, [cells for cells, _ in rows], fetched_at, products)
    index, index_at = _re_index(world, seed, fetched_at)
    result = imports.prepare_import(source, name, content, region=world.attrs.get("region"), index=index,
                                    index_fetched_at=index_at)  # fmt: skip
    if not result.ok:
        msg = f"demo {source}: {result.report.fatal}"
        raise RuntimeError(msg)
    by_line = _lines(result, rows)
    connector = connectors.get(source)
    out = Rendered(source, connector.HOMEPAGE, connector.LICENCE, connector.ATTRIBUTION)
    out.files.extend(imports.snapshot_files(result))
    seen: set[str] = set()
    for row in result.rows:
        actor = by_line.get(row["line"])
        if actor is not None and row["source_id"] not in seen:
            seen.add(row["source_id"])
            out.keys.append((row["source_id"], actor))
    out.manifest = {"files": 2, "import": imports.manifest(result)["import"]}
    return out


def _lines(result: imports.ImportResult, rows: list[tuple[dict, str | None]]) -> dict[int, str | None]:
    """Spreadsheet line -> actor of each data row (the file's rows in order, skipping blank lines)."""
    first = result.report.header_line or 0
    accepted = sorted({r["line"] for r in result.rows})  # a company's products share its line
    rejected = sorted(r.line for r in result.report.rejected if r.sheet is None)
    lines = sorted(accepted + rejected)
    if len(lines) != len(rows):
        msg = f"demo {result.source}: {len(lines)} lignes lues pour {len(rows)} écrites (en-tête ligne {first})"
        raise RuntimeError(msg)
    return {line: actor for line, (_cells, actor) in zip(lines, rows, strict=True)}
