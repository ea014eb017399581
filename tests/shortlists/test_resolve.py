"""A shortlist against the current actor table: still there, found again by SIRET or source key, or gone."""

from __future__ import annotations

from mapping.shortlists import resolve, snapshot_of


def _item(uid: str, position: int, snapshot: dict | None = None, note: str = "") -> dict:
    return {
        "uid": uid,
        "note": note,
        "position": position,
        "added_at": "2026-12-01T10:00:00+00:00",
        "snapshot": snapshot or {},
    }


def test_snapshot_keeps_name_commune_siret_and_source_keys(actors):
    snap = snapshot_of(actors, "a00003")
    assert snap["name"] == "Acteur 3 Blois" and snap["city"] == "Blois" and snap["postcode"] == "41000"
    assert snap["siret"] == actors.loc[3, "siret"] and snap["source_keys"] == ["carteco:3"]
    assert snapshot_of(actors, "absent") == {}


def test_resolve_keeps_order_notes_and_reports_the_missing(actors):
    gone = {"name": "Ancienne recyclerie", "city": "Vierzon", "siret": "00000000000000", "source_keys": ["x:1"]}
    items = [_item("a00005", 1, note="deuxième"), _item("a00002", 0, note="premier"), _item("zzz", 2, gone)]
    found = resolve(actors, items)
    assert found.actors["uid"].tolist() == ["a00002", "a00005"]
    assert found.actors["note"].tolist() == ["premier", "deuxième"]
    assert [m["snapshot"]["name"] for m in found.missing] == ["Ancienne recyclerie"]
    assert found.total == 3 and found.relinked == {}


def test_an_actor_whose_uid_changed_is_found_again_by_siret_then_source_key(actors):
    by_siret = _item("old-uid-1", 0, {"siret": actors.loc[7, "siret"]})
    by_key = _item("old-uid-2", 1, {"siret": "", "source_keys": ["nope:1", "recherche_entreprises:4"]})
    found = resolve(actors, [by_siret, by_key])
    assert found.actors["uid"].tolist() == ["a00007", "a00004"]
    assert found.actors["item_uid"].tolist() == ["old-uid-1", "old-uid-2"]
    assert found.relinked == {"old-uid-1": "a00007", "old-uid-2": "a00004"} and found.missing == []


def test_two_items_merged_into_one_actor_both_stay_visible(actors):
    items = [_item("a00001", 0), _item("old", 1, {"siret": actors.loc[1, "siret"]})]
    found = resolve(actors, items)
    assert found.actors["uid"].tolist() == ["a00001", "a00001"]
    assert found.relinked == {"old": "a00001"} and found.missing == []
