"""Import of a partner file (mapping.build.imports), its CLI and refresh's handling of manual sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import connectors
from connectors.snapshots import Written
from mapping.__main__ import main
from mapping.build import changes, imports, refresh

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "partners"
CRESS = FIXTURES / "cress_cp1252_semicolon.csv"
ENTRY = {
    "name": "JARDINS DE COCAGNE",
    "naf": "01.13Z",
    "legal_form": "9220",
    "actor_kinds": ["association", "aci"],
    "labels": [],
    "lon": 1.9,
    "lat": 47.9,
    "code_insee": "45234",
}
INDEX = {"12345678200010": ENTRY}


def prepared(content: bytes | None = None, name: str = "cress.csv") -> imports.ImportResult:
    content = CRESS.read_bytes() if content is None else content
    return imports.prepare_import("cress", name, content, index=INDEX, index_fetched_at="2026-11-22T06:24:00+00:00")


def test_prepare_reports_counts_and_enrichment() -> None:
    result = prepared()
    assert result.ok
    report = result.report
    assert (report.rows_read, report.imported, len(report.rejected), report.records) == (8, 3, 5, 3)
    assert report.enriched == 1 and report.not_enrichable == 0 and report.with_coordinates == 1
    assert list(result.enrichment["etablissements"]) == ["12345678200010"]
    jardins = result.records.set_index("source_id").loc["CR1"]
    assert jardins["actor_kinds"] == ["association", "aci"] and jardins["naf"] == "01.13Z"
    assert "Complétées par l'Annuaire des Entreprises" in report.text()


def test_write_import_swaps_the_snapshot_atomically(tmp_path: Path) -> None:
    old = tmp_path / "cress"
    old.mkdir()
    (old / "cress.xlsx").write_bytes(b"old")
    written = imports.write_import(prepared(), root=tmp_path)
    folder = written.folder
    assert sorted(p.name for p in folder.iterdir()) == ["cress.csv", "enrichment.json", "manifest.json"]
    assert (folder / "cress.csv").read_bytes() == CRESS.read_bytes()  # stored as received
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["records"] == 3 and manifest["demo"] is False
    assert manifest["import"]["rejected"] == 5 and manifest["import"]["file_name"] == "cress.csv"
    assert manifest["attribution"] == connectors.get("cress").ATTRIBUTION
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [".history"]  # no temporary left
    kept = tmp_path / ".history" / "cress" / written.archived / "cress.xlsx"
    assert kept.read_bytes() == b"old"  # the replaced snapshot is kept, not deleted
    connector = connectors.get("cress")
    from connectors.base import read_snapshot

    recs = connector.normalize(connector.parse(read_snapshot("cress", root=tmp_path)))
    assert len(recs) == 3 and "aci" in recs.set_index("source_id").loc["CR1", "actor_kinds"]


def test_refused_import_writes_nothing(tmp_path: Path) -> None:
    only_bad = b"Raison sociale;Code postal\n;45000\nX;45999\n"
    result = prepared(only_bad)
    assert not result.ok and "aucune ligne importable" in result.report.fatal
    with pytest.raises(ValueError, match="import refusé"):
        imports.write_import(result, root=tmp_path)
    assert not (tmp_path / "cress").exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("gros.csv", b"x" * (imports.MAX_UPLOAD_BYTES + 1), "fichier trop volumineux : 20 Mo (limite : 20 Mo)"),
        ("photo.png", b"\x89PNG", "type de fichier refusé"),
        ("faux.xlsx", b"Nom;CP\n", "n'est pas un classeur Excel"),
        ("archive.csv", b"PK\x03\x04...", "c'est une archive"),
    ],
)
def test_check_upload(name: str, content: bytes, reason: str) -> None:
    assert reason in imports.check_upload(name, content)
    result = prepared(content, name)
    assert not result.ok and reason in result.report.fatal


def test_check_upload_accepts_csv_and_states_limit() -> None:
    assert imports.check_upload("ok.csv", CRESS.read_bytes()) is None
    assert imports.MAX_UPLOAD_LABEL == imports.format_size(imports.MAX_UPLOAD_BYTES) == "20 Mo"


def test_cli_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    written: list[Path | None] = []

    def fake_write(result, root=None):
        written.append(root)
        return Written(tmp_path / "cress", None)

    monkeypatch.setattr(imports, "write_import", fake_write)
    monkeypatch.setattr(changes, "current_ids", lambda source, root=None: set())
    monkeypatch.setattr(imports.enrich, "snapshot_index", lambda root=None: (INDEX, None))
    assert main(["import", "cress", str(CRESS)]) == 0
    out = capsys.readouterr().out
    assert "Lignes lues : 8 — importées : 3 — refusées : 5" in out and "ligne 6 : nom manquant" in out
    assert written == [None]
    bad = tmp_path / "export.csv"
    bad.write_bytes(b"\x00\x00binary")
    assert main(["import", "cress", str(bad)]) == 1
    assert "contenu binaire" in capsys.readouterr().err
    assert main(["import", "cress", str(tmp_path / "absent.csv")]) == 1
    assert main(["import", "carteco", str(CRESS)]) == 2
    assert written == [None]


def test_refresh_lists_partner_sources_as_manual(monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[str] = []

    def fake(name: str, **kwargs) -> refresh.RefreshResult:
        called.append(name)
        return refresh.RefreshResult(name, True)

    monkeypatch.setattr(refresh, "refresh_source", fake)
    results = refresh.refresh()
    manual = [r for r in results if r.manual]
    assert {r.source for r in manual} == set(imports.partner_sources())
    assert not set(called) & set(imports.partner_sources())
    assert all(r.ok and "import manuel" in r.line() for r in manual)


def test_explicit_refresh_of_a_partner_source_fails_clearly(tmp_path: Path) -> None:
    result = refresh.refresh_source("urscop", root=tmp_path)
    assert not result.ok and "pas d'API publique" in result.error
    assert "python -m mapping import urscop" in result.line()
