"""A table built by an older version (columns missing) is rebuilt instead of failing the pages."""

from __future__ import annotations

from types import SimpleNamespace

from mapping import store


def test_a_table_missing_schema_columns_is_rebuilt(actors_factory, tmp_path, monkeypatch):
    old = actors_factory(5).drop(columns=["labels"])
    path = tmp_path / "suppliers.parquet"
    old.to_parquet(path)
    assert store.missing_columns(path) == ["labels"]
    built = []

    def build(output):
        built.append(output)
        store.write_suppliers(actors_factory(7), output)
        return SimpleNamespace(summary=lambda: "7 acteurs")

    monkeypatch.setattr(store, "build", build)
    table = store.load_suppliers(path)
    assert built == [path] and len(table) == 7 and "labels" in table.columns
    assert store.missing_columns(path) == []
    store.load_suppliers(path)
    assert built == [path]  # a current table is read as it is
