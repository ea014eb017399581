"""Spreadsheet exports of the coverage tables, with the conventions of :mod:`mapping.exports`:
CSV for French Excel (``;``, UTF-8 with BOM, decimal comma, CRLF) and XLSX, formulas neutralised."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd

from mapping.coverage import texts
from mapping.exports import neutralise

FILE_STEMS = {"matrix": "couverture", "indicators": "indicateurs-observatoire"}


def file_name(kind: str, extension: str, *, when: date | None = None) -> str:
    """``couverture-2026-12-02.csv`` / ``indicateurs-observatoire-2026-12-02.xlsx``."""
    return f"{FILE_STEMS[kind]}-{(when or date.today()).isoformat()}.{extension.lstrip('.')}"


def french_headers(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its tidy column names in French (:data:`texts.HEADERS`), unknown names kept."""
    return table.rename(columns={c: texts.HEADERS.get(str(c), str(c)) for c in table.columns})


def _safe(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def to_csv(table: pd.DataFrame) -> bytes:
    """CSV for French Excel: ``;``, UTF-8 with BOM, decimal comma, formulas neutralised."""
    buffer = io.StringIO()
    _safe(table).to_csv(buffer, sep=";", index=False, decimal=",", lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: pd.DataFrame, *, sheet: str = texts.MATRIX_SHEET) -> bytes:
    """XLSX, one sheet: bold header on a coloured band, first row frozen, autofilter, no formula cell."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    rows = _safe(table)
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet[:31]
    ws.append(list(rows.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
    for record in rows.itertuples(index=False):
        ws.append([_cell(v) for v in record])
    for i, header in enumerate(rows.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, len(str(header)) + 2))
    ws.freeze_panes = "A2"
    if len(rows):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(rows.columns))}{len(rows) + 1}"
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, even for a text openpyxl would read as one
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, float) and value != value:  # NaN: an empty cell
        return None
    return value.item() if hasattr(value, "item") else value
