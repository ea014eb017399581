"""French views of a source's kept versions and of the journal (CLI lines, page tables; plain text)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import connectors
from connectors.snapshots import Version
from mapping.build import journal

ACTIONS = {"import": "Import de fichier", "refresh": "Mise à jour en ligne", "restore": "Restauration"}
NOT_IDENTIFIED = "non identifié"


def _day(text: str | None) -> str:
    return (text or "")[:10] or "date inconnue"


def _when(text: str | None) -> str:
    """``2026-12-01T22:34:56+00:00`` -> ``2026-12-01 22:34 UTC``."""
    if not text:
        return ""
    return f"{text[:10]} {text[11:16]} UTC" if len(text) >= 16 else text


def version_summary(version: Version) -> str:
    """« données du 2026-11-22, 876 structures, fichier cress.xlsx » (what the version holds)."""
    man = version.manifest
    parts = [f"données du {_day(man.get('fetched_at'))}"]
    if man.get("records") is not None:
        parts.append(f"{man['records']} structures")
    stored = (man.get("import") or {}).get("file_name")
    if stored:
        parts.append(f"fichier {stored}")
    if man.get("demo"):
        parts.append("démonstration")
    return ", ".join(parts)


def version_line(version: Version) -> str:
    """One CLI line: the version id, when it was replaced, what it holds."""
    replaced = version.replaced_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"{version.id}  remplacé le {replaced} — {version_summary(version)}"


def version_label(version: Version) -> str:
    """Option label of the page's version list."""
    return f"{version.replaced_at.strftime('%Y-%m-%d %H:%M')} — {version_summary(version)}"


def _arrow(before: Any, after: Any) -> str:
    if before is None and after is None:
        return ""
    return f"{'—' if before is None else before} → {'non reconstruite' if after is None else after}"


def journal_rows(entries: Iterable[Mapping[str, Any]], *, limit: int | None = 200) -> list[dict[str, Any]]:
    """The journal as page rows, newest first (French column names)."""
    rows = []
    for entry in reversed(list(entries)):
        source = str(entry.get("source") or "")
        connector = connectors.REGISTRY.get(source)
        version = entry.get("restored_version")
        file_name = entry.get("file_name") or ""
        rows.append(
            {
                "Date": _when(entry.get("at")),
                "Action": ACTIONS.get(str(entry.get("action")), str(entry.get("action"))),
                "Source": getattr(connector, "TITLE", source),
                "Par": entry.get("user") or NOT_IDENTIFIED,
                "Depuis": entry.get("via") or "",
                "Fichier": f"{file_name} (version {version})" if version else file_name,
                "SHA-256": entry.get("sha256") or "",
                "Lignes lues": entry.get("rows_read"),
                "Importées": entry.get("imported"),
                "Refusées": entry.get("refused"),
                "Structures": _arrow(entry.get("records_before"), entry.get("records_after")),
                "Acteurs": _arrow(entry.get("actors_before"), entry.get("actors_after")),
                "Confirmé malgré le seuil": "oui" if entry.get("forced") else "",
            }
        )
        if limit is not None and len(rows) >= limit:
            break
    return rows


def entry_line(entry: journal.Entry) -> str:
    """One CLI line after a change: what was done and the actors before → after."""
    action = ACTIONS.get(entry.action, entry.action)
    actors = _arrow(entry.actors_before, entry.actors_after)
    actors = f" ; acteurs {actors}" if actors else ""
    kept = f" ; instantané remplacé conservé : version {entry.previous_version}" if entry.previous_version else ""
    return f"Journal : {action} de {entry.source} par {entry.user or NOT_IDENTIFIED}{actors}{kept}."


__all__ = ["ACTIONS", "entry_line", "journal_rows", "version_label", "version_line", "version_summary"]
