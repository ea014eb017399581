"""The tolerant reader and row validation of partner files (connectors.partner_files / partner_validate)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from connectors.partner_files import PartnerFileError, fold, load_spec, read_tables, sniff_delimiter
from connectors.partner_validate import parse_date, split_values, validate_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "partners"
HEADER = ["Raison sociale", "SIRET", "Code postal", "Commune", "Famille"]
ROWS = [
    ["Les Jardins de Cocagne", "12345678200010", "45000", "Orléans", "Association"],
    ["Mutuelle Tourangelle", "", "37000", "Tours", "Mutuelle"],
]


def csv_bytes(delimiter: str, encoding: str, header: list[str] = HEADER) -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(r) for r in ROWS)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list[object]], *, merged_title: bool = True) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Adhérents"
    start = 1
    if merged_title:
        ws.cell(row=1, column=1, value="CRESS Centre-Val de Loire — export")
        ws.merge_cells("A1:E1")
        start = 3  # row 2 left blank
    for r, row in enumerate(rows, start=start):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_every_encoding_and_separator_reads_the_same(encoding: str, delimiter: str) -> None:
    rows, report = validate_file("cress", "CRESS", csv_bytes(delimiter, encoding), "export.csv")
    assert report.ok, report.fatal
    assert report.delimiter == delimiter
    assert report.encoding == encoding
    assert [r["name"] for r in rows] == ["Les Jardins de Cocagne", "Mutuelle Tourangelle"]
    assert [r["line"] for r in rows] == [2, 3]
    assert rows[0]["siret"] == "12345678200010" and rows[0]["code_insee"] == "45234"
    assert rows[1]["actor_kinds"] == ["mutuelle"]


@pytest.mark.parametrize("name_header", ["Raison sociale", "RAISON SOCIALE ", "Nom", "Dénomination", "denomination"])
def test_header_synonyms_case_and_accents(name_header: str) -> None:
    content = csv_bytes(";", "utf-8", [name_header, "N° SIRET", "CP", "Ville", "Statut"])
    rows, report = validate_file("cress", "CRESS", content, "export.csv")
    assert report.ok and len(rows) == 2
    assert report.columns[name_header.strip()] == "name"


def test_sniffer_is_not_fooled_by_commas_inside_cells() -> None:
    text = 'Nom;Adresse;CP\n"A";"12, rue X";45000\n"B";"3, place Y";37000\n'
    assert sniff_delimiter(text) == ";"


def test_title_rows_blank_lines_and_exact_line_numbers() -> None:
    rows, report = validate_file("cress", "CRESS", (FIXTURES / "cress_cp1252_semicolon.csv").read_bytes(), "cress.csv")
    assert report.header_line == 4 and report.encoding == "cp1252"
    assert [r["line"] for r in rows] == [5, 12, 13]
    assert [(r.line, r.reason.split(" :")[0]) for r in report.rejected] == [
        (6, "nom manquant"),
        (7, "SIRET invalide (clé de contrôle)"),
        (9, "code postal inconnu"),
        (10, "commune hors région"),
        (11, "doublon exact de la ligne 5"),
    ]
    assert report.rows_read == 8 == report.imported + len(report.rejected)
    assert report.blank_lines == 1
    assert [(d.line, d.first_line, d.exact) for d in report.duplicates] == [(11, 5, True)]
    assert report.warnings == [(12, "date illisible ignorée : « 31/02/2025 »")]
    assert report.ignored_columns == ["Secteur"]
    assert rows[0]["name"] == "Les Jardins de Cocagne"  # trailing spaces stripped
    assert rows[0]["updated_at"] == "2025-11-03"  # French date


def test_hostile_cells_are_stored_as_plain_text() -> None:
    rows, _ = validate_file("cress", "CRESS", (FIXTURES / "cress_cp1252_semicolon.csv").read_bytes(), "cress.csv")
    assert rows[1]["name"] == '=HYPERLINK("http://evil.example","clic")'
    assert rows[2]["name"] == "<script>alert(1)</script>"


def test_xlsx_with_merged_title_formula_and_numeric_cells() -> None:
    content = xlsx_bytes(
        [
            HEADER,
            ['=HYPERLINK("http://evil.example","clic")', 12345678200010, 45000, "Orléans", "Association"],
            [None, None, None, None, None],
            ["<script>alert(1)</script>", None, 37000, "TOURS", "Fondation"],
            ["", None, 18000, "Bourges", None],
        ]
    )
    rows, report = validate_file("cress", "CRESS", content, "adherents.xlsx")
    assert report.ok and report.sheet == "Adhérents" and report.header_line == 3
    assert [r["line"] for r in rows] == [4, 6]
    assert rows[0]["name"] == '=HYPERLINK("http://evil.example","clic")'
    assert rows[0]["siret"] == "12345678200010" and rows[0]["postcode"] == "45000"
    assert rows[1]["name"] == "<script>alert(1)</script>" and rows[1]["city"] == "TOURS"
    assert [(r.line, r.reason) for r in report.rejected] == [(7, "nom manquant")]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("export.pdf", b"%PDF-1.4", "type de fichier non pris en charge"),
        ("export.xlsx", b"Nom;CP\nA;45000\n", "n'est pas un classeur Excel"),
        ("export.csv", b"PK\x03\x04rest", "c'est une archive"),
        ("export.csv", b"\x00\x01\x02binary", "contenu binaire"),
        ("export.csv", b"   \n", "fichier vide"),
        ("export.csv", b"Colonne A;Colonne B\n1;2\n", "ligne d'en-tête introuvable"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name: str, content: bytes, reason: str) -> None:
    rows, report = validate_file("cress", "CRESS", content, name)
    assert rows == [] and not report.ok
    assert reason in report.fatal
    assert "Fichier refusé" in report.text()


def test_read_tables_raises_partner_file_error() -> None:
    with pytest.raises(PartnerFileError):
        read_tables(b"data", "x.doc")


def test_report_text_is_french_and_complete() -> None:
    _, report = validate_file("cress", "CRESS", (FIXTURES / "cress_cp1252_semicolon.csv").read_bytes(), "cress.csv")
    text = report.text()
    assert "Lignes lues : 8 — importées : 3 — refusées : 5 (dont 1 doublon exact)" in text
    assert "ligne 7 : SIRET invalide (clé de contrôle) : « 12345678200011 »" in text
    assert "ligne 11 : identique à la ligne 5" in text


def test_helpers() -> None:
    assert fold("  N° SIRET ") == "n siret"
    assert parse_date("03/11/2025") == "2025-11-03"
    assert parse_date("2025-11-03") == "2025-11-03"
    assert parse_date("31/02/2025") is None
    table = load_spec("agire").vocabularies["waste"]
    assert split_values("Déchets inertes du BTP (gravats, terres, béton) / Bois", table) == [
        "Déchets inertes du BTP (gravats, terres, béton)",
        "Bois",
    ]
