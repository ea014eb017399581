"""The validation report of a partner file import: what was taken, what was refused and why.

Used by ``python -m mapping import`` and the « Sources et imports » page (:meth:`ValidationReport.text`)
and summarised in the snapshot's ``manifest.json`` (:meth:`ValidationReport.summary`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: French name of each canonical column, for the report.
COLUMN_LABELS = {
    "id": "identifiant",
    "name": "nom",
    "siret": "SIRET",
    "address": "adresse",
    "address2": "complément d'adresse",
    "postcode": "code postal",
    "city": "commune",
    "lat": "latitude",
    "lon": "longitude",
    "phone": "téléphone",
    "email": "courriel",
    "website": "site web",
    "description": "description",
    "naf": "code NAF",
    "updated_at": "date de mise à jour",
    "family": "catégorie",
    "agrement": "agrément",
    "product": "produit",
    "label": "label",
    "activity": "type d'entreprise",
    "waste": "natures de déchets",
}
MAX_LISTED = 200


@dataclass(frozen=True)
class Rejection:
    """A refused row: spreadsheet line, French reason, plain-text excerpt of its cells."""

    line: int
    reason: str
    excerpt: str = ""
    #: the sheet of the line when the file has several (a products sheet), else None
    sheet: str | None = None

    @property
    def where(self) -> str:
        """``ligne 12`` or ``feuille « Produits », ligne 12``."""
        return f"feuille « {self.sheet} », ligne {self.line}" if self.sheet else f"ligne {self.line}"


@dataclass(frozen=True)
class Duplicate:
    """A row repeating an earlier one (``first_line``)."""

    line: int
    first_line: int
    exact: bool


@dataclass
class ValidationReport:
    """What an import took and refused, rendered in French by :meth:`text`."""

    source: str
    title: str
    file_name: str
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_line: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    rows_read: int = 0
    imported: int = 0
    blank_lines: int = 0
    records: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    enriched: int = 0
    not_enrichable: int = 0
    with_coordinates: int = 0
    fatal: str | None = None
    #: the products sheet joined to the companies sheet (``sheet``), when the file has one
    products_sheet: str | None = None

    @property
    def ok(self) -> bool:
        """The file was read (rows may still have been rejected)."""
        return self.fatal is None

    def summary(self) -> dict[str, Any]:
        """Counts for the snapshot manifest (``products_sheet`` only for a two-sheet file)."""
        joined = {"products_sheet": self.products_sheet} if self.products_sheet else {}
        return {
            "file_name": self.file_name,
            "sheet": self.sheet,
            **joined,
            "encoding": self.encoding,
            "delimiter": {"\t": "tabulation"}.get(self.delimiter or "", self.delimiter),
            "header_line": self.header_line,
            "rows_read": self.rows_read,
            "imported": self.imported,
            "rejected": len(self.rejected),
            "duplicates": len(self.duplicates),
            "warnings": len(self.warnings),
            "records": self.records,
            "enriched": self.enriched,
        }

    def text(self) -> str:
        """French multi-line report (plain text)."""
        where = f"fichier « {self.file_name} »"
        if self.sheet:
            where += f", feuille « {self.sheet} »"
        if self.products_sheet:
            where += f" et feuille des produits « {self.products_sheet} »"
        lines = [f"Import {self.title} — {where}"]
        if self.fatal:
            lines.append(f"Fichier refusé : {self.fatal}")
            return "\n".join(lines)
        details = []
        if self.encoding:
            details.append(f"encodage {self.encoding}")
        if self.delimiter:
            details.append("séparateur " + {"\t": "tabulation"}.get(self.delimiter, f"« {self.delimiter} »"))
        details.append(f"en-tête ligne {self.header_line}")
        lines.append("Lecture : " + ", ".join(details))
        lines.append(
            "Colonnes reconnues : " + ", ".join(f"« {h} » → {COLUMN_LABELS.get(c, c)}" for h, c in self.columns.items())
        )
        if self.ignored_columns:
            lines.append("Colonnes ignorées : " + ", ".join(f"« {h} »" for h in self.ignored_columns))
        lines.append(
            f"Lignes lues : {self.rows_read} — importées : {self.imported} — refusées : {len(self.rejected)}"
            + _exact_note(sum(d.exact for d in self.duplicates))
        )
        if self.blank_lines:
            lines.append(f"Lignes vides ignorées : {self.blank_lines}")
        lines.append(f"Structures importées : {self.records}")
        if self.enriched or self.not_enrichable:
            lines.append(
                f"Complétées par l'Annuaire des Entreprises (NAF, forme juridique, ESS/SIAE, coordonnées) : "
                f"{self.enriched} ; SIRET absents de l'instantané de l'Annuaire : {self.not_enrichable}"
            )
        located = self.records - self.with_coordinates
        lines.append(
            f"Coordonnées fournies ou complétées : {self.with_coordinates} ; localisées à la commune : {located}"
        )
        if self.duplicates:
            lines.append("Doublons dans le fichier :")
            lines += [
                f"  ligne {d.line} : {'identique à' if d.exact else 'même structure que'} la ligne {d.first_line}"
                for d in self.duplicates[:MAX_LISTED]
            ]
        if self.rejected:
            lines.append("Lignes refusées :")
            lines += [f"  {r.where} : {r.reason} — {r.excerpt}" for r in self.rejected[:MAX_LISTED]]
            if len(self.rejected) > MAX_LISTED:
                lines.append(f"  … et {len(self.rejected) - MAX_LISTED} autres")
        if self.warnings:
            lines.append("Avertissements (ligne importée, valeur ignorée) :")
            lines += [f"  ligne {n} : {m}" for n, m in self.warnings[:MAX_LISTED]]
            if len(self.warnings) > MAX_LISTED:
                lines.append(f"  … et {len(self.warnings) - MAX_LISTED} autres")
        return "\n".join(lines)


def _exact_note(n: int) -> str:
    if not n:
        return ""
    return " (dont 1 doublon exact)" if n == 1 else f" (dont {n} doublons exacts)"
