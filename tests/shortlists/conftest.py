"""The shortlist tests run twice, with the same code: on a SQLite file and on PostgreSQL.

PostgreSQL is the server named by ``SOURCIER_TEST_DATABASE_URL`` (``.ci/run`` installs the Debian
package, starts one and sets it). Without it the PostgreSQL run is skipped, and says why.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from mapping import settings, shortlists
from mapping.shortlists.store import metadata

NO_SERVER = (
    "PostgreSQL non configuré : définissez SOURCIER_TEST_DATABASE_URL=postgresql+psycopg://… "
    "(.ci/run démarre un serveur et la définit) pour rejouer ces tests sur PostgreSQL"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """A database URL with no shortlist table yet: a new SQLite file, or the test PostgreSQL emptied."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'shortlists.sqlite3'}"
    else:
        url = settings.get().test_database_url
        if not url:
            pytest.skip(NO_SERVER)
        engine = sa.create_engine(url)
        metadata.drop_all(engine)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS sourcier_schema"))
        engine.dispose()
    yield url
    shortlists.close_all()


@pytest.fixture
def store(database_url) -> shortlists.ShortlistStore:
    return shortlists.open_store(database_url)
