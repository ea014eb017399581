"""The one place for HTTP policy: identifying User-Agent, timeouts, retries, throttling.

Connectors never call ``requests`` themselves; they receive an :class:`HttpClient`.

* Every request carries ``User-Agent`` :data:`USER_AGENT` and a ``(connect, read)`` timeout.
* Our own retry loop (not urllib3's ``Retry``, so that tests replaying responses exercise it)
  retries 429/500/502/503/504, connection errors and timeouts, up to ``max_attempts``, with
  exponential backoff and jitter; ``Retry-After`` (seconds or HTTP date) is honoured, capped.
* Other 4xx are fatal at once. Every failure ends as :class:`connectors.base.SourceError` whose
  French message names the source, the status and a truncated body, never a token.
* A per-host limiter spaces requests (monotonic clock, thread-safe) at the source's rate from
  :data:`mapping.settings.SOURCE_RATES` (one place for every rate).
* ``sleep``, ``clock``, ``wall_clock`` and ``jitter`` are injectable: tests run instantly and can
  assert the waits.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from mapping import settings
from mapping.errors import RetriableError, SourceError

logger = logging.getLogger(__name__)

USER_AGENT = settings.USER_AGENT
#: Statuses worth another attempt.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Characters of a response body quoted in an error message.
BODY_EXCERPT = 200

_SECRET_PARAM_RE = re.compile(r"(?i)\b(token|access_token|api_key|apikey|key|password|secret|authorization)=([^&#\s]*)")
_BEARER_RE = re.compile(r"(?i)\b(bearer|token|basic)\s+[A-Za-z0-9._~+/=-]{8,}")


def redact(text: str) -> str:
    """Remove secrets from a URL or message: ``token=…`` style parameters, credentials in the
    authority (``user:pass@host``) and ``Authorization``-like values."""
    try:
        parts = urlsplit(text)
        if parts.scheme and "@" in parts.netloc:
            host = parts.netloc.rsplit("@", 1)[1]
            text = urlunsplit(parts._replace(netloc=f"***@{host}"))
    except ValueError:
        pass
    text = _SECRET_PARAM_RE.sub(lambda m: f"{m.group(1)}=***", text)
    return _BEARER_RE.sub(lambda m: f"{m.group(1)} ***", text)


def excerpt(content: bytes | str, limit: int = BODY_EXCERPT) -> str:
    """First ``limit`` characters of a body, on one line, secrets removed."""
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit] + "…"
    return redact(text)


def parse_json(content: bytes, *, source: str, url: str = "") -> Any:
    """Decode a JSON body or raise :class:`SourceError` « réponse illisible »."""
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError):
        where = f" pour {redact(url)}" if url else ""
        msg = f"réponse illisible (JSON attendu){where} : {excerpt(content) or 'corps vide'}"
        raise SourceError(source, msg, url=redact(url) if url else None) from None


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)


class RateLimiter:
    """Minimum interval between calls, thread-safe (slots are reserved under a lock, waits
    happen outside it).

    Parameters
    ----------
    rate
        Calls per second (``<= 0`` disables the limiter).
    clock, sleep
        Monotonic clock and sleep function.
    """

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next: float | None = None

    def wait(self) -> float:
        """Block until the next slot; return the time waited (seconds)."""
        with self._lock:
            now = self._clock()
            slot = now if self._next is None else max(now, self._next)
            self._next = slot + self.interval
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return delay


@dataclass(frozen=True)
class RequestEvent:
    """What a progress callback receives after each attempt.

    ``retry_in`` is None for the final outcome of a request (success), else the seconds before
    the next attempt.
    """

    source: str
    url: str
    attempt: int
    status: int | None
    nbytes: int
    retry_in: float | None


ProgressCallback = Callable[[RequestEvent], None]


class HttpClient:
    """HTTP GET and POST with our policy (see the module docstring).

    Parameters
    ----------
    session
        A ``requests.Session`` (a new one by default).
    timeout
        ``(connect, read)`` seconds, passed to every request.
    max_attempts
        Attempts per request, first one included.
    backoff_base, backoff_max
        Exponential backoff: ``min(backoff_max, backoff_base * 2**(attempt-1))`` scaled by a
        jitter factor in ``[0.5, 1]``.
    max_retry_after
        Cap on a server's ``Retry-After``.
    rates
        Requests per second per host, overriding the per-source rates of :mod:`mapping.settings`.
    default_rate
        Rate of a request whose source has no rate in the settings.
    sleep, clock, wall_clock, jitter
        Injectable ``time.sleep``, ``time.monotonic``, ``time.time`` and ``random.random``.
    progress
        Default progress callback (one :class:`RequestEvent` per attempt).
    user_agent
        The identifying ``User-Agent``.
    """

    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] | None = None,
        max_attempts: int = 5,
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
        max_retry_after: float = 120.0,
        rates: Mapping[str, float] | None = None,
        default_rate: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
        progress: ProgressCallback | None = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        if max_attempts < 1:
            msg = "max_attempts doit valoir au moins 1"
            raise ValueError(msg)
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.timeout = timeout or settings.get().timeout
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.max_retry_after = max_retry_after
        self.rates = dict(rates or {})
        self.default_rate = default_rate if default_rate is not None else settings.DEFAULT_RATE
        self.sleep = sleep
        self.clock = clock
        self.wall_clock = wall_clock
        self.jitter = jitter
        self.progress = progress
        self._limiters: dict[str, RateLimiter] = {}
        self._limiters_lock = threading.Lock()

    # ------------------------------------------------------------------ public API

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        source: str = "",
        headers: Mapping[str, str] | None = None,
        rate: float | None = None,
        progress: ProgressCallback | None = None,
    ) -> requests.Response:
        """GET with retries; return the successful (2xx/3xx) response.

        Parameters
        ----------
        url, params
            Request URL and query parameters.
        source
            Registry name of the source, used in error messages (defaults to the host).
        headers
            Extra headers.
        rate
            Requests per second for this host, when the caller knows better than the client
            (e.g. the same API behind an overridden base URL).
        progress
            Progress callback for this request (else the client's default).

        Raises
        ------
        SourceError
            Fatal status, or retriable failures after the last attempt.
        """
        return self.request("GET", url, params=params, source=source, headers=headers, rate=rate, progress=progress)

    def post(
        self,
        url: str,
        *,
        data: Any = None,
        files: Mapping[str, Any] | None = None,
        json_body: Any = None,
        params: Mapping[str, Any] | None = None,
        source: str = "",
        headers: Mapping[str, str] | None = None,
        rate: float | None = None,
        progress: ProgressCallback | None = None,
    ) -> requests.Response:
        """POST with the same retries, throttle and errors as :meth:`get`.

        Parameters
        ----------
        url, params
            Request URL and query parameters.
        data, files, json_body
            Form fields / raw body, multipart files and JSON body, as ``requests`` takes them
            (``json_body`` is sent as ``json=``). The body is sent again on each attempt, so
            file objects must be given as bytes.
        source, headers, rate, progress
            As for :meth:`get`.

        Raises
        ------
        SourceError
            Fatal status, or retriable failures after the last attempt.
        """
        body = {"data": data, "files": files, "json": json_body}
        return self.request(
            "POST", url, params=params, source=source, headers=headers, rate=rate, progress=progress, body=body
        )

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        source: str = "",
        headers: Mapping[str, str] | None = None,
        rate: float | None = None,
        progress: ProgressCallback | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> requests.Response:
        """Any method through the retry loop and the per-host limiter (see :meth:`get`).

        ``body`` holds the keyword arguments ``data``, ``files`` and ``json`` given to
        ``requests``.
        """
        host = urlsplit(url).netloc
        source = source or host
        shown = redact(_full_url(url, params))
        limiter = self._limiter(host, rate, source)
        notify = progress or self.progress
        last: RetriableError | None = None
        for attempt in range(1, self.max_attempts + 1):
            limiter.wait()
            try:
                response = self._attempt(method, url, params, headers, body, source=source, shown=shown)
            except RetriableError as exc:
                last = exc
            else:
                if notify:
                    notify(RequestEvent(source, shown, attempt, response.status_code, len(response.content), None))
                return response
            if attempt == self.max_attempts:
                break
            delay = self._delay(attempt, last.retry_after)
            logger.warning(
                "%s : tentative %d/%d échouée (%s), nouvel essai dans %.1f s",
                source,
                attempt,
                self.max_attempts,
                last,
                delay,
            )
            if notify:
                notify(RequestEvent(source, shown, attempt, last.status, 0, delay))
            self.sleep(delay)
        assert last is not None
        msg = f"échec de la requête {shown} après {self.max_attempts} tentative(s) : {last}"
        raise SourceError(source, msg, status=last.status, url=shown)

    def get_bytes(self, url: str, **kwargs: Any) -> bytes:
        """GET and return the exact body bytes (same keywords as :meth:`get`)."""
        return self.get(url, **kwargs).content

    def get_json(self, url: str, **kwargs: Any) -> Any:
        """GET and decode JSON; a body that is not JSON raises :class:`SourceError`
        « réponse illisible » (same keywords as :meth:`get`)."""
        headers = {"Accept": "application/json", **(kwargs.pop("headers", None) or {})}
        response = self.get(url, headers=headers, **kwargs)
        return parse_json(
            response.content, source=kwargs.get("source") or urlsplit(url).netloc, url=response.url or url
        )

    # ------------------------------------------------------------------ internals

    def _attempt(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        body: Mapping[str, Any] | None,
        *,
        source: str,
        shown: str,
    ) -> requests.Response:
        """One request; raise RetriableError for a transient failure, SourceError for a fatal one."""
        try:
            if method == "GET":
                response = self.session.get(url, params=params, headers=dict(headers or {}), timeout=self.timeout)
            else:
                response = self.session.request(
                    method, url, params=params, headers=dict(headers or {}), timeout=self.timeout, **(body or {})
                )
        except requests.Timeout:
            msg = "délai d'attente dépassé"
            raise RetriableError(msg) from None
        except requests.ConnectionError as exc:
            msg = f"connexion impossible ({type(exc).__name__})"
            raise RetriableError(msg) from None
        except requests.RequestException as exc:
            msg = f"requête impossible vers {shown} ({type(exc).__name__})"
            raise SourceError(source, msg, url=shown) from None
        status = response.status_code
        if status < 400:
            return response
        body = excerpt(response.content) or "corps vide"
        if status in RETRY_STATUSES:
            retry_after = parse_retry_after(response.headers.get("Retry-After"), now=self.wall_clock())
            raise RetriableError(f"HTTP {status} : {body}", status=status, retry_after=retry_after)
        msg = f"la requête {shown} a été refusée (HTTP {status}) : {body}"
        raise SourceError(source, msg, status=status, url=shown)

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        """Wait before attempt ``attempt + 1``."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        base = min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1))
        return base * (0.5 + 0.5 * self.jitter())

    def _limiter(self, host: str, rate: float | None, source: str) -> RateLimiter:
        with self._limiters_lock:
            limiter = self._limiters.get(host)
            if limiter is None:
                chosen = rate if rate is not None else self.rates.get(host)
                if chosen is None:
                    chosen = settings.SOURCE_RATES.get(source, self.default_rate)
                limiter = RateLimiter(chosen, clock=self.clock, sleep=self.sleep)
                self._limiters[host] = limiter
            return limiter


def _full_url(url: str, params: Mapping[str, Any] | None) -> str:
    """URL with its query parameters, as requests would send it."""
    if not params:
        return url
    try:
        return requests.Request("GET", url, params=params).prepare().url or url
    except requests.RequestException:
        return url
