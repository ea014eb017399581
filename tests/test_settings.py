"""Settings: one reader of the environment, and every SOURCIER_* variable documented in the README."""

import ast
import re
from pathlib import Path

from mapping import settings

ROOT = Path(__file__).resolve().parents[1]
CODE_DIRS = ("mapping", "connectors", "pages", "tests", "benchmarks", "scripts")
_VAR_RE = re.compile(r"SOURCIER_[A-Z0-9_]*[A-Z0-9]|SOURCIER_\{[^}]*\}_URL|SOURCIER_<NAME>_URL")


def _code_files():
    yield ROOT / "app.py"
    for folder in CODE_DIRS:
        yield from (ROOT / folder).rglob("*.py")


def _readme_variables() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `(SOURCIER_[A-Z0-9_<>]+)` \|", text, flags=re.M))


def test_readme_lists_exactly_the_settings_variables():
    assert _readme_variables() == set(settings.VARIABLES)


def test_every_variable_named_in_code_is_in_the_readme():
    documented = _readme_variables()
    sources = {name.upper() for name in __import__("connectors").REGISTRY}
    undocumented = {}
    for path in _code_files():
        for name in _VAR_RE.findall(path.read_text(encoding="utf-8")):
            if (
                name.startswith("SOURCIER_{")
                or name == "SOURCIER_<NAME>_URL"
                or (name.endswith("_URL") and name[len("SOURCIER_") : -len("_URL")] in sources)
            ):
                name = "SOURCIER_<NAME>_URL"
            if name not in documented:
                undocumented.setdefault(name, []).append(str(path.relative_to(ROOT)))
    assert undocumented == {}


def test_only_the_settings_module_reads_the_environment():
    readers = []
    for folder in ("mapping", "connectors", "pages"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == ROOT / "mapping" / "settings.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}:
                    readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert readers == []


def test_load_reads_each_variable(tmp_path):
    env = {
        "SOURCIER_DATA_DIR": str(tmp_path),
        "SOURCIER_REGION": "53",
        "SOURCIER_CARTECO_URL": "http://127.0.0.1:9/",
        "SOURCIER_BAN_URL": "http://127.0.0.1:8/geo/",
        "SOURCIER_HTTP_TIMEOUT": "3,30",
        "SOURCIER_USER_HEADER": "X-Forwarded-User",
        "SOURCIER_IMPORTERS": "alice, Bob ,,",
        "SOURCIER_JOURNAL_PATH": str(tmp_path / "j.jsonl"),
        "SOURCIER_HISTORY_KEEP": "3",
        "SOURCIER_IMPORT_MAX_DROP": "45 %",
    }
    s = settings.load(env)
    assert s.data_dir == tmp_path and s.snapshots_dir == tmp_path / "snapshots"
    assert s.build_path == tmp_path / "build" / "suppliers.parquet" and s.cache_dir == tmp_path / "cache"
    assert s.reference_dir == tmp_path / "reference"
    assert s.region == "53"
    assert s.source_url("carteco", "https://default") == "http://127.0.0.1:9"
    assert s.source_url("sinoe", "https://default/") == "https://default"
    assert s.ban_url == "http://127.0.0.1:8/geo"
    assert s.timeout == (3.0, 30.0)
    assert s.user_header == "X-Forwarded-User" and s.importers == {"alice", "bob"} and s.imports_restricted
    assert s.journal_path == tmp_path / "j.jsonl" and s.history_keep == 3 and s.import_max_drop == 0.45


def test_defaults_and_bad_values():
    s = settings.load({"SOURCIER_HTTP_TIMEOUT": "vite"})
    assert s.region == "24" and s.timeout == settings.DEFAULT_TIMEOUT
    assert s.data_dir == settings.REPO_ROOT / "data"
    assert s.user_header is None and s.importers == frozenset() and not s.imports_restricted
    assert s.journal_path == s.data_dir / "journal.jsonl" and s.history_keep == 10 and s.import_max_drop == 0.30
    bad = settings.load({"SOURCIER_HISTORY_KEEP": "-1", "SOURCIER_IMPORT_MAX_DROP": "150"})
    assert bad.history_keep == 10 and bad.import_max_drop == 0.30
    assert s.rate("recherche_entreprises") == 2.0 and s.rate("inconnue") == settings.DEFAULT_RATE


def test_get_follows_environment_changes(monkeypatch):
    monkeypatch.setenv("SOURCIER_REGION", "53")
    assert settings.get().region == "53"
    monkeypatch.delenv("SOURCIER_REGION")
    assert settings.get().region == "24"


def test_database_urls(tmp_path):
    s = settings.load({"SOURCIER_DATA_DIR": str(tmp_path)})
    assert s.database_url is None and s.test_database_url is None
    assert s.default_database_path == tmp_path / "db" / "sourcier.sqlite3"
    url = "postgresql+psycopg://sourcier@db.example:5432/sourcier"
    s = settings.load({"SOURCIER_DATABASE_URL": url, "SOURCIER_TEST_DATABASE_URL": url + "_test"})
    assert s.database_url == url and s.test_database_url == url + "_test"
    assert s.source_urls == {}  # neither is taken for a source's base URL
