"""The meeting pack: PDF text (read back with poppler's pdftotext), XLSX sheets, invitation CSV, mailto."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from mapping import meeting_pack
from mapping.meeting_pack import texts
from mapping.meeting_pack.tables import safe_cell

HOSTILE = (
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://x","y")',
    "Recyclerie ${(window.parent.__pwned=1)}",
)
GONE = {"name": "Ancienne Œuvre d'Amboise", "city": "Amboise", "postcode": "37400", "siret": "12345678900011"}


@pytest.fixture
def pack(actors_factory):
    actors = actors_factory(16)
    for i, name in enumerate(HOSTILE):
        actors.loc[i, "name"] = name
    actors.loc[5, "email"] = None
    actors.loc[3, "labels"] = None
    items = [
        {"uid": uid, "note": f"Note {i}", "position": i, "added_at": "", "snapshot": {}}
        for i, uid in enumerate(actors["uid"])
    ]
    items.append({"uid": "a-gone", "note": "à revoir", "position": 16, "added_at": "", "snapshot": GONE})
    return actors, items


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext missing: apt-get install poppler-utils (.ci/run installs it)")
    path = tmp_path / "pack.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_pdf_is_a4_and_holds_every_name_as_plain_text(pack, tmp_path):
    actors, items = pack
    data = meeting_pack.build_pdf(actors, items, title="Rencontre réemploi", author="Camille", day=date(2026, 12, 1))
    assert data.startswith(b"%PDF-")
    assert b"/MediaBox [0 0 595.28 841.89]" in data  # A4 in points
    text = pdf_text(data, tmp_path)
    flat = " ".join(text.split())
    assert "Rencontre réemploi" in text and "Préparé par Camille le 1er décembre 2026" in flat
    assert "17 fournisseurs dans la sélection" in flat
    for name in actors["name"]:
        assert name in text, name
    for name in HOSTILE:
        assert name in text  # printed as typed, neither markup nor a link
    assert f"« {texts.GONE} »" in text and GONE["name"] in text and GONE["siret"] in text
    assert "Note 4" in text and "L2113-13" in flat and "Espaces verts et paysage" in flat
    assert actors.loc[7, "siret"] in text and "contact7@exemple.fr" in text
    assert "Annuaire des Entreprises" in text  # sources by title


def test_pdf_of_an_empty_list(actors, tmp_path):
    text = pdf_text(meeting_pack.build_pdf(actors, [], title="Vide"), tmp_path)
    assert texts.EMPTY in text


def test_xlsx_has_a_summary_and_one_sheet_per_family_and_no_formula(pack):
    actors, items = pack
    book = load_workbook(io.BytesIO(meeting_pack.build_xlsx(actors, items)))
    assert book.sheetnames[0] == texts.SUMMARY_SHEET
    families = {f for fams in actors["purchase_families"] for f in fams}
    assert len(book.sheetnames) == 1 + len(families) + 1  # + the missing actor's "Sans famille d'achat"
    assert "Espaces verts et paysage" in book.sheetnames and texts.NO_FAMILY_SHEET in book.sheetnames
    summary = book[texts.SUMMARY_SHEET]
    assert [c.value for c in summary[1]][:3] == ["N°", "Nom", "Statut"]
    assert summary.max_row == 1 + 17
    assert summary["B3"].value == "'" + HOSTILE[1]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    verts = book["Espaces verts et paysage"]
    assert {r[1] for r in verts.iter_rows(min_row=2, values_only=True)} == set(
        actors.loc[actors["purchase_families"].map(lambda f: "espaces_verts" in f), "name"]
    )


def test_invitation_csv_for_french_excel(pack):
    actors, items = pack
    data = meeting_pack.build_invitations(actors, items)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nom", "Courriel", "Téléphone", "Adresse", "Code postal", "Commune"]
    assert len(rows) == 1 + 16  # the supplier no longer in the data cannot be invited
    assert rows[2][0] == "'" + HOSTILE[1] and rows[1][0] == HOSTILE[0]
    assert rows[6][1] == ""  # no email
    assert b"\r\n" in data


def test_mailto_lists_the_suppliers_with_an_email_in_bcc(pack):
    actors, items = pack
    link = meeting_pack.mailto_link(actors, items, title="Rencontre")
    assert link.startswith("mailto:?bcc=contact0@exemple.fr,contact1@exemple.fr")
    assert "contact5@" not in link and link.count("@") == 15
    assert link.endswith("&subject=Invitation%20%3A%20Rencontre")
    assert meeting_pack.mailto_link(actors, []) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+33 2", "'+33 2"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
     ("\rx", "'\rx"), ("Tours", "Tours"), (None, "")],
)  # fmt: skip
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected
