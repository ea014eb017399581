"""Every setting of Sourcier in one place: folders, region, HTTP policy, service URLs, who may import.

This is the only module that reads the environment. :func:`get` returns the current
:class:`Settings`; it is built once and rebuilt only when a ``SOURCIER_*`` variable changed (tests
change them with ``monkeypatch.setenv``). Every variable is listed in :data:`VARIABLES` and in the
README's table; a test fails when code names a ``SOURCIER_*`` variable the README does not list.

Defaults suit a checkout: data under ``<repository>/data``. An installed package (``pip install .``)
finds its data through ``SOURCIER_DATA_DIR``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

#: Repository root (``mapping/..``): where ``data/`` lives in a checkout.
REPO_ROOT = Path(__file__).resolve().parents[1]

#: Every environment variable Sourcier reads, with its French description (README table).
VARIABLES: Mapping[str, str] = MappingProxyType(
    {
        "SOURCIER_DATA_DIR": "dossier des données (référentiels, instantanés, construction, cache) ; défaut `data/`",
        "SOURCIER_SNAPSHOTS_DIR": "dossier des instantanés des sources ; défaut `<données>/snapshots`",
        "SOURCIER_BUILD_PATH": "table construite à lire/écrire ; défaut `<données>/build/suppliers.parquet`",
        "SOURCIER_CACHE_DIR": "dossier du cache (géocodage) ; défaut `<données>/cache`",
        "SOURCIER_REGION": "code INSEE de la région (défaut `24`, Centre-Val de Loire)",
        "SOURCIER_<NAME>_URL": "URL de base (schéma + hôte) de la source `<NAME>`, p. ex. `SOURCIER_CARTECO_URL`",
        "SOURCIER_BAN_URL": "URL de base du géocodeur BAN (défaut : Géoplateforme)",
        "SOURCIER_HTTP_TIMEOUT": "délais HTTP en secondes « connexion,lecture » (défaut `5,60`)",
        "SOURCIER_SKIP_BROWSER": "`1` : ignorer explicitement les tests navigateur quand `/usr/bin/chromium` manque",
        "SOURCIER_USER_HEADER": "en-tête HTTP de confiance portant l'identité de l'agent (p. ex. `X-Forwarded-User`)",
        "SOURCIER_IMPORTERS": "identités autorisées à importer et restaurer dans l'application (virgules)",
        "SOURCIER_JOURNAL_PATH": "journal des modifications (JSON Lines) ; défaut `<données>/journal.jsonl`",
        "SOURCIER_HISTORY_KEEP": "nombre d'instantanés précédents conservés par source (défaut `10`, `0` : aucun)",
        "SOURCIER_IMPORT_MAX_DROP": "part (%) des structures qu'un import retire sans confirmation (défaut `30`)",
        "SOURCIER_DATABASE_URL": "base des sélections (SQLAlchemy) ; défaut : SQLite `<données>/db/sourcier.sqlite3`",
        "SOURCIER_TEST_DATABASE_URL": "serveur PostgreSQL sur lequel la suite de tests rejoue les tests des sélections",
    }
)

DEFAULT_REGION = "24"
USER_AGENT = "Sourcier/0.1 (+https://github.com/region-centre-val-de-loire/sourcier; achats-responsables)"
DEFAULT_TIMEOUT = (5.0, 60.0)
#: Requests per second when nothing else is configured.
DEFAULT_RATE = 5.0
#: Requests per second per source. The API Recherche d'entreprises allows 7 req/s per IP but
#: answered 429 at 5 req/s in the field; GoGoCarto instances are small servers; the BAN allows 50 (we keep 10).
SOURCE_RATES: Mapping[str, float] = MappingProxyType(
    {
        "recherche_entreprises": 2.0,
        "carteco": 1.0,
        "ademe_lvao": 5.0,
        "sinoe": 5.0,
        "georisques": 4.0,
        "ban": 10.0,
    }
)
#: Géoplateforme geocoder (the BAN's current home).
BAN_URL = "https://data.geopf.fr/geocodage"
#: Previous snapshots kept per source.
DEFAULT_HISTORY_KEEP = 10
#: Share of a source's records (0-1) an import may remove without ``--force`` / confirmation.
DEFAULT_IMPORT_MAX_DROP = 0.30


@dataclass(frozen=True)
class Settings:
    """The settings in force (see :data:`VARIABLES`)."""

    data_dir: Path
    snapshots_dir: Path
    build_path: Path
    cache_dir: Path
    region: str
    ban_url: str
    timeout: tuple[float, float]
    source_urls: Mapping[str, str] = field(default_factory=dict)
    user_agent: str = USER_AGENT
    default_rate: float = DEFAULT_RATE
    source_rates: Mapping[str, float] = field(default_factory=lambda: SOURCE_RATES)
    #: Trusted request header naming the agent (None: imports open to every visitor, as on a laptop).
    user_header: str | None = None
    #: Identities allowed to import and restore from the app (casefolded).
    importers: frozenset[str] = frozenset()
    journal_path: Path | None = None
    history_keep: int = DEFAULT_HISTORY_KEEP
    import_max_drop: float = DEFAULT_IMPORT_MAX_DROP

    @property
    def imports_restricted(self) -> bool:
        """True when the app must check who imports (a header or a list of importers is set)."""
        return self.user_header is not None or bool(self.importers)

    #: SQLAlchemy URL of the shortlist database (``None``: the SQLite file :attr:`default_database_path`).
    database_url: str | None = None
    #: PostgreSQL URL the test suite also runs the shortlist tests on (``None``: those runs are skipped).
    test_database_url: str | None = None

    @property
    def default_database_path(self) -> Path:
        """The embedded SQLite database used when ``SOURCIER_DATABASE_URL`` is not set (git-ignored)."""
        return self.data_dir / "db" / "sourcier.sqlite3"

    @property
    def reference_dir(self) -> Path:
        """Committed reference tables (taxonomy, geography, mappings, partner-file specs)."""
        return self.data_dir / "reference"

    @property
    def demo_dir(self) -> Path:
        """Ground truth of the demo world."""
        return self.data_dir / "demo"

    def source_url(self, name: str, default: str) -> str:
        """Base URL of source ``name``: ``SOURCIER_<NAME>_URL`` when set, else ``default``; no
        trailing slash."""
        return (self.source_urls.get(name.upper()) or default).rstrip("/")

    def rate(self, name: str) -> float:
        """Requests per second for source ``name``."""
        return self.source_rates.get(name, self.default_rate)


#: ``SOURCIER_*_URL`` variables that are not a source's base URL.
_NOT_SOURCE_URLS = frozenset({"SOURCIER_BAN_URL", "SOURCIER_DATABASE_URL", "SOURCIER_TEST_DATABASE_URL"})


def env_var_name(name: str) -> str:
    """Name of the environment variable overriding a source's base URL."""
    return f"SOURCIER_{name.upper()}_URL"


def _timeout(text: str) -> tuple[float, float]:
    try:
        parts = [float(p) for p in text.replace(";", ",").split(",") if p.strip()]
    except ValueError:
        return DEFAULT_TIMEOUT
    if len(parts) == 1:
        parts = parts * 2
    return (parts[0], parts[1]) if len(parts) == 2 and min(parts) > 0 else DEFAULT_TIMEOUT


def _count(text: str, default: int) -> int:
    try:
        value = int(text)
    except ValueError:
        return default
    return value if value >= 0 else default


def _percent(text: str, default: float) -> float:
    try:
        value = float(text.replace("%", "").replace(",", ".").strip())
    except ValueError:
        return default
    return value / 100 if 0 <= value <= 100 else default


def identities(text: str) -> frozenset[str]:
    """``"alice, Bob@region.fr"`` -> ``{"alice", "bob@region.fr"}`` (casefolded, blanks dropped)."""
    return frozenset(part.strip().casefold() for part in text.split(",") if part.strip())


def load(environ: Mapping[str, str]) -> Settings:
    """Settings from an environment mapping (pure: tests pass a dict)."""

    def value(name: str) -> str:
        return (environ.get(name) or "").strip()

    data_dir = Path(value("SOURCIER_DATA_DIR") or REPO_ROOT / "data")
    urls = {
        key[len("SOURCIER_") : -len("_URL")]: val.strip()
        for key, val in environ.items()
        if key.startswith("SOURCIER_") and key.endswith("_URL") and key not in _NOT_SOURCE_URLS and val.strip()
    }
    return Settings(
        data_dir=data_dir,
        snapshots_dir=Path(value("SOURCIER_SNAPSHOTS_DIR") or data_dir / "snapshots"),
        build_path=Path(value("SOURCIER_BUILD_PATH") or data_dir / "build" / "suppliers.parquet"),
        cache_dir=Path(value("SOURCIER_CACHE_DIR") or data_dir / "cache"),
        region=value("SOURCIER_REGION") or DEFAULT_REGION,
        ban_url=(value("SOURCIER_BAN_URL") or BAN_URL).rstrip("/"),
        timeout=_timeout(value("SOURCIER_HTTP_TIMEOUT")) if value("SOURCIER_HTTP_TIMEOUT") else DEFAULT_TIMEOUT,
        source_urls=MappingProxyType(urls),
        user_header=value("SOURCIER_USER_HEADER") or None,
        importers=identities(value("SOURCIER_IMPORTERS")),
        journal_path=Path(value("SOURCIER_JOURNAL_PATH") or data_dir / "journal.jsonl"),
        history_keep=_count(value("SOURCIER_HISTORY_KEEP"), DEFAULT_HISTORY_KEEP),
        import_max_drop=_percent(value("SOURCIER_IMPORT_MAX_DROP"), DEFAULT_IMPORT_MAX_DROP),
        database_url=value("SOURCIER_DATABASE_URL") or None,
        test_database_url=value("SOURCIER_TEST_DATABASE_URL") or None,
    )


_cache: tuple[tuple[tuple[str, str], ...], Settings] | None = None


def get() -> Settings:
    """The current settings, read from the environment (rebuilt only when a ``SOURCIER_*`` variable
    changed)."""
    global _cache
    key = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("SOURCIER_")))
    if _cache is None or _cache[0] != key:
        _cache = (key, load(dict(key)))
    return _cache[1]


__all__ = ["REPO_ROOT", "VARIABLES", "Settings", "env_var_name", "get", "identities", "load"]
