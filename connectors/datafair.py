"""Cursor paging of a data-fair ``lines`` endpoint (``data.ademe.fr``), shared by the ADEME sources.

data-fair (https://github.com/data-fair/data-fair) serves a dataset's rows at
``GET /data-fair/api/v1/datasets/<id>/lines``; it answers
``{"total": N, "next": "<url with after=…>", "results": [...]}``. ``page``×``size`` is capped at
10 000, so deep reads follow the ``next`` URL (cursor ``after``) until it disappears.

Policy (pystac-client / dlt style):

* the first request carries the caller's parameters (``size``, filters, ``sort``); the following
  requests are the ``next`` URLs, **rebased onto the configured base URL** (a data-fair instance
  behind a proxy may announce its internal host) [verify];
* a repeated cursor, a ``next`` without ``after`` or too many pages is a :class:`SourceError`
  (a loop, not a complete read);
* the read is complete when the rows received reach ``total`` of the first page; fewer rows when
  the cursor ends is a truncated read, reported as an error so that the previous snapshot stays.

Recorded answers of ADEME datasets (``tests/fixtures/real/ademe_datafair``) show the envelope
(``total``, ``results``; no ``next`` on the last page), data-fair's own keys on each line (``_i``,
``_id``, ``_rand``, ``_score``) and column names served as stored, mojibake included: rows are
passed on as they come, none of those keys is required.

Snapshot files (relative to the source folder): ``lines/page-start.json`` for the first request,
``lines/page-after-<cursor>.json`` for each cursor (numeric cursors zero-padded so that the files
sort in reading order; other cursors are kept when short and safe, else hashed). The exact cursor
syntax (``_i`` of the last row when sorting on ``_i``) is [verify].
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from connectors.base import SourceError, query_params
from mapping.http import parse_json

if TYPE_CHECKING:
    from mapping.http import HttpClient

logger = logging.getLogger(__name__)

#: Folder of the pages inside a source's snapshot.
LINES_DIR = "lines"
#: Safety stop: 1 000 pages of 1 000 rows is far above any regional extract.
MAX_PAGES = 1_000
_SAFE_CURSOR_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_PAGE_RE = re.compile(r"^(?P<folder>[a-z_]+)/page-(start|after-[A-Za-z0-9_.-]+)\.json$")


def lines_url(base_url: str, dataset: str) -> str:
    """URL of the ``lines`` endpoint of ``dataset`` on a data-fair instance."""
    return f"{base_url.rstrip('/')}/data-fair/api/v1/datasets/{dataset}/lines"


def is_lines_request(url: str, dataset: str) -> bool:
    """True when ``url`` (query ignored) is the ``lines`` endpoint of ``dataset``."""
    path = urlsplit(url).path.rstrip("/")
    return path.endswith(f"/datasets/{dataset}/lines")


def cursor_file(cursor: str, folder: str = LINES_DIR) -> str:
    """Snapshot file of the page read with ``after=<cursor>``."""
    if cursor.isdigit():
        name = f"{int(cursor):012d}"
    elif _SAFE_CURSOR_RE.match(cursor):
        name = cursor
    else:
        name = "h" + hashlib.sha1(cursor.encode("utf-8")).hexdigest()[:16]  # a file name, not security
    return f"{folder}/page-after-{name}.json"


def page_path(url: str, params: Mapping[str, Any] | None = None, *, folder: str = LINES_DIR) -> str:
    """Snapshot file of a ``lines`` request: the start page or the page of its ``after`` cursor,
    under ``folder`` (one folder per dataset when a source reads several)."""
    cursor = query_params(url, params).get("after", "")
    return cursor_file(cursor, folder) if cursor else f"{folder}/page-start.json"


def is_page_file(path: str, folder: str = LINES_DIR) -> bool:
    """True for the page files of ``folder`` (``manifest.json`` and others excluded)."""
    match = _PAGE_RE.match(path)
    return bool(match) and match["folder"] == folder


def rebase(next_url: str, base_url: str) -> str:
    """``next_url`` with the scheme and host of ``base_url`` (path and query kept)."""
    target = urlsplit(base_url)
    parts = urlsplit(next_url)
    return urlunsplit((target.scheme, target.netloc, parts.path, parts.query, ""))


def load_page(content: bytes, *, source: str, path: str) -> dict:
    """Decode one ``lines`` page; a body that is not a JSON object with a ``results`` list raises
    :class:`SourceError` (token-protected instance answering HTML/text, truncated body...)."""
    payload = parse_json(content, source=source, url=path)
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        msg = f"réponse inattendue dans {path} (objet JSON avec une liste « results » attendu)"
        raise SourceError(source, msg)
    return payload


@dataclass(frozen=True)
class Page:
    """One page read: its snapshot path, exact bytes and decoded payload."""

    path: str
    content: bytes
    payload: dict


def pages(
    http: HttpClient,
    url: str,
    params: Mapping[str, str],
    *,
    source: str,
    base_url: str,
    rate: float | None = None,
    max_pages: int = MAX_PAGES,
    folder: str = LINES_DIR,
) -> Iterator[Page]:
    """Every page of a ``lines`` query, following ``next`` to the end (see the module docstring).

    Raises
    ------
    SourceError
        HTTP failure, unreadable page, looping cursor or a read that stops before ``total`` rows.
    """
    headers = {"Accept": "application/json"}
    seen: set[str] = set()
    request_url, request_params = url, dict(params)
    total: int | None = None
    received = 0
    for number in range(1, max_pages + 1):
        response = http.get(request_url, params=request_params, source=source, rate=rate, headers=headers)
        path = page_path(request_url, request_params, folder=folder)
        payload = load_page(response.content, source=source, path=path)
        if number == 1:
            total = _int_or_none(payload.get("total"))
        rows = payload["results"]
        received += len(rows)
        yield Page(path, response.content, payload)
        next_url = payload.get("next")
        if not rows or not isinstance(next_url, str) or not next_url or (total is not None and received >= total):
            break
        cursor = query_params(next_url).get("after", "")
        if not cursor:
            msg = f"lien « next » sans curseur « after » après la page {number} : {next_url[:200]}"
            raise SourceError(source, msg)
        if cursor in seen:
            msg = f"curseur « after={cursor[:60]} » répété après la page {number} : pagination en boucle"
            raise SourceError(source, msg)
        seen.add(cursor)
        request_url, request_params = rebase(next_url, base_url), {}
    else:
        msg = f"plus de {max_pages} pages : lecture interrompue"
        raise SourceError(source, msg)
    if total is not None and received < total:
        msg = f"lecture incomplète : {received} lignes reçues sur {total} annoncées"
        raise SourceError(source, msg)
    logger.info("%s : %d lignes lues", source, received)


def rows(
    files: Iterator[tuple[str, bytes]] | list[tuple[str, bytes]], *, source: str, folder: str = LINES_DIR
) -> Iterator[dict]:
    """Rows of every page file of ``folder`` (``(path, content)``), in the order given."""
    for path, content in files:
        if not is_page_file(path, folder):
            continue
        for row in load_page(content, source=source, path=path)["results"]:
            if isinstance(row, dict):
                yield row


def json_list(value: object) -> list:
    """A JSON-encoded list cell (``"[{…}]"``) or an already decoded list; ``[]`` when unreadable."""
    if isinstance(value, list):
        return value
    if not isinstance(value, str) or not value.strip():
        return []
    try:
        decoded = json.loads(value)
    except ValueError:
        return []
    return decoded if isinstance(decoded, list) else []


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
