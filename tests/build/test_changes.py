"""Changes to a source (mapping.build.changes) and their CLI: drop threshold, history, restore, journal."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import connectors
from connectors.snapshots import history, read_manifest
from mapping.__main__ import main
from mapping.build import changes, imports, journal

HEADER = "N° ADHÉRENT;Raison sociale;Famille de l'ESS;Code postal;Ville\n"


def cress_file(folder: Path, name: str, ids: range | list[int]) -> Path:
    """A CRESS export of structures ``ids`` (all in Orléans, so every row is importable)."""
    path = folder / name
    rows = "".join(f"CR{i};Structure {i};Association;45000;Orléans\n" for i in ids)
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Empty snapshots and build folders of this test only (the journal is private already)."""
    for name in connectors.REGISTRY:  # an empty snapshot per source: the build reads them all
        (tmp_path / "snapshots" / name).mkdir(parents=True)
    monkeypatch.setenv("SOURCIER_SNAPSHOTS_DIR", str(tmp_path / "snapshots"))
    monkeypatch.setenv("SOURCIER_BUILD_PATH", str(tmp_path / "build" / "suppliers.parquet"))
    return tmp_path


def prepared(path: Path) -> imports.ImportResult:
    return imports.prepare_import("cress", path.name, path.read_bytes(), index={}, index_fetched_at=None)


def accept(path: Path, **kwargs) -> journal.Entry:
    return changes.accept_import(prepared(path), user="alice", via=journal.VIA_WEB, **kwargs)


def test_import_a_import_b_restore_gives_a_back_byte_for_byte(data: Path, private_journal: Path) -> None:
    a = cress_file(data, "a.csv", range(1, 11))
    b = cress_file(data, "b.csv", range(1, 9))  # 2 of 10 go: under the 30 % threshold
    folder = data / "snapshots" / "cress"
    accept(a)
    snapshot_a = tree(folder)
    accept(b)
    assert tree(folder) != snapshot_a
    entry = changes.restore_source("cress", user="alice", via=journal.VIA_WEB)
    assert tree(folder) == snapshot_a  # files and manifest: A's, byte for byte
    assert (folder / "cress.csv").read_bytes() == a.read_bytes()
    entries = journal.read(private_journal)
    assert [(e["action"], e["source"], e["user"], e["via"]) for e in entries] == [
        ("import", "cress", "alice", journal.VIA_WEB),
        ("import", "cress", "alice", journal.VIA_WEB),
        ("restore", "cress", "alice", journal.VIA_WEB),
    ]
    first, second, restore = entries
    assert first["file_name"] == "a.csv" and first["sha256"] == hashlib.sha256(a.read_bytes()).hexdigest()
    assert (first["rows_read"], first["imported"], first["refused"]) == (10, 10, 0)
    assert (first["records_before"], first["records_after"], first["previous_version"]) == (None, 10, None)
    assert second["file_name"] == "b.csv" and second["sha256"] == hashlib.sha256(b.read_bytes()).hexdigest()
    assert (second["records_before"], second["records_after"]) == (10, 8)
    assert restore["restored_version"] == second["previous_version"]  # A was kept when B replaced it
    assert (restore["records_before"], restore["records_after"], restore["file_name"]) == (8, 10, "a.csv")
    assert restore["previous_version"] in [v.id for v in history("cress")]  # B is kept in turn
    assert entry.restored_version == restore["restored_version"]


def test_drop_above_threshold_changes_nothing_without_force(data: Path, private_journal: Path) -> None:
    accept(cress_file(data, "a.csv", range(1, 11)))
    before = tree(data / "snapshots")
    small = prepared(cress_file(data, "c.csv", range(1, 4)))
    drop = changes.drop_check(small)
    assert (drop.previous, drop.incoming, drop.dropped, drop.exceeds) == (10, 3, 7, True)
    assert "retirerait 7 des 10 structures" in drop.message() and "70 %" in drop.message()
    with pytest.raises(changes.TooManyDropped, match="Rien n'est modifié"):
        changes.accept_import(small, user="alice", via=journal.VIA_WEB)
    assert tree(data / "snapshots") == before and len(journal.read(private_journal)) == 1
    entry = changes.accept_import(small, user="alice", via=journal.VIA_WEB, force=True)
    assert entry.forced and read_manifest("cress")["records"] == 3


def test_drop_counts_structures_that_go_not_row_counts(data: Path) -> None:
    accept(cress_file(data, "a.csv", range(1, 11)))
    other = prepared(cress_file(data, "other.csv", range(11, 21)))  # ten rows too, but none of the ten
    drop = changes.drop_check(other)
    assert drop.dropped == 10 and drop.exceeds
    assert not changes.drop_check(other, limit=1.0).exceeds
    assert changes.drop_check(prepared(cress_file(data, "more.csv", range(1, 15)))).dropped == 0


def test_threshold_setting(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    accept(cress_file(data, "a.csv", range(1, 11)))
    fewer = prepared(cress_file(data, "b.csv", range(1, 6)))  # 50 % go
    assert changes.drop_check(fewer).exceeds
    monkeypatch.setenv("SOURCIER_IMPORT_MAX_DROP", "60")
    assert not changes.drop_check(fewer).exceeds


def test_first_import_of_a_source_is_never_blocked(data: Path) -> None:
    drop = changes.drop_check(prepared(cress_file(data, "a.csv", [1])))
    assert (drop.previous, drop.dropped, drop.exceeds) == (0, 0, False)


def test_rebuild_records_actors_before_and_after(data: Path, private_journal: Path) -> None:
    first = accept(cress_file(data, "a.csv", range(1, 6)), rebuild=True)
    assert (first.actors_before, first.actors_after) == (None, 5)
    second = accept(cress_file(data, "b.csv", range(1, 5)), rebuild=True)
    assert (second.actors_before, second.actors_after) == (5, 4)
    assert journal.count_actors() == 4


# ---------------------------------------------------------------- command line


def test_cli_import_threshold_force_history_restore(data: Path, private_journal: Path, capsys) -> None:
    a = cress_file(data, "a.csv", range(1, 11))
    assert main(["import", "cress", str(a)]) == 0
    assert "Journal : Import de fichier de cress par " in capsys.readouterr().out
    snapshot_a = tree(data / "snapshots" / "cress")

    c = cress_file(data, "c.csv", range(1, 3))
    assert main(["import", "cress", str(c)]) == 3
    err = capsys.readouterr().err
    assert "Cet import retirerait 8 des 10 structures" in err and "--force" in err
    assert tree(data / "snapshots" / "cress") == snapshot_a and len(journal.read(private_journal)) == 1

    assert main(["import", "cress", str(c), "--force"]) == 0
    capsys.readouterr()
    assert main(["history", "cress"]) == 0
    lines = capsys.readouterr().out.splitlines()
    versions = history("cress")
    assert len(lines) == 1 and lines[0].startswith(versions[0].id)
    assert "10 structures" in lines[0] and "fichier a.csv" in lines[0]

    assert main(["restore", "cress"]) == 0
    assert f"version {versions[0].id} restaurée" in capsys.readouterr().out
    assert tree(data / "snapshots" / "cress") == snapshot_a
    entries = journal.read(private_journal)
    assert [e["action"] for e in entries] == ["import", "import", "restore"]
    assert entries[1]["forced"] is True and all(e["via"] == journal.VIA_CLI for e in entries)

    assert main(["history", "cress"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "2 structures" in lines[0]  # newest first: the one the restore replaced
    assert main(["restore", "cress", lines[0].split()[0]]) == 0
    assert read_manifest("cress")["records"] == 2


def test_cli_restore_and_history_refusals(data: Path, capsys) -> None:
    assert main(["history", "cress"]) == 0
    assert "aucune version précédente conservée" in capsys.readouterr().out
    assert main(["restore", "cress"]) == 1
    assert "Restauration impossible" in capsys.readouterr().err
    assert main(["history", "inconnue"]) == 2
    assert main(["restore", "inconnue"]) == 2
    assert main(["import", "cress", str(cress_file(data, "a.csv", [1]))]) == 0
    assert main(["import", "cress", str(cress_file(data, "b.csv", [1, 2]))]) == 0
    capsys.readouterr()
    assert main(["restore", "cress", "19990101T000000000000Z"]) == 1
    assert "version inconnue" in capsys.readouterr().err


def test_cli_import_with_build(data: Path, private_journal: Path, capsys) -> None:
    assert main(["import", "cress", str(cress_file(data, "a.csv", range(1, 4))), "--build"]) == 0
    out = capsys.readouterr().out
    assert "acteurs — → 3" in out and "python -m mapping build" not in out
    assert journal.read(private_journal)[0]["actors_after"] == 3
