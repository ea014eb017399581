"""Connectors on answers that others recorded from the live services (``tests/fixtures/real``).

None of these files was written by the project (provenance: ``tests/fixtures/real/README.md``).
They hold what the demo never has (``finances``, ``dirigeants``, ``admin``, ``immatriculation``,
``_rand``, mojibake keys, phones without their leading 0, hidden e-mails, both BAN formats…):
a connector that reads them has met the real format, not only our renderer's idea of it.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from connectors import datafair
from connectors.ademe_lvao import AdemeLvaoConnector
from connectors.base import SnapshotFile, text_or_none
from connectors.carteco import CartecoConnector
from connectors.normalize import company_name, french_phone, street_from_line
from connectors.recherche_entreprises import RechercheEntreprisesConnector
from connectors.sinoe import SinoeConnector
from mapping.build import geocoding
from mapping.reference import geography
from mapping.reference.schema import RECORD_COLUMNS

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
FR_PHONE = re.compile(r"^0[1-9](?: \d\d){4}$")
RE_PAGES = sorted((REAL / "recherche_entreprises").glob("*.page.json"))
BAN_JSON = sorted((REAL / "ban").glob("*.json"))


# --------------------------------------------------------------------------- helpers


def _regions() -> list[str]:
    return sorted(set(geography._departements_table()["region"]))


def recherche_records(payloads: list[dict]) -> pd.DataFrame:
    """Records of pages spread over every region (the connector keeps one region per parse)."""
    connector = RechercheEntreprisesConnector()
    files = [SnapshotFile(f"ess-{n:02d}/page-0001.json", json.dumps(p).encode()) for n, p in enumerate(payloads)]
    frames = [connector.normalize(connector.parse(files, region=region)) for region in _regions()]
    found = [f for f in frames if len(f)]
    return pd.concat(found, ignore_index=True) if found else frames[0]


def _departement(code: str | None) -> str | None:
    if not code:
        return None
    return code[:3] if code.startswith("97") else code[:2]


def _tokens(address: str) -> set[str]:
    """Words of an address, « 2 B » written « 2B » (number and repetition index)."""
    return set(re.sub(r"\b(\d+) ([A-Z])\b", r"\1\2", address.replace(",", " ")).split())


def _expected_establishments(payload: dict) -> set[str]:
    """SIRETs a full read must give: open, diffusible matching establishments in France (the
    siège of a result without any in France)."""
    known = set(geography._departements_table()["code"])
    out: set[str] = set()
    for result in payload["results"]:
        shown = [
            e
            for e in result["matching_etablissements"]
            if e.get("etat_administratif") != "F"
            and e.get("statut_diffusion_etablissement", result.get("statut_diffusion")) in (None, "O")
            and _departement(e.get("commune")) in known
        ]
        out.update(e["siret"] for e in shown)
    return out


GOGOCARTO = sorted(p for p in (REAL / "gogocarto").iterdir() if p.suffix in (".json", ".js"))


def gogocarto_payload(path: Path) -> dict:
    """A GoGoCarto export as JSON (a ``.js`` one is ``var elements = {…}`` with trailing commas)."""
    if path.suffix == ".json":
        return json.loads(path.read_bytes())
    script = path.read_text(encoding="utf-8")
    body = script[script.index("{") : script.rindex("}") + 1]
    return json.loads(re.sub(r",\s*([}\]])", r"\1", body))


def gogocarto_payloads() -> dict[str, dict]:
    """The two exports of the samples, by kind."""
    return {p.suffix.lstrip("."): gogocarto_payload(p) for p in GOGOCARTO if p.stem.startswith("gogocartojs-elements")}


# --------------------------------------------------------------------------- Recherche d'entreprises


@pytest.mark.parametrize("page", RE_PAGES, ids=lambda p: p.name)
def test_recherche_entreprises_reads_every_establishment_of_a_real_page(page: Path) -> None:
    payload = json.loads(page.read_bytes())
    expected = _expected_establishments(payload)
    if not expected:
        assert payload["total_results"] == 0 or len(recherche_records([payload])) == 0
        return
    records = recherche_records([payload])
    assert list(records.columns) == list(RECORD_COLUMNS)
    assert expected <= set(records["siret"]) and records["siret"].is_unique
    # beyond the matching establishments: only sièges, read for a region none of them lies in
    sieges = {r["siege"]["siret"] for r in payload["results"]}
    assert set(records["siret"]) - expected <= sieges
    etabs = {e["siret"]: (r, e) for r in payload["results"] for e in r["matching_etablissements"]}
    etabs.update({r["siege"]["siret"]: (r, r["siege"]) for r in payload["results"] if r["siege"]["siret"] not in etabs})
    for row in records.itertuples(index=False):
        result, etab = etabs[row.siret]
        # names clean: nom_complet as sent, never a bracket twice
        assert row.name == result["nom_complet"]
        brackets = re.findall(r"\(([^()]*)\)", row.name)
        assert len(brackets) == len(set(brackets))
        # addresses complete: the one-line adresse up to the postcode, nothing lost
        assert row.address, etab["adresse"]
        line = _tokens(etab["adresse"][: etab["adresse"].rindex(" " + etab["code_postal"])])
        missing = line - _tokens(row.address)
        siege = result["siege"] if result["siege"]["siret"] == row.siret and result["siege"].get("libelle_voie") else {}
        left_out = _tokens(" ".join(siege.get(k) or "" for k in ("complement_adresse", "distribution_speciale")))
        assert missing <= left_out, (row.address, etab["adresse"])  # only the siège's complement is left out
        assert etab["code_postal"] not in row.address.split()
        assert row.postcode == etab["code_postal"] and row.city == etab["libelle_commune"]
        assert row.code_insee == etab["commune"] and row.departement == _departement(etab["commune"])
        # coordinates read (strings in the answer)
        if etab.get("latitude") and etab.get("longitude"):
            assert row.geometry is not None
            assert (round(row.geometry.y, 6), round(row.geometry.x, 6)) == (
                round(float(etab["latitude"]), 6),
                round(float(etab["longitude"]), 6),
            )
        assert row.siren == result["siren"]


def test_recherche_entreprises_siege_gives_street_parts_and_matching_items_the_line() -> None:
    payload = json.loads((REAL / "recherche_entreprises" / "la-poste.page.json").read_bytes())
    assert all("libelle_voie" not in e for r in payload["results"] for e in r["matching_etablissements"])
    records = recherche_records([payload]).set_index("siret")
    for result in payload["results"]:
        for etab in result["matching_etablissements"]:
            if etab["siret"] not in records.index:
                continue
            address = records.loc[etab["siret"], "address"]
            if etab["siret"] == result["siege"]["siret"] and result["siege"].get("libelle_voie"):
                siege = result["siege"]
                parts = [siege.get("numero_voie"), siege.get("type_voie"), siege.get("libelle_voie")]
                assert address == " ".join(p for p in parts if p)
            else:
                assert address == street_from_line(etab["adresse"], etab["code_postal"])


def test_recherche_entreprises_repeated_sigle_in_nom_complet_is_dropped() -> None:
    payload = json.loads((REAL / "recherche_entreprises" / "siret-48744469700428.page.json").read_bytes())
    result = payload["results"][0]
    assert result["nom_complet"] == "ESSOR ENERGIES (SOLARSUD)"
    doubled = copy.deepcopy(payload)
    doubled["results"][0]["sigle"] = "SOLARSUD"
    doubled["results"][0]["nom_complet"] = "ESSOR ENERGIES (SOLARSUD) (SOLARSUD)"
    assert recherche_records([doubled])["name"].tolist() == ["ESSOR ENERGIES (SOLARSUD)"]
    assert company_name("TRIVAL (TRIVAL) (TRIVAL)") == "TRIVAL"
    assert company_name("", "LA POSTE") == "LA POSTE"


def test_recherche_entreprises_ignores_fields_the_demo_never_has() -> None:
    """finances, dirigeants, immatriculation, admin, slug… are present and harmless; the pages
    of several recordings read together give each SIRET once."""
    payloads = [json.loads(p.read_bytes()) for p in RE_PAGES]
    present = {k for p in payloads for r in p["results"] for k in r}
    assert {"finances", "dirigeants", "immatriculation", "admin", "slug"} <= present
    records = recherche_records(payloads)
    assert records["siret"].is_unique
    assert set(records["siret"]) >= set().union(*(_expected_establishments(p) for p in payloads))


def test_recherche_entreprises_older_schema_without_naf25() -> None:
    payload = json.loads((REAL / "recherche_entreprises" / "ganymede-2024-12.page.json").read_bytes())
    assert all("activite_principale_naf25" not in r for r in payload["results"])
    records = recherche_records([payload])
    assert len(records) and records["naf"].notna().all()


# --------------------------------------------------------------------------- GoGoCarto (CARTECO)


@pytest.mark.parametrize("export", GOGOCARTO, ids=lambda p: p.name)
def test_carteco_reads_every_element_of_a_gogocarto_export(export: Path) -> None:
    payload = gogocarto_payload(export)
    connector = CartecoConnector()
    files = [SnapshotFile("elements.json", json.dumps(payload).encode())]
    records = connector.normalize(connector.parse(files)).set_index("source_id")
    elements = {str(e["id"]): e for e in payload["data"]}
    status = {i: 1 if e.get("status") in (None, "") else int(e["status"]) for i, e in elements.items()}
    validated = {i for i, e in elements.items() if e.get("name") and status[i] >= 1}
    assert set(records.index) == validated
    for ident, row in records.iterrows():
        element = elements[ident]
        geo, address = element.get("geo") or {}, element.get("address") or {}
        assert row["name"] == element["name"].strip()
        if geo.get("latitude") is not None:
            assert row["geometry"] is not None
            assert (row["geometry"].y, row["geometry"].x) == (float(geo["latitude"]), float(geo["longitude"]))
        street = text_or_none(address.get("streetAddress"))
        if street:
            assert street in row["address"]
        assert row["postcode"] == text_or_none(address.get("postalCode"))
        # phones in French format, also when the export lost the leading 0 ("967556221")
        phone = text_or_none(element.get("telephone"))
        if phone and len(re.sub(r"\D", "", phone)) in (9, 10, 11):
            assert FR_PHONE.match(row["phone"]), (element["telephone"], row["phone"])
        elif not phone:
            assert row["phone"] is None
        email = text_or_none(element.get("email"))
        assert row["email"] == (email if email and "@" in email else None)  # "hidden" is no address
    if "contributions" in json.dumps(payload):  # dates may only be in the contribution history
        dated = [
            i for i, e in elements.items() if i in records.index and (e.get("contributions") or e.get("updatedAt"))
        ]
        assert records.loc[dated, "updated_at"].notna().all()


def test_gogocarto_phone_without_leading_zero_is_restored() -> None:
    payload = gogocarto_payloads()["json"]
    element = next(e for e in payload["data"] if e["telephone"] == "967556221")
    for value in ("967556221", 967556221, 967556221.0):
        element = {**element, "telephone": value}
        connector = CartecoConnector()
        records = connector.normalize([element])
        assert records.loc[0, "phone"] == "09 67 55 62 21"
    assert french_phone(238123456) == "02 38 12 34 56"
    assert french_phone("+33 (0)2 38 12 34 56") == french_phone("0033 238123456") == "02 38 12 34 56"
    assert french_phone("hidden") is None and french_phone(None) is None


# --------------------------------------------------------------------------- data-fair (ADEME)


DATAFAIR = sorted((REAL / "ademe_datafair").glob("*.json"))


@pytest.mark.parametrize("page", DATAFAIR, ids=lambda p: p.name)
def test_datafair_pages_are_read_whatever_their_columns(page: Path) -> None:
    """Real ``lines`` answers of other ADEME datasets: the envelope (``total``, ``results``, no
    ``next``), data-fair's own keys (``_i``, ``_id``, ``_rand``, ``_score``) and a mojibake key
    go through; the connectors of our datasets skip rows that are not theirs without raising."""
    content = page.read_bytes()
    payload = json.loads(content)
    rows = list(datafair.rows([("lines/page-start.json", content)], source="ademe_lvao"))
    assert len(rows) == len(payload["results"]) and "next" not in payload
    lvao = AdemeLvaoConnector()
    files = [SnapshotFile("lines/page-start.json", content)]
    assert len(lvao.normalize(lvao.parse(files))) == 0
    sinoe = SinoeConnector()
    sinoe_files = [SnapshotFile(f"{folder}/page-start.json", content) for folder in ("nomenclature", "decheteries")]
    assert len(sinoe.normalize(sinoe.parse(sinoe_files, region="24"))) == 0


def test_datafair_rows_keep_service_and_mojibake_keys() -> None:
    content = (REAL / "ademe_datafair" / "qfdmd-produits-lines-2021-05.trimmed.json").read_bytes()
    rows = list(datafair.rows([("lines/page-start.json", content)], source="ademe_lvao"))
    keys = set().union(*rows)
    assert {"_i", "_id", "_rand", "_score"} <= keys
    assert any("Ã" in k for k in keys)  # served as is, never "repaired"


def test_datafair_lvao_row_shaped_like_a_real_line_is_normalised() -> None:
    """The envelope of a real answer with an LVAO row in it: numbers where text is expected,
    data-fair keys and an unknown column do not disturb the record."""
    payload = json.loads((REAL / "ademe_datafair" / "qfdmd-liens-lines-2021-05.json").read_bytes())
    row = {
        **payload["results"][0],
        "identifiant": "2oQv8uj5r3KnqFzJ9ZTm4a",
        "nom": "Ressourcerie du Val",
        "telephone": 238123456,
        "code_postal": 45000,
        "code_commune": "45234",
        "latitude": 47.9,
        "longitude": 1.9,
        "_geopoint": "47.9,1.9",
        "_rand": 12,
    }
    content = json.dumps({"total": 1, "results": [row]}).encode()
    lvao = AdemeLvaoConnector()
    record = lvao.normalize(lvao.parse([SnapshotFile("lines/page-start.json", content)])).iloc[0]
    assert record["phone"] == "02 38 12 34 56" and record["postcode"] == "45000"
    assert record["departement"] == "45" and record["geometry"] is not None


# --------------------------------------------------------------------------- BAN / Géoplateforme


@pytest.mark.parametrize("answer", BAN_JSON, ids=lambda p: p.name)
def test_ban_search_answers_of_both_formats(answer: Path) -> None:
    payload = json.loads(answer.read_bytes())
    found = geocoding.parse_search(payload)
    features = payload["features"]
    if not features:
        assert found is None
        return
    best = max(features, key=lambda f: f["properties"]["score"])
    assert found is not None
    assert (found.lon, found.lat) == tuple(best["geometry"]["coordinates"][:2])
    assert found.score == best["properties"]["score"] and found.type == best["properties"]["type"]
    assert found.citycode == best["properties"]["citycode"] and found.label == best["properties"]["label"]


def test_ban_formats_old_and_geoplateforme_are_both_present() -> None:
    roots = {p.name: set(json.loads(p.read_bytes())) for p in BAN_JSON}
    assert any({"version", "attribution", "licence"} <= keys for keys in roots.values())
    assert roots["qfdmo-e2e-geopf-auray.json"] == {"type", "features", "query"}
    auray = geocoding.parse_search(json.loads((REAL / "ban" / "qfdmo-e2e-geopf-auray.json").read_bytes()))
    assert auray is not None and auray.citycode == "56007" and auray.type == "municipality"


def _header_order_sample() -> tuple[list[str], list[str]]:
    lines = [
        line
        for line in (REAL / "ban" / "issue-ban-1962-search-csv-header-order.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    return lines[0].split(","), lines[1].split(",")


def test_ban_search_csv_is_read_by_column_name_in_both_header_orders() -> None:
    before, after = _header_order_sample()
    assert before != after and sorted(before) == sorted(after)
    values = {
        "id": "7",
        "addressLine": "1 rue exemple",
        "zipCode": "45000",
        "city": "Orleans",
        "latitude": "47.902",
        "longitude": "1.909",
        "result_label": "1 Rue Exemple 45000 Orléans",
        "result_score": "0.93",
        "result_score_next": "0.41",
        "result_type": "housenumber",
    }
    answers = []
    for header in (before, after):
        body = ",".join(header) + "\n" + ",".join(values[c] for c in header) + "\n"
        answers.append(geocoding.parse_csv(body.encode()))
    assert answers[0] == answers[1]
    found = answers[0]["7"]
    assert found is not None and found.label == "1 Rue Exemple 45000 Orléans" and found.score == 0.93
    assert (found.lon, found.lat) == (1.909, 47.902)


def test_ban_search_csv_real_answers_other_delimiters_and_restricted_columns() -> None:
    psv = (REAL / "ban" / "issue-addok-docker-30-addok-local-search-csv.psv").read_bytes()
    with_id = psv.replace(b"VILLE|", b"id|VILLE|", 1)
    lines = with_id.decode().splitlines()
    with_id = "\n".join([lines[0], *(f"{n}|{line}" for n, line in enumerate(lines[1:]) if line)]).encode()
    found = geocoding.parse_csv(with_id)
    assert found["0"] is not None and found["0"].citycode == "44001" and found["0"].type == "municipality"
    assert (found["1"].lon, found["1"].lat) == (2.153618, 49.361275)
    # the raw answers carry no ``id`` column (their input had none): nothing to match, nothing raised
    assert geocoding.parse_csv(psv) == {}
    restricted = (REAL / "ban" / "issue-addok-docker-30-api-adresse-search-csv-result_columns.csv").read_bytes()
    assert geocoding.parse_csv(restricted) == {}
    assert geocoding.parse_csv(b"id,result_citycode\n1,44001\n") == {"1": None}  # no point: not found


# --------------------------------------------------------------------------- variants of real answers


def test_recherche_entreprises_tolerates_variants_of_a_real_result() -> None:
    """Nulls where values usually are, numbers for strings, Corsica and overseas communes,
    non-diffusible and closed establishments: nothing raises, each usable establishment is read."""
    base = json.loads((REAL / "recherche_entreprises" / "siret-48744469700428.page.json").read_bytes())
    result = base["results"][0]
    variants = []
    for change in (
        {"matching_etablissements": None},
        {"siege": None},
        {"complements": None, "nom_complet": None},
        {"dirigeants": None, "finances": {"2023": {"ca": None, "resultat_net": None}}},
    ):
        variants.append({**copy.deepcopy(result), **change, "siren": result["siren"]})
    corsica = copy.deepcopy(result)
    etab = corsica["matching_etablissements"][0]
    etab.update(commune="2A004", code_postal="20000", libelle_commune="AJACCIO", latitude="", longitude=None)
    etab["adresse"] = "1 BD PASCAL ROSSINI 20000 AJACCIO"
    corsica["siege"] = {**corsica["siege"], "commune": "2A004", "departement": "2A", "libelle_voie": None}
    variants.append(corsica)
    hidden = copy.deepcopy(result)
    hidden["matching_etablissements"][0]["statut_diffusion_etablissement"] = "P"
    variants.append(hidden)
    payload = {**base, "results": variants, "total_pages": "1"}
    records = recherche_records([payload]).set_index("siret", drop=False)
    siret = result["matching_etablissements"][0]["siret"]
    assert siret in records.index  # (twice: the Corsican variant moves it to another region)
    ajaccio = recherche_records([{**base, "results": [corsica]}]).iloc[0]
    assert ajaccio["departement"] == "2A" and ajaccio["address"] == "1 BD PASCAL ROSSINI"
    assert ajaccio["geometry"] is None
    assert recherche_records([{**base, "results": [variants[2]]}]).iloc[0]["name"] == result["nom_raison_sociale"]
    assert len(recherche_records([{**base, "results": [hidden]}])) == 0


def test_carteco_tolerates_variants_of_a_real_element() -> None:
    element = gogocarto_payloads()["json"]["data"][0]
    variants = [
        {**element, "id": "a1", "address": "5 rue Edmond Proust, 79120 Chenay"},
        {**element, "id": "a2", "geo": {"latitude": "46.3252", "longitude": "-0.0339"}, "telephone": 967556221},
        {**element, "id": "a3", "geo": None, "address": None, "telephone": None, "email": None},
        {**element, "id": 4, "categoriesFull": [{"id": 10429, "name": "Alimentation"}], "status": "1"},
        {**element, "id": "a5", "address": {**element["address"], "postalCode": 79120, "streetNumber": 5}},
    ]
    connector = CartecoConnector()
    files = [SnapshotFile("elements.json", json.dumps({"ontology": "gogofull", "data": variants}).encode())]
    records = connector.normalize(connector.parse(files)).set_index("source_id")
    assert list(records.index) == ["a1", "a2", "a3", "4", "a5"]
    assert records.loc["a1", "address"] == "5 rue Edmond Proust, 79120 Chenay"
    assert records.loc["a2", "phone"] == "09 67 55 62 21" and records.loc["a2", "geometry"] is not None
    assert records.loc["a3", "geometry"] is None and records.loc["a3", "address"] is None
    assert records.loc["a5", "postcode"] == "79120" and records.loc["a5", "address"] == "5 rue Edmond Proust"
