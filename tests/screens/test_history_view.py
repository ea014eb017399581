"""French views of kept versions and of the journal (mapping.screens.history)."""

from __future__ import annotations

from pathlib import Path

from connectors.snapshots import Version
from mapping.build import journal
from mapping.screens.history import entry_line, journal_rows, version_label, version_line

VERSION = Version(
    "20261201T223456123456Z",
    Path("/tmp/v"),
    {"fetched_at": "2026-11-22T06:24:00+00:00", "records": 876, "import": {"file_name": "cress.xlsx"}, "demo": True},
)


def test_version_line_and_label() -> None:
    assert version_line(VERSION) == (
        "20261201T223456123456Z  remplacé le 2026-12-01 22:34 UTC — données du 2026-11-22, 876 structures, "
        "fichier cress.xlsx, démonstration"
    )
    assert version_label(VERSION).startswith("2026-12-01 22:34 — données du 2026-11-22")
    bare = Version("20261201T223456123456Z-2", Path("/tmp/v"), {})
    assert version_line(bare).endswith("données du date inconnue")


def test_journal_rows_newest_first_in_french() -> None:
    entries = [
        {"at": "2026-12-01T10:00:00+00:00", "action": "import", "source": "cress", "user": "alice",
         "via": journal.VIA_WEB, "file_name": "a.csv", "sha256": "ab" * 32, "rows_read": 10, "imported": 9,
         "refused": 1, "records_before": None, "records_after": 9, "actors_before": 100, "actors_after": 109},
        {"at": "2026-12-01T11:00:00+00:00", "action": "restore", "source": "cress", "user": None,
         "via": journal.VIA_CLI, "file_name": "a.csv", "restored_version": "20261201T100000000000Z",
         "records_before": 9, "records_after": 876, "actors_before": 109, "actors_after": None, "forced": False},
    ]  # fmt: skip
    newest, oldest = journal_rows(entries)
    assert newest["Action"] == "Restauration" and newest["Par"] == "non identifié"
    assert newest["Fichier"] == "a.csv (version 20261201T100000000000Z)"
    assert newest["Acteurs"] == "109 → non reconstruite" and newest["Structures"] == "9 → 876"
    assert oldest["Date"] == "2026-12-01 10:00 UTC" and oldest["Source"].startswith("CRESS")
    assert (oldest["Lignes lues"], oldest["Importées"], oldest["Refusées"]) == (10, 9, 1)
    assert oldest["Structures"] == "— → 9" and oldest["SHA-256"] == "ab" * 32
    assert len(journal_rows(entries * 3, limit=4)) == 4


def test_entry_line() -> None:
    entry = journal.Entry(action="import", source="cress", user="root", via=journal.VIA_CLI, previous_version="V1")
    assert (
        entry_line(entry)
        == "Journal : Import de fichier de cress par root ; instantané remplacé conservé : version V1."
    )
    assert journal.Entry(action="import", source="c", user=None, via="x").to_json().startswith('{"at":')
