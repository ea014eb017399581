"""Who may import from the app (mapping.screens.access.decide): a pure function of headers and settings."""

from __future__ import annotations

import pytest

from mapping import settings
from mapping.screens.access import decide, header_value, whom_to_ask

GUARDED = settings.load({"SOURCIER_USER_HEADER": "X-Forwarded-User", "SOURCIER_IMPORTERS": "alice, Bob@Region.fr"})


def test_nothing_set_everyone_imports_as_before() -> None:
    access = decide({"X-Forwarded-User": "mallory"}, settings.load({}))
    assert access.allowed and not access.restricted and access.user is None and access.reason == ""


@pytest.mark.parametrize(
    "headers",
    [{"X-Forwarded-User": "alice"}, {"x-forwarded-user": " Alice "}, {"X-Forwarded-User": "bob@region.fr"}],
)
def test_allowed_identity(headers: dict[str, str]) -> None:
    access = decide(headers, GUARDED)
    assert access.allowed and access.restricted and access.user == headers[next(iter(headers))].strip()


def test_another_identity_is_refused_and_told_whom_to_ask() -> None:
    access = decide({"X-Forwarded-User": "mallory"}, GUARDED)
    assert not access.allowed and access.user == "mallory"
    assert "Connecté en tant que « mallory »" in access.reason
    assert "adressez-vous à : alice, bob@region.fr." in access.reason


@pytest.mark.parametrize("headers", [{}, {"X-Forwarded-User": "  "}, {"X-Remote-User": "alice"}])
def test_no_header_when_one_is_required_is_refused(headers: dict[str, str]) -> None:
    access = decide(headers, GUARDED)
    assert not access.allowed and access.user is None
    assert "Votre identité n'a pas été transmise" in access.reason and "alice" in access.reason


def test_half_configured_fails_closed() -> None:
    header_only = settings.load({"SOURCIER_USER_HEADER": "X-Forwarded-User"})
    access = decide({"X-Forwarded-User": "alice"}, header_only)
    assert not access.allowed and "l'administrateur du serveur" in access.reason
    importers_only = settings.load({"SOURCIER_IMPORTERS": "alice"})
    assert not decide({"X-Forwarded-User": "alice"}, importers_only).allowed


def test_default_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert decide({}).allowed
    monkeypatch.setenv("SOURCIER_USER_HEADER", "X-Forwarded-User")
    monkeypatch.setenv("SOURCIER_IMPORTERS", "alice")
    assert decide({"X-Forwarded-User": "alice"}).allowed and not decide({"X-Forwarded-User": "bob"}).allowed


def test_helpers() -> None:
    assert header_value({"X-FORWARDED-USER": "a"}, "x-forwarded-user") == "a"
    assert header_value({}, "x") is None
    many = frozenset(f"agent{i}" for i in range(7))
    assert whom_to_ask(many).endswith("(et 2 autres)") and whom_to_ask(frozenset()).startswith("l'administrateur")
