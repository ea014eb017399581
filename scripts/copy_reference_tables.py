"""Copy the shared reference tables into ``data/reference/``.

The upstream files live in a shared folder (``/work/shared/reference`` by default, see
``data/reference/README.md`` for their provenance). This script turns them into the small, stable
tables the project reads at run time:

* ``naf.csv`` (``code, label``) from ``codes-NAF.json``;
* ``legal_forms.csv`` (``code, label``) from ``natures-juridiques.json`` (labels trimmed,
  ``&nbsp;`` replaced by a space);
* ``ewc.csv`` (verbatim copy of ``ewc_fr.csv``: ``code_compact, code, niveau, dangereux, libelle``);
* ``ademe_sous_categories.csv`` (verbatim copy of ``ademe_lvao_sous_categories.csv``).

Usage::

    python scripts/copy_reference_tables.py [--source DIR] [--target DIR]
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import logging
import shutil
from pathlib import Path

logger = logging.getLogger(__name__)

DEFAULT_SOURCE = Path("/work/shared/reference")
DEFAULT_TARGET = Path(__file__).resolve().parents[1] / "data" / "reference"

#: (upstream file, project file) pairs copied byte for byte.
VERBATIM = (
    ("ewc_fr.csv", "ewc.csv"),
    ("ademe_lvao_sous_categories.csv", "ademe_sous_categories.csv"),
)


def clean_label(text: str) -> str:
    """Return ``text`` with HTML entities decoded and whitespace normalised.

    Parameters
    ----------
    text
        A label from an upstream JSON table.

    Returns
    -------
    str
        The label with ``&nbsp;`` and friends turned into plain spaces, runs of spaces collapsed.
    """
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def code_label_rows(mapping: dict[str, str]) -> list[tuple[str, str]]:
    """Turn a ``{code: label}`` mapping into sorted ``(code, label)`` rows.

    Parameters
    ----------
    mapping
        Upstream JSON object.

    Returns
    -------
    list of tuple
        Rows sorted by code, labels cleaned.
    """
    return sorted((code.strip(), clean_label(label)) for code, label in mapping.items())


def write_code_label_csv(rows: list[tuple[str, str]], path: Path) -> None:
    """Write ``rows`` as a UTF-8 CSV with a ``code,label`` header."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(("code", "label"))
        writer.writerows(rows)


def copy_reference_tables(source: Path, target: Path) -> list[Path]:
    """Produce the project's reference tables from the shared upstream files.

    Parameters
    ----------
    source
        Folder holding the upstream files.
    target
        The project's ``data/reference`` folder (created if needed).

    Returns
    -------
    list of Path
        The files written.
    """
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for upstream, name in (("codes-NAF.json", "naf.csv"), ("natures-juridiques.json", "legal_forms.csv")):
        mapping = json.loads((source / upstream).read_text(encoding="utf-8"))
        rows = code_label_rows(mapping)
        write_code_label_csv(rows, target / name)
        logger.info("%s -> %s (%d rows)", upstream, name, len(rows))
        written.append(target / name)
    for upstream, name in VERBATIM:
        shutil.copyfile(source / upstream, target / name)
        logger.info("%s -> %s (copied)", upstream, name)
        written.append(target / name)
    return written


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="upstream folder")
    parser.add_argument("--target", type=Path, default=DEFAULT_TARGET, help="data/reference folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    copy_reference_tables(args.source, args.target)


if __name__ == "__main__":
    main()
