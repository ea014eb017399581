"""The shortlist store on SQLite and PostgreSQL (same tests, see conftest.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from mapping import shortlists
from mapping.shortlists.store import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


def test_tables_are_created_on_first_use_with_a_schema_version(database_url):
    store = shortlists.open_store(database_url)
    names = set(sa.inspect(store.engine).get_table_names())
    assert {"sourcier_schema", "shortlists", "shortlist_items"} <= names
    assert store.schema_version() == SCHEMA_VERSION == 1


def test_create_lists_rename_delete(store):
    first = store.create("Traiteurs bio du Loiret", owner="Camille")
    second = store.create("  Espaces verts   Tours ")
    listed = {row["id"]: row for row in store.lists()}
    assert set(listed) == {first, second}
    assert listed[first]["name"] == "Traiteurs bio du Loiret" and listed[first]["owner"] == "Camille"
    assert listed[second]["name"] == "Espaces verts Tours" and listed[second]["owner"] is None
    assert listed[first]["count"] == 0 and listed[first]["created_at"].endswith("+00:00")
    assert set(listed[first]) >= {"id", "name", "owner", "created_at", "count"}
    store.rename(first, "Traiteurs du Loiret")
    assert store.get(first)["name"] == "Traiteurs du Loiret"
    store.add(first, "a1")
    store.delete(first)
    assert [row["id"] for row in store.lists()] == [second]
    assert store.items(first) == []
    with pytest.raises(ValueError):
        store.create("   ")
    with pytest.raises(shortlists.UnknownListError):
        store.rename(first, "x")


def test_add_remove_note_and_order(store):
    list_id = store.create("Réemploi")
    assert store.add(list_id, "a1", "Très réactif", snapshot={"name": "Recyclerie", "siret": "1"})
    assert store.add(list_id, "a2")
    assert store.add(list_id, "a3")
    assert not store.add(list_id, "a1", "doublon")  # already there: unchanged
    items = store.items(list_id)
    assert [(i["uid"], i["position"], i["note"]) for i in items] == [
        ("a1", 0, "Très réactif"),
        ("a2", 1, ""),
        ("a3", 2, ""),
    ]
    assert set(items[0]) >= {"uid", "note", "position", "added_at"}
    assert items[0]["snapshot"] == {"name": "Recyclerie", "siret": "1"}
    assert store.get(list_id)["count"] == 3

    store.set_note(list_id, "a2", "À rappeler en janvier")
    store.move(list_id, "a3", 0)
    assert [(i["uid"], i["position"]) for i in store.items(list_id)] == [("a3", 0), ("a1", 1), ("a2", 2)]
    store.move(list_id, "a3", 99)  # clamped to the end
    assert [i["uid"] for i in store.items(list_id)] == ["a1", "a2", "a3"]
    store.remove(list_id, "a1")
    assert [(i["uid"], i["position"], i["note"]) for i in store.items(list_id)] == [
        ("a2", 0, "À rappeler en janvier"),
        ("a3", 1, ""),
    ]
    store.remove(list_id, "absent")  # nothing to do
    with pytest.raises(KeyError):
        store.set_note(list_id, "absent", "x")
    with pytest.raises(shortlists.UnknownListError):
        store.add("pas-une-liste", "a1")
    assert store.lists_with("a2") == [list_id]


def test_two_threads_adding_200_each_lose_none(store):
    list_id = store.create("Concurrence")
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(prefix: str) -> None:
        try:
            start.wait()
            for i in range(200):
                store.add(list_id, f"{prefix}{i:03d}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(p,)) for p in ("x", "y")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    items = store.items(list_id)
    assert len(items) == 400 and store.get(list_id)["count"] == 400
    assert {i["uid"] for i in items} == {f"{p}{i:03d}" for p in "xy" for i in range(200)}
    assert sorted(i["position"] for i in items) == list(range(400))  # none numbered twice


def _run(code: str, url: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, url], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_shortlist_survives_a_process_restart(database_url):
    write = (
        "import sys; from mapping import shortlists\n"
        "s = shortlists.open_store(sys.argv[1]); i = s.create('Rencontre de mars', owner='Dominique')\n"
        "s.add(i, 'a1', 'note gardée'); s.add(i, 'a2'); print(i)"
    )
    list_id = _run(write, database_url)
    read = (
        "import sys, json; from mapping import shortlists\n"
        "s = shortlists.open_store(sys.argv[1])\n"
        "print(json.dumps([[l['name'], l['owner'], l['count']] for l in s.lists()]))\n"
        f"print(json.dumps([[i['uid'], i['note']] for i in s.items({list_id!r})]))"
    )
    out = [json.loads(line) for line in _run(read, database_url).splitlines()]
    assert out == [[["Rencontre de mars", "Dominique", 2]], [["a1", "note gardée"], ["a2", ""]]]


def test_two_stores_on_one_database_see_each_other(database_url):
    """Two app instances: two engines on one database."""
    one = shortlists.ShortlistStore(shortlists.store._make_engine(database_url))
    two = shortlists.ShortlistStore(shortlists.store._make_engine(database_url))
    list_id = one.create("Partagée", owner="Agent A")
    two.add(list_id, "a9", "vu par B")
    assert [i["note"] for i in one.items(list_id)] == ["vu par B"]
    one.dispose()
    two.dispose()
