"""Snapshot history (connectors.snapshots): every replaced snapshot kept, bounded, restorable byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors import snapshots
from connectors.snapshots import HISTORY_NAME, SnapshotFile
from mapping import store
from mapping.demo.render import write_demo
from mapping.errors import SourceError


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path -> bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write(root: Path, n: int, *, keep: int | None = None) -> snapshots.Written:
    files = [("page.json", f'{{"version": {n}}}'.encode()), ("sub/extra.bin", bytes([n]) * 3)]
    return snapshots.replace_snapshot("carteco", files, {"source": "carteco", "records": n}, root=root, keep=keep)


def test_first_write_has_no_history(tmp_path: Path) -> None:
    written = write(tmp_path, 1)
    assert written.archived is None and snapshots.history("carteco", tmp_path) == []
    assert not (tmp_path / HISTORY_NAME).exists()


def test_replaced_snapshot_is_kept_byte_for_byte(tmp_path: Path) -> None:
    write(tmp_path, 1)
    first = tree(tmp_path / "carteco")
    written = write(tmp_path, 2)
    versions = snapshots.history("carteco", tmp_path)
    assert [v.id for v in versions] == [written.archived]
    assert tree(versions[0].path) == first
    assert versions[0].manifest["records"] == 1
    assert snapshots.read_manifest("carteco", tmp_path)["records"] == 2
    # the history is hidden: not a source, not a payload
    assert set(store.manifests(tmp_path)) == {"carteco"}
    assert [f.path for f in snapshots.read_snapshot("carteco", tmp_path)] == ["page.json", "sub/extra.bin"]


def test_history_is_bounded_newest_first(tmp_path: Path) -> None:
    for n in range(1, 7):
        write(tmp_path, n, keep=3)
    versions = snapshots.history("carteco", tmp_path)
    assert [v.manifest["records"] for v in versions] == [5, 4, 3]  # 6 is current, 1 and 2 pruned
    assert [v.id for v in versions] == sorted((v.id for v in versions), reverse=True)
    assert all(v.replaced_at.tzinfo is not None for v in versions)


def test_keep_comes_from_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCIER_HISTORY_KEEP", "2")
    for n in range(1, 6):
        write(tmp_path, n)
    assert len(snapshots.history("carteco", tmp_path)) == 2
    monkeypatch.setenv("SOURCIER_HISTORY_KEEP", "0")
    write(tmp_path, 6)
    assert len(snapshots.history("carteco", tmp_path)) == 2  # 0: the replaced one is deleted, others stay


def test_restore_default_is_the_previous_and_can_be_undone(tmp_path: Path) -> None:
    write(tmp_path, 1)
    first = tree(tmp_path / "carteco")
    write(tmp_path, 2)
    second = tree(tmp_path / "carteco")
    chosen, written = snapshots.restore("carteco", root=tmp_path)
    assert tree(tmp_path / "carteco") == first  # payloads and manifest, byte for byte
    assert chosen.manifest["records"] == 1
    kept = {v.id: tree(v.path) for v in snapshots.history("carteco", tmp_path)}
    assert kept[written.archived] == second and kept[chosen.id] == first  # both kept
    snapshots.restore("carteco", root=tmp_path)  # the previous one is now the second: undo
    assert tree(tmp_path / "carteco") == second


def test_restore_by_id_and_refusals(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="aucune version précédente"):
        snapshots.restore("carteco", root=tmp_path)
    for n in (1, 2, 3):
        write(tmp_path, n)
    oldest = snapshots.history("carteco", tmp_path)[-1]
    snapshots.restore("carteco", oldest.id, root=tmp_path)
    assert snapshots.read_manifest("carteco", tmp_path)["records"] == 1
    before = tree(tmp_path)
    with pytest.raises(SourceError, match=r"version inconnue : '2020'.*versions conservées"):
        snapshots.restore("carteco", "2020", root=tmp_path)
    assert tree(tmp_path) == before  # nothing changed


def test_refused_path_changes_nothing(tmp_path: Path) -> None:
    write(tmp_path, 1)
    before = tree(tmp_path)
    with pytest.raises(SourceError, match="chemin de fichier refusé"):
        snapshots.replace_snapshot("carteco", [SnapshotFile("../evil.json", b"x")], {}, root=tmp_path)
    assert tree(tmp_path) == before and not (tmp_path / HISTORY_NAME).exists()


def test_failed_swap_puts_the_previous_snapshot_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, 1)
    current = tree(tmp_path / "carteco")
    real_replace = snapshots.os.replace
    calls: list[str] = []

    def failing_second(src, dst):
        calls.append(str(dst))
        if len(calls) == 2:
            raise OSError("disque plein")
        real_replace(src, dst)

    monkeypatch.setattr(snapshots.os, "replace", failing_second)
    with pytest.raises(OSError, match="disque plein"):
        write(tmp_path, 2)
    monkeypatch.setattr(snapshots.os, "replace", real_replace)
    assert tree(tmp_path / "carteco") == current
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".carteco")]  # temporary removed


def test_digest_depends_on_paths_and_bytes() -> None:
    a = [SnapshotFile("a.json", b"1"), SnapshotFile("b.json", b"2")]
    assert snapshots.digest(a) == snapshots.digest(list(reversed(a)))
    assert snapshots.digest(a) != snapshots.digest([SnapshotFile("a.json", b"12"), SnapshotFile("b.json", b"")])


def test_demo_over_demo_keeps_no_history_but_real_data_is_kept(tmp_path: Path) -> None:
    write_demo(n_actors=40, root=tmp_path)
    write_demo(n_actors=40, root=tmp_path)
    assert not (tmp_path / "snapshots" / HISTORY_NAME).exists()  # regenerable from its seed
    root = tmp_path / "snapshots"
    real = [("cress.csv", b"Raison sociale;Code postal\nA;45000\n")]
    snapshots.replace_snapshot("cress", real, {"source": "cress", "demo": False}, root=root)
    write_demo(n_actors=40, root=tmp_path)
    versions = snapshots.history("cress", root)
    assert (versions[0].path / "cress.csv").read_bytes() == real[0][1]  # the real file, replaced by the demo
    assert versions[0].manifest["demo"] is False
