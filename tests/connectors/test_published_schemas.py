"""Demo snapshots against the schemas the services publish (unknown keys refused, null tolerated).

The demo world must answer exactly as the live services do, or the offline product hides the
bugs of the live one. Schemas and their provenance: ``tests/fixtures/real/README.md``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mapping import settings
from tests.connectors.published_schema import errors, json_validator, openapi_validator

SNAPSHOTS_ROOT = settings.get().snapshots_dir

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
OPENAPI = "recherche-entreprises_open-api.yml"
#: Keys the live API sends that its published OpenAPI does not list yet (seen in the recorded answers).
UNPUBLISHED_KEYS = frozenset({"admin", "immatriculation", "slug", "a_aide_ademe", "a_aide_minimis"})
_EXTRA_RE = re.compile(r"Additional properties are not allowed \((?P<keys>.*) (?:was|were) unexpected\)")


def _pages(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/page-*.json")) or sorted(folder.glob("*.page.json"))


def test_every_demo_recherche_entreprises_page_follows_the_openapi() -> None:
    validator = openapi_validator(OPENAPI, "payload")
    pages = _pages(SNAPSHOTS_ROOT / "recherche_entreprises")
    assert len(pages) > 100
    failures = []
    for page in pages:
        failures += [f"{page.parent.name}/{page.name} {e}" for e in errors(validator, json.loads(page.read_bytes()))]
    assert failures == [], f"{len(failures)} écarts au schéma, dont : {failures[:5]}"


def test_the_strict_schema_refuses_what_the_real_api_never_sends() -> None:
    """The validator is not lenient: the keys the demo used to put in the wrong place fail."""
    validator = openapi_validator(OPENAPI, "payload")
    page = json.loads(next(iter(_pages(SNAPSHOTS_ROOT / "recherche_entreprises"))).read_bytes())
    result = page["results"][0]
    result["siege"]["ancien_siege"] = False
    result["matching_etablissements"][0]["libelle_voie"] = "DE PARIS"
    found = list(errors(validator, page))
    assert any("ancien_siege" in e for e in found) and any("libelle_voie" in e for e in found)
    result["siege"].pop("ancien_siege")
    result["matching_etablissements"][0].pop("libelle_voie")
    result["siege"]["latitude"] = None  # null is tolerated everywhere
    assert list(errors(validator, page)) == []


@pytest.mark.parametrize("page", _pages(REAL / "recherche_entreprises"), ids=lambda p: p.name)
def test_real_answers_only_add_keys_the_openapi_does_not_list_yet(page: Path) -> None:
    """Recorded live answers fit the same schema but for a few newer keys (which the connector ignores)."""
    validator = openapi_validator(OPENAPI, "payload")
    for error in errors(validator, json.loads(page.read_bytes())):
        match = _EXTRA_RE.search(error)
        assert match, error
        keys = set(re.findall(r"'([^']+)'", match["keys"]))
        assert keys <= UNPUBLISHED_KEYS, error


GEORISQUES = "georisques-v1-installations_classees.schema.json"
LVAO = "ademe-lvao-acteurs-lines.schema.json"


def test_every_demo_ademe_lvao_page_follows_the_documented_columns() -> None:
    validator = json_validator(LVAO)
    pages = sorted((SNAPSHOTS_ROOT / "ademe_lvao" / "lines").glob("page-*.json"))
    assert pages
    failures = []
    for page in pages:
        failures += [f"{page.name} {e}" for e in errors(validator, json.loads(page.read_bytes()))]
    assert failures == [], f"{len(failures)} écarts au schéma, dont : {failures[:5]}"
    bad = json.loads(pages[0].read_bytes())
    bad["results"][0]["numero_voie"] = "3"  # not a column of the export
    bad["results"][0]["latitude"] = "47.9"  # a float column
    found = list(errors(validator, bad))
    assert any("numero_voie" in e for e in found) and any("latitude" in e for e in found)


def test_every_demo_georisques_page_follows_the_installation_classee_model() -> None:
    validator = json_validator(GEORISQUES)
    pages = sorted((SNAPSHOTS_ROOT / "georisques").glob("dep-*/page-*.json"))
    assert pages
    failures = []
    for page in pages:
        failures += [f"{page.parent.name}/{page.name} {e}" for e in errors(validator, json.loads(page.read_bytes()))]
    assert failures == [], f"{len(failures)} écarts au schéma, dont : {failures[:5]}"


def test_the_georisques_model_refuses_unknown_keys_and_wrong_types() -> None:
    validator = json_validator(GEORISQUES)
    page = json.loads(next(iter(sorted((SNAPSHOTS_ROOT / "georisques").glob("dep-*/page-*.json")))).read_bytes())
    item = page["data"][0]
    item["adresse"] = "1 RUE X"  # the model has adresse1..3 only
    item["coordonneeXAIOT"] = 633536.3  # integer in the model
    found = list(errors(validator, page))
    assert any("adresse" in e for e in found) and any("coordonneeXAIOT" in e for e in found)
