"""The change journal (mapping.build.journal): one whole JSON line per change, read back in order."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from mapping.build import journal
from mapping.build.table import write_suppliers


def entry(n: int, **kwargs) -> journal.Entry:
    return journal.Entry(action="import", source="cress", user=f"agent{n}", via=journal.VIA_WEB, **kwargs)


def test_append_and_read(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "journal.jsonl"
    assert journal.read(path) == []
    journal.append(entry(1, file_name="a.csv", sha256="ab" * 32, rows_read=3), path)
    journal.append(journal.Entry(action="restore", source="urscop", user=None, via=journal.VIA_CLI), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all(json.loads(line) for line in lines)
    first, second = journal.read(path)
    assert first["user"] == "agent1" and first["file_name"] == "a.csv" and first["rows_read"] == 3
    assert first["at"].endswith("+00:00") and second["action"] == "restore" and second["user"] is None
    assert [e["source"] for e in journal.read(path, source="urscop")] == ["urscop"]


def test_default_path_is_the_setting(private_journal: Path) -> None:
    assert journal.journal_path() == private_journal
    journal.append(entry(1))
    assert journal.read()[0]["user"] == "agent1"


def test_torn_line_is_skipped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    journal.append(entry(1), path)
    with path.open("a", encoding="utf-8") as f:
        f.write('{"action": "import", "sou')  # power cut in the middle of a line
    journal.append(entry(2), path)
    assert [e["user"] for e in journal.read(path)] == ["agent1", "agent2"]  # the next entry starts a new line
    assert len(path.read_text(encoding="utf-8").splitlines()) == 3


def test_concurrent_appends_stay_whole(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    threads = [threading.Thread(target=lambda n=n: journal.append(entry(n), path)) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(e["user"] for e in journal.read(path)) == sorted(f"agent{n}" for n in range(40))


def test_text_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    name = 'export "<script>".csv\nligne'
    journal.append(entry(1, file_name=name), path)
    assert len(path.read_text(encoding="utf-8").splitlines()) == 1
    assert journal.read(path)[0]["file_name"] == name


def test_count_actors(tmp_path: Path, actors) -> None:
    assert journal.count_actors(tmp_path / "absent.parquet") is None
    assert journal.count_actors(write_suppliers(actors, tmp_path / "t.parquet")) == len(actors)
    assert journal.system_user()
