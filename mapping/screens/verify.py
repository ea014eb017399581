"""The « Vérifier une liste » screen without Streamlit: read the uploaded list, match it, and the
tables the page shows (row-level report, result, unmatched rows, indicators) and downloads.

Every cell is plain text shown by ``st.dataframe`` (safe); downloads neutralise formulas
(:func:`mapping.exports.neutralise`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook

from mapping.exports import neutralise
from mapping.matching import match_suppliers
from mapping.matching.flags import SIAE_ORDER
from mapping.matching.upload import ListReport, read_list
from mapping.reference import taxonomy
from mapping.screens import verify_texts as texts

#: Rows of the example file a buyer can download.
SAMPLE_ROWS = (
    ("SIRET", "Raison sociale", "Adresse", "Code postal", "Ville"),
    ("", "Ressourcerie de Chartres", "", "28000", "Chartres"),
    ("123 456 789 00012", "Boulangerie Martin", "3 rue de la Gare", "45000", "Orléans"),
    ("", "Imprimerie Dupont", "12 avenue de Paris", "37000", "Tours"),
)


@dataclass
class Verification:
    """An uploaded list read and matched: its rows (with ``line``), the report, the match result."""

    rows: pd.DataFrame
    report: ListReport
    result: pd.DataFrame

    @property
    def matched(self) -> int:
        return int(self.result["uid"].notna().sum())


def sample_csv() -> bytes:
    """The example list (CSV, ``;``, UTF-8 with BOM as French Excel writes it)."""
    return ("\r\n".join(";".join(row) for row in SAMPLE_ROWS) + "\r\n").encode("utf-8-sig")


def verify(content: bytes, file_name: str, actors: pd.DataFrame) -> Verification:
    """Read ``content`` and match its rows to ``actors`` (never raises on a bad file: see ``report.fatal``)."""
    rows, report = read_list(content, file_name)
    result = match_suppliers(rows, actors) if len(rows) else match_suppliers(rows.iloc[:0], actors)
    return Verification(rows=rows.reset_index(drop=True), report=report, result=result.reset_index(drop=True))


def read_lines(report: ListReport) -> list[str]:
    """What was read: encoding, separator, header line, recognised and ignored columns (French)."""
    details = []
    if report.sheet:
        details.append(f"feuille « {report.sheet} »")
    if report.encoding:
        details.append(f"encodage {report.encoding}")
    if report.delimiter:
        details.append("séparateur " + {"\t": "tabulation"}.get(report.delimiter, f"« {report.delimiter} »"))
    if report.header_line:
        details.append(f"en-tête ligne {report.header_line}")
    lines = [texts.READ_SUMMARY.format(details=", ".join(details))]
    lines.append(texts.READ_COLUMNS.format(columns=", ".join(f"« {h} »" for h in report.columns)))
    if report.ignored_columns:
        lines.append(texts.READ_IGNORED.format(columns=", ".join(f"« {h} »" for h in report.ignored_columns)))
    return lines


def report_table(report: ListReport) -> pd.DataFrame:
    """The rows to look at again, by line: refused ones (no name nor valid SIRET) and invalid SIRETs."""
    entries = [(r.line, texts.REFUSED_ROW.format(reason=r.reason), r.excerpt) for r in report.rejected]
    entries += [(w.line, w.reason, w.excerpt) for w in report.warnings]
    frame = pd.DataFrame(sorted(entries), columns=list(texts.REPORT_COLUMNS))
    return frame.rename(columns=texts.REPORT_COLUMNS)


def rows_count(n: int) -> str:
    """« 1 ligne », « 12 lignes »."""
    return texts.ROWS_ONE if n == 1 else texts.ROWS_MANY.format(n=f"{n:n}")


def subheader(check: Verification) -> str:
    """The first subheader: the number of rows checked first."""
    n = len(check.rows)
    return texts.SUBHEADER.format(rows=rows_count(n), matched=check.matched, unmatched=n - check.matched)


def flag_text(row: pd.Series) -> str:
    """The categories of a matched supplier: « ESS, SIAE (ACI, EI), ESAT/EA, Scop/Scic, C du Centre, AB »."""
    parts = []
    if row["ess"]:
        parts.append(texts.FLAG_LABELS["ess"])
    if row["siae"]:
        parts.append("SIAE (" + ", ".join(k.upper() for k in row["siae_kinds"]) + ")")
    for flag in ("esat_ea", "scop_scic", "c_du_centre", "ab"):
        if row[flag]:
            parts.append(texts.FLAG_LABELS[flag])
    return ", ".join(parts)


def _matched_on(value: str) -> str:
    return texts.MATCHED_ON.get(value, value)


def _frame(check: Verification, card_prefix: str) -> pd.DataFrame:
    rows, result = check.rows, check.result
    matched = result["uid"].notna()
    return pd.DataFrame(
        {
            "line": rows["line"].to_numpy(),
            "input_name": rows["name"].to_numpy(),
            "input_siret": rows["siret"].to_numpy(),
            "input_postcode": rows["postcode"].to_numpy(),
            "input_city": rows["city"].to_numpy(),
            "siret_status": result["siret_status"].map(texts.SIRET_STATUS).to_numpy(),
            "uid": result["uid"].to_numpy(),
            "matched_name": result["matched_name"].to_numpy(),
            "matched_siret": result["matched_siret"].to_numpy(),
            "matched_address": result["matched_address"].to_numpy(),
            "matched_postcode": result["matched_postcode"].to_numpy(),
            "matched_city": result["matched_city"].to_numpy(),
            "confidence": result["confidence"].where(matched).to_numpy(),
            "matched_on": result["matched_on"].map(_matched_on).to_numpy(),
            "details": result["details"].to_numpy(),
            "flags": [flag_text(r) if m else "" for (_, r), m in zip(result.iterrows(), matched, strict=True)],
            "kinds": [", ".join(taxonomy.labels_for("actor_kinds", k)) for k in result["actor_kinds"]],
            "families": [", ".join(taxonomy.labels_for("purchase_families", f)) for f in result["purchase_families"]],
            "candidate_name": result["candidate_name"].to_numpy(),
            "candidate_confidence": result["candidate_confidence"].to_numpy(),
            "card": [f"{card_prefix}{u}" if isinstance(u, str) else None for u in result["uid"]],
        }
    )


def result_table(check: Verification, card_prefix: str) -> pd.DataFrame:
    """Each row of the list: what was matched, the confidence, on what, the categories, the card link."""
    frame = _frame(check, card_prefix)
    return frame[list(texts.RESULT_COLUMNS)].rename(columns=texts.RESULT_COLUMNS)


def unmatched_table(check: Verification) -> pd.DataFrame:
    """The rows not recognised, with their closest candidate when there is one."""
    frame = _frame(check, "")
    frame = frame[frame["uid"].isna()]
    return frame[list(texts.UNMATCHED_COLUMNS)].rename(columns=texts.UNMATCHED_COLUMNS).reset_index(drop=True)


def indicators(check: Verification) -> pd.DataFrame:
    """The list's indicators: recognised, ESS, SIAE (each kind), ESAT/EA (each), Scop/Scic, C du Centre, AB."""
    result, n = check.result, max(len(check.rows), 1)
    entries: list[tuple[str, int]] = [(texts.INDICATORS["matched"], check.matched)]
    entries.append((texts.INDICATORS["ess"], int(result["ess"].sum())))
    entries.append((texts.INDICATORS["siae"], int(result["siae"].sum())))
    for kind in SIAE_ORDER:
        count = sum(kind in k for k in result["siae_kinds"])
        if count:
            entries.append((texts.KIND_INDICATOR.format(label=taxonomy.label("actor_kinds", kind)), count))
    entries.append((texts.INDICATORS["esat_ea"], int(result["esat_ea"].sum())))
    for kind in ("esat", "ea"):
        count = sum(kind in k for k in result["handicap_kinds"])
        if count:
            entries.append((texts.KIND_INDICATOR.format(label=taxonomy.label("actor_kinds", kind)), count))
    for flag in ("scop_scic", "c_du_centre", "ab"):
        entries.append((texts.INDICATORS[flag], int(result[flag].sum())))
    frame = pd.DataFrame(entries, columns=["indicator", "count"])
    frame["share"] = (frame["count"] / n * 100).round(1).map(lambda v: f"{v:.1f} %".replace(".", ","))
    return frame.rename(columns=texts.INDICATOR_COLUMNS)


def family_table(check: Verification) -> pd.DataFrame:
    """Recognised suppliers per purchase family (most first)."""
    n = max(len(check.rows), 1)
    counts = pd.Series([f for fams in check.result["purchase_families"] for f in fams], dtype=object).value_counts()
    frame = pd.DataFrame(
        {
            "family": [taxonomy.label("purchase_families", c) for c in counts.index],
            "count": counts.to_numpy(dtype=int),
        }
    )
    frame["share"] = (frame["count"] / n * 100).round(1).map(lambda v: f"{v:.1f} %".replace(".", ","))
    return frame.rename(columns=texts.FAMILY_COLUMNS)


def export_table(check: Verification, card_prefix: str) -> pd.DataFrame:
    """The downloaded result: every input row, its match and categories, text cells neutralised."""
    frame = _frame(check, card_prefix)[list(texts.EXPORT_COLUMNS)].rename(columns=texts.EXPORT_COLUMNS)
    for column in frame.columns:
        if frame[column].dtype.kind not in "fiub":  # text columns (object or pandas strings)
            frame[column] = frame[column].astype(object).map(neutralise)
    return frame


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV for French Excel (``;``, UTF-8 with BOM, decimal comma); cells already neutralised."""
    buffer = io.StringIO()
    frame.to_csv(buffer, sep=";", index=False, decimal=",", lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame) -> bytes:
    """XLSX, one sheet, every text cell stored as a string (never a formula: cells are neutralised)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(texts.SHEET_TITLE)
    sheet.append(list(frame.columns))
    for values in frame.itertuples(index=False):
        sheet.append([None if (isinstance(v, float) and pd.isna(v)) else v for v in values])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
