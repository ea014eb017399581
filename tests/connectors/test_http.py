"""HTTP policy: User-Agent, timeouts, retries, Retry-After, throttling, fatal errors, redaction."""

from __future__ import annotations

import email.utils
import threading

import pytest
import requests
import responses

from connectors.base import SourceError
from mapping.http import USER_AGENT, RateLimiter, excerpt, parse_retry_after, redact
from tests.connectors.fakehttp import FakeClock, make_client, serve_sequence

URL = "https://api.example.org/items"


def test_user_agent_timeout_and_exact_bytes(rsps: responses.RequestsMock) -> None:
    body = b'{"a": 1,  "b": "\xc3\xa9"}\n'
    rsps.add(responses.GET, URL, body=body)
    http, _ = make_client(timeout=(3.0, 20.0))
    assert http.get_bytes(URL, source="demo") == body
    sent = rsps.calls[0].request
    assert sent.headers["User-Agent"] == USER_AGENT
    assert sent.req_kwargs["timeout"] == (3.0, 20.0)


def test_get_json_decodes(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.GET, URL, json={"ok": True})
    http, _ = make_client()
    assert http.get_json(URL, source="demo") == {"ok": True}
    assert rsps.calls[0].request.headers["Accept"] == "application/json"


def test_get_json_malformed_is_fatal(rsps: responses.RequestsMock) -> None:
    count = serve_sequence(rsps, URL, [(200, {}, "Accès refusé : jeton requis")])
    http, _ = make_client()
    with pytest.raises(SourceError, match="réponse illisible") as info:
        http.get_json(URL, source="demo")
    assert info.value.source == "demo"
    assert "Accès refusé" in str(info.value)
    assert count() == 1


def test_429_retry_after_seconds_then_success(rsps: responses.RequestsMock) -> None:
    count = serve_sequence(rsps, URL, [(429, {"Retry-After": "2"}, "trop de requêtes"), (200, {}, "{}")])
    http, clock = make_client()
    assert http.get_json(URL, source="demo") == {}
    assert count() == 2
    assert max(clock.sleeps) >= 2
    assert sum(clock.sleeps) == pytest.approx(2.0)


def test_retry_after_http_date(rsps: responses.RequestsMock) -> None:
    clock = FakeClock()
    when = email.utils.formatdate(clock.time() + 7, usegmt=True)
    count = serve_sequence(rsps, URL, [(503, {"Retry-After": when}, ""), (200, {}, "{}")])
    http, _ = make_client(clock)
    http.get_bytes(URL, source="demo")
    assert count() == 2
    assert clock.sleeps == [pytest.approx(7.0, abs=1.0)]


def test_retry_after_is_capped(rsps: responses.RequestsMock) -> None:
    serve_sequence(rsps, URL, [(429, {"Retry-After": "3600"}, ""), (200, {}, "{}")])
    http, clock = make_client(max_retry_after=30.0)
    http.get_bytes(URL, source="demo")
    assert clock.sleeps == [30.0]


def test_exponential_backoff(rsps: responses.RequestsMock) -> None:
    count = serve_sequence(rsps, URL, [(502, {}, ""), (503, {}, ""), (504, {}, ""), (200, {}, "{}")])
    http, clock = make_client(backoff_base=1.0)
    http.get_bytes(URL, source="demo")
    assert count() == 4
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_backoff_jitter_stays_within_half_and_full() -> None:
    http, _ = make_client(backoff_base=2.0, backoff_max=10.0, jitter=lambda: 0.0)
    assert http._delay(1, None) == 1.0
    assert http._delay(10, None) == 5.0
    assert http._delay(3, 12.5) == 12.5


def test_500_storm_raises_french_error(rsps: responses.RequestsMock) -> None:
    body = "Erreur interne " + "x" * 500
    count = serve_sequence(rsps, URL, [(500, {}, body)])
    http, clock = make_client(max_attempts=3)
    with pytest.raises(SourceError) as info:
        http.get_bytes(URL, params={"page": 1}, source="recherche_entreprises")
    message = str(info.value)
    assert count() == 3
    assert len(clock.sleeps) == 2
    assert message.startswith("recherche_entreprises : échec de la requête")
    assert "après 3 tentative(s)" in message
    assert "HTTP 500" in message
    assert "x" * 201 not in message and "…" in message
    assert info.value.status == 500


def test_client_error_is_fatal_at_once(rsps: responses.RequestsMock) -> None:
    count = serve_sequence(rsps, URL, [(404, {}, "not found")])
    http, clock = make_client()
    with pytest.raises(SourceError, match=r"refusée \(HTTP 404\)"):
        http.get_bytes(URL, source="demo")
    assert count() == 1
    assert clock.sleeps == []


def test_connection_errors_and_timeouts_are_retried(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.GET, URL, body=requests.ConnectionError("refused"))
    rsps.add(responses.GET, URL, body=requests.ReadTimeout("slow"))
    rsps.add(responses.GET, URL, body=b"ok")
    http, clock = make_client()
    assert http.get_bytes(URL, source="demo") == b"ok"
    assert len(rsps.calls) == 3
    assert len(clock.sleeps) == 2


def test_connection_error_storm(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.GET, URL, body=requests.ConnectionError("refused"))
    http, _ = make_client(max_attempts=2)
    with pytest.raises(SourceError, match="connexion impossible"):
        http.get_bytes(URL, source="demo")
    assert len(rsps.calls) == 2


def test_tokens_never_leak(rsps: responses.RequestsMock) -> None:
    secret = "s3cr3tT0kenValue"
    serve_sequence(rsps, URL, [(403, {}, f"invalid token={secret}; Authorization: Bearer {secret}")])
    http, _ = make_client()
    with pytest.raises(SourceError) as info:
        http.get_bytes(URL, params={"token": secret, "bounds": "0,1,2,3"}, source="carteco")
    assert secret not in str(info.value)
    assert "token=***" in str(info.value)
    assert "bounds=0%2C1%2C2%2C3" in str(info.value)


def test_redact_and_excerpt() -> None:
    assert redact("https://u:p@h.org/x?token=abc&a=1") == "https://***@h.org/x?token=***&a=1"
    assert redact("Authorization: Bearer abcdefghijkl") == "Authorization: Bearer ***"
    assert redact("https://h.org/api?sourceKey=abc") == "https://h.org/api?sourceKey=abc"
    assert excerpt(b"a\n  b") == "a b"
    assert len(excerpt("y" * 1000)) == 201


def test_parse_retry_after() -> None:
    assert parse_retry_after("5", now=0) == 5.0
    assert parse_retry_after(None, now=0) is None
    assert parse_retry_after("soon", now=0) is None
    date = email.utils.formatdate(1_000_010, usegmt=True)
    assert parse_retry_after(date, now=1_000_000) == pytest.approx(10.0)
    assert parse_retry_after(date, now=2_000_000) == 0.0


def test_rate_limit_per_host(rsps: responses.RequestsMock) -> None:
    slow = "https://recherche-entreprises.api.gouv.fr/search"
    rsps.add(responses.GET, slow, body=b"{}")
    rsps.add(responses.GET, URL, body=b"{}")
    http, clock = make_client()
    for _ in range(5):
        http.get_bytes(slow, source="recherche_entreprises")
    assert clock.sleeps == [pytest.approx(0.5)] * 4  # 2 req/s
    clock.sleeps.clear()
    for _ in range(3):
        http.get_bytes(URL, source="demo")
    assert clock.sleeps == [pytest.approx(0.2)] * 2  # default 5 req/s, separate host


def test_rate_given_by_caller(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.GET, URL, body=b"{}")
    http, clock = make_client()
    for _ in range(3):
        http.get_bytes(URL, source="demo", rate=1.0)
    assert clock.sleeps == [1.0, 1.0]


def test_rate_limiter_is_thread_safe() -> None:
    sleeps: list[float] = []
    limiter = RateLimiter(10.0, clock=lambda: 0.0, sleep=sleeps.append)
    threads = [threading.Thread(target=limiter.wait) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(sleeps) == [pytest.approx(0.1 * i) for i in range(1, 20)]


def test_progress_callback(rsps: responses.RequestsMock) -> None:
    serve_sequence(rsps, URL, [(503, {"Retry-After": "1"}, ""), (200, {}, "12345")])
    events = []
    http, _ = make_client(progress=events.append)
    http.get_bytes(URL, params={"token": "zz-secret"}, source="demo")
    assert [(e.attempt, e.status, e.retry_in, e.nbytes) for e in events] == [
        (1, 503, 1.0, 0),
        (2, 200, None, 5),
    ]
    assert all("zz-secret" not in e.url for e in events)


def test_max_attempts_must_be_positive() -> None:
    with pytest.raises(ValueError):
        make_client(max_attempts=0)
